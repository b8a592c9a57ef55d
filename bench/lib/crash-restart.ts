/**
 * Kill -9 and restart of one server in the middle of a chat burst (issue 13, "Reliability that must
 * hold"), shared by e2e/reliability/kill-restart.test.ts (small) and bench/crash-restart.ts (100k):
 *
 * 1. one `parley serve` child process on a fresh store (SQLite in a temp folder by default, or a fresh
 *    PostgreSQL database); `senders` users in pairs, each pair with its private dialog (REST);
 * 2. every user sends its share of `messages` to its partner over XMPP with XEP-0198 (`BurstSender`:
 *    client-chosen ids, save_to_history=1, up to `window` in flight, an `<r/>` every 31–61 messages);
 * 3. once `killAtPercent` of all messages are acknowledged: SIGKILL. The senders' connections die;
 *    what they saw acknowledged is final. The store is read (read-only) as the kill left it;
 * 4. the same server is started again on the same folder / database. Every sender reconnects; its
 *    `<resume/>` fails (the stream state died with the process), so it binds anew and sends again every
 *    message not acknowledged, under the same ids, then the rest of its share;
 * 5. the store and each dialog's REST history are read: every message is there exactly once.
 */
import { rawRequest, sessionToken } from '@parley/testkit';
import { openBenchDatabase, type BenchDatabase } from './bench-db.js';
import { BurstSender, objectId } from './burst-sender.js';
import { countIds, extraCopies, historyIds, storedIds, type StoredIds } from './crash-check.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

const PASSWORD = 'crash-restart-password';
const DOMAIN = 'localhost';
/** Connections a sender may open after the restart before the run counts as broken. */
const RECONNECTS_AFTER_RESTART = 3;

export interface CrashRestartOptions {
  db: 'sqlite' | 'postgres';
  /** All senders together. */
  messages: number;
  /** Users sending, an even number (they form pairs). */
  senders: number;
  /** Messages in flight per sender. */
  window: number;
  /** SIGKILL once this share of `messages` is acknowledged, 1–99. */
  killAtPercent: number;
  /** log2 scrypt cost for the users' passwords. */
  hashCost: number;
  /** More `PARLEY_*` settings for both server runs (e.g. `PARLEY_SQLITE_SYNCHRONOUS`). */
  env?: Record<string, string>;
  startTimeoutMs?: number;
  progress?: (line: string) => void;
}

export interface CrashRestartReport {
  db: 'sqlite' | 'postgres';
  messages: number;
  senders: number;
  window: number;
  /** Acknowledged messages (all senders) when SIGKILL was sent. */
  killedAtAcked: number;
  /** Acknowledgements the clients saw from the killed server (including ones still in their socket buffers). */
  ackedBeforeKill: number;
  /** Messages written to a socket at least once before the kill. */
  sentBeforeKill: number;
  /** Message rows in the store as the kill left it. */
  storedAtKill: number;
  /** Of those, not acknowledged to the client: the resend of these must store nothing. */
  storedUnackedAtKill: number;
  /** Acknowledged before the kill but not in the store after it. */
  lostAtKill: number;
  /** Messages sent again after the restart (sent before the kill, not acknowledged). */
  resent: number;
  /** Message rows at the end. */
  stored: number;
  /** Planned ids not stored at the end, or missing from their dialog's REST history. */
  lost: number;
  /** Rows (store) and entries (REST histories) beyond one per id. */
  duplicates: number;
  /** Stored ids that no sender planned. */
  unexpected: number;
  /** Error bounces the senders received (first few in `errorSamples`). */
  errors: number;
  errorSamples: string[];
  /** How the senders' reconnections after the restart went. */
  reconnects: { resumed: number; newStream: number };
  exitSignal: string | null;
  /** Acknowledged messages per second from the first send to the kill. */
  rateBeforeKill: number;
  /** SIGKILL → the restarted server listening. */
  restartMs: number;
  /** SIGKILL → every message sent before the kill acknowledged by the restarted server. */
  recoverMs: number;
  /** SIGKILL → the whole burst acknowledged. */
  finishMs: number;
}

interface Pair {
  token: string;
  dialogId: string;
}

const wsOf = (server: ServerProcess) => `${server.url.replace(/^http/, 'ws')}/ws`;
const sum = (senders: readonly BurstSender[], value: (sender: BurstSender) => number) => senders.reduce((total, sender) => total + value(sender), 0);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Users in pairs and one private dialog per pair, made over REST; the senders' plans. */
async function prepare(server: ServerProcess, options: CrashRestartOptions): Promise<{ senders: BurstSender[]; pairs: Pair[] }> {
  const appToken = await sessionToken(server.url, server.app);
  const tag = Date.now().toString(36);
  const people: { id: number; login: string }[] = [];
  for (let index = 0; index < options.senders; index += 1) {
    const login = `crash${index}_${tag}`;
    const created = await rawRequest(server.url, '/users.json', { method: 'POST', token: appToken, body: { user: { login, password: PASSWORD } } });
    if (created.status !== 201) throw new Error(`user ${login}: ${created.status} ${created.text}`);
    people.push({ id: (created.json as { user: { id: number } }).user.id, login });
  }
  const pairs: Pair[] = [];
  const senders: BurstSender[] = [];
  for (let index = 0; index < options.senders; index += 2) {
    const [a, b] = [people[index], people[index + 1]] as [(typeof people)[0], (typeof people)[0]];
    const token = await sessionToken(server.url, server.app, { login: a.login, password: PASSWORD });
    const dialog = await rawRequest(server.url, '/chat/Dialog.json', { method: 'POST', token, body: { type: 3, occupants_ids: [b.id] } });
    if (dialog.status !== 201) throw new Error(`dialog: ${dialog.status} ${dialog.text}`);
    const dialogId = (dialog.json as { _id: string })._id;
    pairs.push({ token, dialogId });
    for (const [self, peer] of [
      [a, b],
      [b, a],
    ] as const) {
      // Shares as even as possible: the first `messages % senders` users send one more.
      const count = Math.floor(options.messages / options.senders) + (senders.length < options.messages % options.senders ? 1 : 0);
      const ids = Array.from({ length: count }, objectId);
      // A different `<r/>` period per sender (31, 33, 35 …): the sessions' messages commit in the same
      // batches, so with one period they would all be acked together and a kill right after an ack
      // would find next to nothing stored-but-unacked, the case the resend must not store twice.
      const ackEvery = 31 + 2 * senders.length;
      senders.push(new BurstSender({ domain: DOMAIN, appId: server.app.id, userId: self.id, password: PASSWORD, peerId: peer.id, dialogId, ids, window: options.window, ackEvery }));
    }
  }
  return { senders, pairs };
}

/** Resolves once `condition` holds (checked every 5 ms), or once `abandon` does. */
async function until(condition: () => boolean, abandon: () => boolean = () => false): Promise<void> {
  while (!condition() && !abandon()) await sleep(5);
}

export async function runCrashRestart(options: CrashRestartOptions): Promise<CrashRestartReport> {
  if (options.senders < 2 || options.senders % 2 !== 0) throw new Error('senders must be an even number ≥ 2');
  const progress = options.progress ?? (() => undefined);
  const db: BenchDatabase = await openBenchDatabase(options.db);
  const servers: ServerProcess[] = [];
  const start = () =>
    startServerProcess({
      dataDir: db.dataDir,
      databaseUrl: db.databaseUrl,
      passwordHashCost: options.hashCost,
      startTimeoutMs: options.startTimeoutMs,
      env: { PARLEY_CHAT_DOMAIN: DOMAIN, ...options.env },
    });
  try {
    const first = await start();
    servers.push(first);
    progress(`server pid ${first.pid} on ${db.description}; ${options.senders} users, ${options.messages} messages`);
    const { senders, pairs } = await prepare(first, options);

    // Phase 1: the burst, and SIGKILL once enough of it is acknowledged.
    const killAt = Math.ceil((options.messages * options.killAtPercent) / 100);
    const burstStarted = performance.now();
    let settled = 0;
    const firstRuns = senders.map((sender) =>
      sender
        .run(wsOf(first))
        .catch((error: unknown) => progress(`before the kill: ${String(error)}`))
        .finally(() => (settled += 1)),
    );
    const ticker = setInterval(() => progress(`acked ${sum(senders, (s) => s.acked)} of ${options.messages}`), 5000);
    let killedAtAcked = 0;
    let killedAt = 0;
    let exitSignal: string | null = null;
    try {
      await until(
        () => sum(senders, (s) => s.acked) >= killAt,
        () => settled === senders.length,
      );
      if (settled === senders.length) throw new Error(`every sender stopped before the kill point (${sum(senders, (s) => s.acked)} acked)`);
      killedAtAcked = sum(senders, (s) => s.acked);
      killedAt = performance.now();
      exitSignal = (await first.kill()).signal;
      // The connections die with the process; acks already in the client's socket buffers still count.
      await Promise.all(firstRuns);
    } finally {
      clearInterval(ticker);
    }
    const ackedBefore = senders.map((s) => s.acked);
    const ackedBeforeKill = sum(senders, (s) => s.acked);
    const sentBeforeKill = sum(senders, (s) => s.sentOnce);
    progress(`SIGKILL at ${killedAtAcked} acked (${ackedBeforeKill} after the sockets drained, ${sentBeforeKill} sent)`);

    const atKill = await storedIds(db, first.app.id);
    const ackedIds = new Set(senders.flatMap((s, index) => s.plan.ids.slice(0, ackedBefore[index])));
    const unackedSent = senders.flatMap((s, index) => s.plan.ids.slice(ackedBefore[index], s.sentOnce));

    // Phase 2: the same server again, the senders back.
    const second = await start();
    servers.push(second);
    const restartMs = performance.now() - killedAt;
    progress(`restarted (pid ${second.pid}) ${Math.round(restartMs)} ms after the kill`);
    const sentBefore = senders.map((s) => s.sentOnce);
    let recoveredAt = 0;
    let givenUp = false;
    const recovered = until(
      () => senders.every((s, index) => s.acked >= (sentBefore[index] ?? 0)),
      () => givenUp,
    ).then(() => (recoveredAt = performance.now()));
    const reconnectsBefore = senders.map((s) => s.reconnects.length);
    const ticker2 = setInterval(() => progress(`acked ${sum(senders, (s) => s.acked)} of ${options.messages}`), 5000);
    try {
      await Promise.all(
        senders.map(async (sender, index) => {
          for (let attempt = 1; !sender.done; attempt += 1) {
            if (attempt > RECONNECTS_AFTER_RESTART) throw new Error(`sender ${index} gave up after ${attempt - 1} connections to the restarted server (${sender.acked} acked)`);
            await sender.run(wsOf(second)).catch((error: unknown) => progress(`sender ${index}: ${String(error)}`));
          }
          sender.stop();
        }),
      );
    } finally {
      givenUp = true;
      clearInterval(ticker2);
      for (const sender of senders) sender.stop();
    }
    await recovered;
    const finishMs = performance.now() - killedAt;
    progress(`all acked ${Math.round(finishMs)} ms after the kill; reading the histories and the store`);
    const afterRestart = senders.flatMap((s, index) => s.reconnects.slice(reconnectsBefore[index]));

    // What is there now: each dialog's history over REST, then the store itself.
    const history = countIds((await Promise.all(pairs.map((pair) => historyIds(second.url, pair.token, pair.dialogId)))).flat());
    await second.stop();
    const final: StoredIds = await storedIds(db, first.app.id);
    const planned = senders.flatMap((s) => s.plan.ids);
    const plannedSet = new Set(planned);
    const errors = senders.flatMap((s) => s.errors);
    return {
      db: options.db,
      messages: options.messages,
      senders: options.senders,
      window: options.window,
      killedAtAcked,
      ackedBeforeKill,
      sentBeforeKill,
      storedAtKill: atKill.size,
      storedUnackedAtKill: unackedSent.filter((id) => atKill.has(id)).length,
      lostAtKill: [...ackedIds].filter((id) => !atKill.has(id)).length,
      resent: unackedSent.length,
      stored: [...final.values()].reduce((total, copies) => total + copies, 0),
      lost: planned.filter((id) => !final.has(id) || !history.has(id)).length,
      duplicates: extraCopies(final.values()) + extraCopies(history.values()),
      unexpected: [...final.keys()].filter((id) => !plannedSet.has(id)).length,
      errors: errors.length,
      errorSamples: errors.slice(0, 3),
      reconnects: { resumed: afterRestart.filter((way) => way === 'resumed').length, newStream: afterRestart.filter((way) => way === 'new stream').length },
      exitSignal,
      rateBeforeKill: Math.round((killedAtAcked * 1000) / Math.max(1, killedAt - burstStarted)),
      restartMs: Math.round(restartMs),
      recoverMs: Math.round(recoveredAt - killedAt),
      finishMs: Math.round(finishMs),
    };
  } finally {
    for (const server of servers) await server.stop().catch(() => undefined);
    await db.dispose().catch(() => undefined);
  }
}
