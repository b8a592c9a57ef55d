/**
 * Parley as a target of bench/xmpp.ts: accounts are created through the server's own user service
 * in this process (one password hash for all, then plain inserts, as bench/lib/seed-chat.ts does) on
 * a temporary SQLite folder; then the real server runs on that folder as a child process
 * (bench/lib/watched-server.ts) and serves XMPP over WebSocket at ws://127.0.0.1:PORT/ws.
 */
import path from 'node:path';
import type { ParleyServer } from '@parley/server';
import { openBenchDatabase, openInProcessServer } from './bench-db.js';
import { withTimeout } from './cli.js';
import { SERVER_START_TIMEOUT_MS, SERVER_STOP_TIMEOUT_MS, warn, type Progress } from './run.js';
import { startWatchedServerProcess } from './watched-server.js';
import { countRows, type XmppTarget } from './xmpp-target.js';

const PASSWORD = 'bench-xmpp-password';
/** Parley's default chat domain (the server process gets no --chat-domain). */
const CHAT_DOMAIN = 'localhost';
const CREATE_CONCURRENCY = 8;

/** What a benchmark may add to the plain set-up (bench/xmpp-goals.ts: session tokens, a room). */
export interface ParleyExtras {
  /** More seeding through the in-process server, after the users exist and before the child starts. */
  seed?(server: ParleyServer, appId: number, userIds: readonly number[]): Promise<void>;
  /** Node options of the server child process (e.g. --cpu-prof). */
  nodeArgs?: readonly string[];
}

export async function startParley(accounts: number, passwordHashCost: number, progress: Progress, extras: ParleyExtras = {}): Promise<XmppTarget> {
  const db = await openBenchDatabase('sqlite');
  try {
    progress(`parley: creating ${accounts} users in ${db.description} (scrypt cost 2^${passwordHashCost})`);
    const local = await withTimeout(openInProcessServer(db, passwordHashCost), SERVER_START_TIMEOUT_MS, 'in-process server start');
    const ids = new Array<number>(accounts);
    let appId: number;
    try {
      const { app } = await local.services.apps.ensureDefault();
      appId = app.id;
      const credentials = await local.services.users.credentialsFor(PASSWORD);
      let next = 0;
      await Promise.all(
        Array.from({ length: CREATE_CONCURRENCY }, async () => {
          while (next < accounts) {
            const index = next;
            next += 1;
            const user = await local.services.users.createUser(app.id, { login: `xmppbench_${index}`, ...credentials }, false);
            ids[index] = user.id;
          }
        }),
      );
      await extras.seed?.(local, app.id, ids);
    } finally {
      await withTimeout(local.close(), SERVER_STOP_TIMEOUT_MS, 'in-process server close').catch(warn);
    }
    const child = await startWatchedServerProcess(db, passwordHashCost, progress, extras.nodeArgs);
    const wsUrl = `${child.url.replace(/^http/, 'ws')}/ws`;
    progress(`parley: server process ${child.pid} at ${wsUrl}`);
    let stopping: Promise<void> | undefined;
    return {
      name: 'parley',
      version: `Parley (this repository, node ${process.version})`,
      wsUrl,
      domain: CHAT_DOMAIN,
      password: PASSWORD,
      username: (index) => `${ids[index] ?? 0}-${appId}`,
      persistence: 'save_to_history=1: a message row in the private dialog + dialog last-message/unread update, SQLite',
      // The SQLite adapter's file in the data folder (packages/server/src/adapters/store-sqlite).
      storedRows: () => countRows(path.join(db.dataDir, 'parley.sqlite'), 'messages'),
      pid: child.pid,
      stop() {
        stopping ??= (async () => {
          await child.stop();
          await withTimeout(db.dispose(), SERVER_STOP_TIMEOUT_MS, 'database clean-up').catch(warn);
        })();
        return stopping;
      },
    };
  } catch (error) {
    await db.dispose().catch(warn);
    throw error;
  }
}
