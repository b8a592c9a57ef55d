/**
 * Chat REST benchmark: dialog lists, history pages, unread counters and message sends against a real
 * server holding a seeded chat data set.
 *
 *   npx tsx bench/chat-rest.ts [--messages 1000000] [--dialogs 10000] [--users 2000] [--seconds 10]
 *                              [--concurrency 16 | --concurrency 1,4,16] [--db sqlite|postgres]
 *                              [--data-dir DIR] [--seed-concurrency N] [--seed-seconds T] [--in-process]
 *
 * Seeding runs in this process, through the store of a server built here without listening. That
 * server is then closed and the timed phases run against the real server started as a child process
 * (bench/lib/server-process.ts: `node packages/server/bin/parley.js serve`, 127.0.0.1, free port) on
 * the same data (SQLite: the same data folder; PostgreSQL: the same database). This process is only the
 * load generator, over loopback HTTP with Node's global fetch (undici, keep-alive); on a machine with
 * few cores the two processes still compete for CPU. With --in-process the server keeps running in
 * this process and listens there (the old behaviour): server and load generator then share one thread,
 * and at higher concurrency the latency is mostly queueing in that thread.
 *
 * Seeding (bench/lib/seed-chat.ts) goes through the server's ports only: users, dialogs with member
 * rows, then messages one `store.messages.create` at a time with read marks interleaved. Without
 * --data-dir the database lives in a temporary folder and is removed afterwards. With --data-dir
 * (SQLite only) it lives in DIR/parley-db next to a manifest, DIR/chat-rest-seed.json; a later run with
 * the same --users/--dialogs/--messages reuses it when the database still holds what the manifest says
 * (checked through the ports), and otherwise DIR/parley-db is wiped and seeded again. Messages sent by
 * the `create` phase stay in the database and the manifest counts them. The check compares counts, not
 * the schema: after a change to the server's migrations, delete DIR (or pass a new one).
 *
 * Phases, each --seconds long with --concurrency workers (a list such as 1,4,16 runs every phase at each
 * level in turn, one table per level), each request as one of ~100 seeded users
 * with a session token from POST /session.json (login/password):
 *   dialog list       GET /chat/Dialog.json?limit=50
 *   latest page       GET /chat/Message.json?chat_dialog_id=X&sort_desc=date_sent&limit=50&mark_as_read=0
 *                     (X: one of the user's dialogs, uniformly)
 *   deep page         GET /chat/Message.json?chat_dialog_id=X&sort_asc=date_sent&skip=S&limit=50&mark_as_read=0
 *                     (X: one of the user's dialogs weighted by its size, S = 80% of its messages)
 *   unread total      GET /chat/Message/unread.json
 *   unread 5 dialogs  GET /chat/Message/unread.json?chat_dialog_ids=<5 of the user's dialogs>
 *   create message    POST /chat/Message.json into one of the user's dialogs
 *
 * Any non-2xx response, network error or timeout is an error; percentiles are of successful requests.
 * Prints a table per concurrency level, then one JSON line (the last line of stdout; its `phases` hold
 * every level's rows, each with its `concurrency`). Progress goes to stderr.
 * Exit status: 0 after a run (errors included), 1 if the server could not start or the run broke,
 * 2 for bad arguments.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ParleyServer } from '@parley/server';
import type { ApiTarget } from './lib/api.js';
import { openBenchDatabase, openInProcessServer, type BenchDatabase } from './lib/bench-db.js';
import { parseChatParams } from './lib/chat-params.js';
import { PHASE_NAMES, runPhases, SESSION_SETUP_SECONDS, type RunResult } from './lib/chat-phases.js';
import { report, type ServerMode } from './lib/chat-report.js';
import { withTimeout } from './lib/cli.js';
import { errorStack, GRACE_MS, onInterrupt, progressLine, runMain, SERVER_START_TIMEOUT_MS, SERVER_STOP_TIMEOUT_MS, startWatchdog, warn } from './lib/run.js';
import { readManifest, seedChat, verifySeed, writeManifest, type SeedData, type SeedManifest, type SeedStats } from './lib/seed-chat.js';
import { SERVER_PROCESS_START_TIMEOUT_MS, startWatchedServerProcess, type WatchedServerProcess } from './lib/watched-server.js';

const VERIFY_TIMEOUT_MS = 300_000;
/** log2 scrypt cost of the seeded users' password hash (and of the server's new ones). */
const PASSWORD_HASH_COST = 10;
const MANIFEST_FILE = 'chat-rest-seed.json';
/** The server's data folder inside --data-dir; the only thing this benchmark ever deletes there. */
const DB_FOLDER = 'parley-db';

const progress = progressLine('chat-rest');

async function main(): Promise<number> {
  const params = parseChatParams(process.argv.slice(2));
  const startedAt = new Date();
  const dbDir = params.dataDir === undefined ? undefined : path.join(params.dataDir, DB_FOLDER);
  const manifestFile = params.dataDir === undefined ? undefined : path.join(params.dataDir, MANIFEST_FILE);
  const wanted = { users: params.users, dialogs: params.dialogs, messages: params.messages };
  const wipeDataDir = async (db: string, manifest: string) => {
    await rm(db, { recursive: true, force: true });
    await rm(manifest, { force: true });
  };

  // A kept data folder: reuse it when its manifest is for these counts, else start it afresh.
  let manifest: SeedManifest | undefined;
  if (params.dataDir !== undefined && dbDir !== undefined && manifestFile !== undefined) {
    await mkdir(params.dataDir, { recursive: true });
    manifest = await readManifest(manifestFile);
    const same =
      manifest !== undefined &&
      manifest.db === params.db &&
      manifest.stats.complete &&
      manifest.params.users === wanted.users &&
      manifest.params.dialogs === wanted.dialogs &&
      manifest.params.messages === wanted.messages;
    if (!same) {
      if (manifest) progress(`${manifestFile} is for other counts (or an incomplete seed); seeding afresh`);
      else if (existsSync(dbDir)) progress(`${dbDir} has no manifest (an interrupted seed?); seeding afresh`);
      manifest = undefined;
      await wipeDataDir(dbDir, manifestFile);
    }
  }

  // Every phase is bounded by its own hard stop; the watchdog catches anything else that hangs.
  const timedPhases = PHASE_NAMES.length * params.concurrency.length;
  const boundMs =
    (3 * SERVER_START_TIMEOUT_MS + SERVER_PROCESS_START_TIMEOUT_MS + VERIFY_TIMEOUT_MS + 3 * SERVER_STOP_TIMEOUT_MS) +
    (params.seedSeconds + 900 + SESSION_SETUP_SECONDS + timedPhases * params.seconds) * 1000 +
    (2 + timedPhases) * GRACE_MS +
    60_000;
  const stopWatchdog = startWatchdog(boundMs);

  // What is running or exists, torn down in reverse by shutdown(): the server child process, the
  // server built in this process, the database location (temporary folder / PostgreSQL database).
  let db: BenchDatabase | undefined;
  let local: ParleyServer | undefined;
  let child: WatchedServerProcess | undefined;
  const closeLocal = async () => {
    const server = local;
    local = undefined;
    if (server) await withTimeout(server.close(), SERVER_STOP_TIMEOUT_MS, 'in-process server close').catch(warn);
  };
  const shutdown = async () => {
    const serverProcess = child;
    child = undefined;
    if (serverProcess) {
      progress(`stopping the server process ${serverProcess.pid}`);
      await serverProcess.stop();
    }
    if (local) {
      progress('stopping the in-process server');
      await closeLocal();
    }
    const location = db;
    db = undefined;
    if (location) await withTimeout(location.dispose(), SERVER_STOP_TIMEOUT_MS, 'database clean-up').catch(warn);
  };
  onInterrupt(progress, shutdown);

  let data: SeedData;
  let seed: SeedStats;
  let result: RunResult;
  let mode: ServerMode;
  // Rewritten after the run too: the `create message` phase adds to the per-dialog counts.
  const saveManifest = async () => {
    if (manifestFile === undefined) return;
    await writeManifest(manifestFile, { format: 'parley-bench-chat-seed/1', db: params.db, params: wanted, data, stats: { ...seed, reused: false }, writtenAt: new Date().toISOString() });
  };
  try {
    progress(`preparing the ${params.db} database${dbDir === undefined ? '' : ` in ${dbDir}`}`);
    db = await withTimeout(openBenchDatabase(params.db, dbDir), SERVER_START_TIMEOUT_MS, 'database set-up');
    const openLocal = async (location: BenchDatabase) => {
      progress(`opening the store in this process (${location.description})`);
      local = await withTimeout(openInProcessServer(location, PASSWORD_HASH_COST), SERVER_START_TIMEOUT_MS, 'in-process server start');
      return { server: local, app: (await local.services.apps.ensureDefault()).app };
    };
    let { server, app } = await openLocal(db);

    if (manifest && dbDir !== undefined && manifestFile !== undefined) {
      progress(`checking the seeded database against ${manifestFile}`);
      const problem = await withTimeout(verifySeed(server.store, app.id, manifest.data, 8), VERIFY_TIMEOUT_MS, 'seed check');
      if (problem !== undefined) {
        progress(`the database does not match its manifest (${problem}); seeding afresh`);
        manifest = undefined;
        await closeLocal();
        await wipeDataDir(dbDir, manifestFile);
        ({ server, app } = await openLocal(db));
      }
    }
    if (manifest) {
      progress(`reusing the seeded database (${manifest.stats.messages} messages seeded in ${manifest.stats.totalSeconds} s)`);
      data = manifest.data;
      seed = { ...manifest.stats, reused: true };
    } else {
      ({ data, stats: seed } = await seedChat(server, app.id, { ...wanted, concurrency: params.seedConcurrency, maxSeconds: params.seedSeconds }, progress));
      progress(
        `seeded ${seed.users} users, ${seed.dialogs} dialogs, ${seed.messages} messages (${seed.readMarks} read marks) in ${seed.totalSeconds} s; ` +
          `messages at ${seed.messagesPerSecond}/s`,
      );
    }
    // As a long-running server does every few minutes: planner statistics that know the history.
    await server.store.optimize();
    const messagesAtStart = data.dialogs.reduce((total, dialog) => total + dialog.messages, 0);
    await saveManifest();

    let target: ApiTarget;
    if (params.inProcess) {
      const { url } = await server.listen();
      if (new URL(url).hostname !== '127.0.0.1') throw new Error(`the server listens on ${url}, not on 127.0.0.1`);
      progress(`server in this process at ${url} (--in-process)`);
      target = { url, app: { id: app.id, authKey: app.authKey } };
      mode = { process: false, pid: process.pid };
    } else {
      progress('closing the in-process store; starting the server process on the same data');
      await closeLocal();
      const started = await startWatchedServerProcess(db, PASSWORD_HASH_COST, progress);
      child = started;
      progress(`server process ${started.pid} at ${started.url}`);
      if (started.app.id !== app.id || started.app.authKey !== app.authKey) {
        throw new Error(`the server process uses application ${started.app.id} (${started.app.authKey}), the seed application ${app.id} (${app.authKey})`);
      }
      target = started;
      mode = { process: true, pid: started.pid };
    }

    result = await runPhases(target, data, params, progress);
    await saveManifest();
    await shutdown();
    stopWatchdog();
    return report(params, startedAt, data, seed, messagesAtStart, result, mode);
  } catch (error) {
    process.stderr.write(`error: the benchmark failed: ${errorStack(error)}\n`);
    await shutdown();
    return 1;
  }
}

runMain(main);
