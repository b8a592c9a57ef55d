import pg from 'pg';
import type { ClientConfig } from 'pg';

/** How long a probe waits for PostgreSQL to accept a connection. */
export const CONNECT_TIMEOUT_MS = 2_000;
/** The system user Debian's PostgreSQL binaries run as (they refuse root). */
export const PG_SYSTEM_USER = 'postgres';

/** Runs `fn` on a fresh client and always closes it; connection errors after the fact are ignored. */
export async function withClient<T>(config: ClientConfig, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(config);
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}


export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
