/** Values bound per `IN (…)` list: far below SQLite's (32,766) and PostgreSQL's (65,535) parameter limits. */
export const SQL_IN_CHUNK = 500;

/** Splits a long parameter list so that no statement binds more than `size` of them. */
export function sqlChunks<T>(items: readonly T[], size = SQL_IN_CHUNK): T[][] {
  const out: T[][] = [];
  for (let at = 0; at < items.length; at += size) out.push(items.slice(at, at + size));
  return out;
}

/**
 * Lets other work run between the statements of a long batch. With SQLite (a synchronous driver) a
 * batch of statements would otherwise hold the event loop from the first to the last; other requests'
 * queries still wait for the connection, but timers, sockets and XMPP traffic go on.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
