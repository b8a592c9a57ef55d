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
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ParleyServer } from '@parley/server';
import type { TestDatabaseKind } from '@parley/testkit';
import { openBenchDatabase, openInProcessServer, type BenchDatabase } from './lib/bench-db.js';
import { pick, runLoad, type LoadContext } from './lib/load.js';
import { formatErrorKinds, formatTable, summarize, type PhaseSummary } from './lib/report.js';
import { readManifest, seedChat, verifySeed, writeManifest, type SeedData, type SeedDialog, type SeedManifest, type SeedStats } from './lib/seed-chat.js';
import { startServerProcess, type ServerProcess } from './lib/server-process.js';

interface Params {
  messages: number;
  dialogs: number;
  users: number;
  seconds: number;
  /** Concurrency levels, run one after the other (every phase at each). */
  concurrency: number[];
  db: TestDatabaseKind;
  dataDir: string | undefined;
  seedConcurrency: number;
  seedSeconds: number;
  /** Serve the timed phases from this process instead of a server child process. */
  inProcess: boolean;
}

/** The server the timed phases talk to, wherever it runs. */
interface Target {
  url: string;
  app: { id: number; authKey: string };
}

interface BenchSession {
  userId: number;
  token: string;
  dialogs: SeedDialog[];
  /** The user's dialogs that hold messages, with cumulative sizes for size-weighted picks. */
  filled: SeedDialog[];
  cumulative: number[];
}

/** In-flight requests may run this long past a phase's end before being aborted as timeouts. */
const GRACE_MS = 5_000;
const SERVER_START_TIMEOUT_MS = 120_000;
/** Start-up bound of the server child process (bench/lib/server-process.ts). */
const SERVER_PROCESS_START_TIMEOUT_MS = 60_000;
const SERVER_STOP_TIMEOUT_MS = 30_000;
const VERIFY_TIMEOUT_MS = 300_000;
/** log2 scrypt cost of the seeded users' password hash (and of the server's new ones). */
const PASSWORD_HASH_COST = 10;
/** Users that get a session token; each request runs as a random one of them. */
const SESSION_USERS = 100;
const SESSION_SETUP_SECONDS = 60;
const PAGE_LIMIT = 50;
const DEEP_FRACTION = 0.8;
const UNREAD_DIALOGS = 5;
/** The goal every read phase is held to (at 1,000,000 messages on SQLite). */
const READ_P99_TARGET_MS = 5;
const MANIFEST_FILE = 'chat-rest-seed.json';
/** The server's data folder inside --data-dir; the only thing this benchmark ever deletes there. */
const DB_FOLDER = 'parley-db';
const PHASE_NAMES = ['dialog list', 'latest page', 'deep page', 'unread total', 'unread 5 dialogs', 'create message'];

const USAGE = `usage: npx tsx bench/chat-rest.ts [--messages N] [--dialogs N] [--users N] [--seconds S] [--concurrency C[,C...]]
                                  [--db sqlite|postgres] [--data-dir DIR] [--seed-concurrency N] [--seed-seconds T]
                                  [--in-process]
  --messages N          messages to seed (default 1000000)
  --dialogs N           dialogs to seed (default 10000)
  --users N             users to seed (default 2000)
  --seconds S           duration of each timed phase (default 10)
  --concurrency C       concurrent HTTP workers (default 16); a list (1,4,16) runs every phase at each level
  --db KIND             sqlite or postgres (default sqlite)
  --data-dir DIR        keep the SQLite database in DIR and reuse it when its counts match (default: a temp folder)
  --seed-concurrency N  dialogs seeded at once (default 4 on SQLite, 16 on PostgreSQL)
  --seed-seconds T      time cap for seeding messages (default 1800)
  --in-process          serve the timed phases from this process (shares its thread with the load generator)
                        instead of a server child process`;

function usageError(message: string): never {
  process.stderr.write(`error: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function integerOption(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    usageError(`--${name} must be an integer from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}

/** `16` or `1,4,16`: levels in the order given, each from 1 to 10,000, no repeats. */
function concurrencyOption(raw: string | undefined): number[] {
  if (raw === undefined) return [16];
  const levels = raw.split(',').map((part) => integerOption('concurrency', part, 0, 1, 10_000));
  if (new Set(levels).size !== levels.length) usageError(`--concurrency lists a level twice: '${raw}'`);
  return levels;
}

function parseParams(argv: string[]): Params {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        messages: { type: 'string' },
        dialogs: { type: 'string' },
        users: { type: 'string' },
        seconds: { type: 'string' },
        concurrency: { type: 'string' },
        db: { type: 'string' },
        'data-dir': { type: 'string' },
        'seed-concurrency': { type: 'string' },
        'seed-seconds': { type: 'string' },
        'in-process': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    usageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const text = (name: string) => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  const db = text('db') ?? 'sqlite';
  if (db !== 'sqlite' && db !== 'postgres') usageError(`--db must be sqlite or postgres, got '${db}'`);
  const dataDir = text('data-dir');
  if (dataDir !== undefined && dataDir.trim() === '') usageError('--data-dir must not be empty');
  if (dataDir !== undefined && db === 'postgres') usageError('--data-dir works with --db sqlite only (PostgreSQL runs on a throwaway database)');
  return {
    messages: integerOption('messages', text('messages'), 1_000_000, 0, 100_000_000),
    dialogs: integerOption('dialogs', text('dialogs'), 10_000, 1, 10_000_000),
    users: integerOption('users', text('users'), 2000, 3, 1_000_000),
    seconds: integerOption('seconds', text('seconds'), 10, 1, 3600),
    concurrency: concurrencyOption(text('concurrency')),
    db,
    dataDir: dataDir === undefined ? undefined : path.resolve(dataDir),
    seedConcurrency: integerOption('seed-concurrency', text('seed-concurrency'), db === 'sqlite' ? 4 : 16, 1, 1000),
    seedSeconds: integerOption('seed-seconds', text('seed-seconds'), 1800, 1, 24 * 3600),
    inProcess: values['in-process'] === true,
  };
}

const progress = (message: string) => process.stderr.write(`[bench:chat-rest] ${message}\n`);

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A phase that could not run (e.g. no tokens): reported as a row of zeros. */
function emptySummary(phase: string): PhaseSummary {
  return summarize(phase, { requests: 0, ok: 0, errors: 0, errorKinds: {}, latenciesMs: new Float64Array(0), elapsedMs: 0, timeLimited: false });
}

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(Math.random() * (index + 1));
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}

/** A dialog of the session's user, picked with probability proportional to its size. */
function pickBySize(session: BenchSession): SeedDialog {
  const total = session.cumulative[session.cumulative.length - 1] ?? 0;
  const target = Math.random() * total;
  let low = 0;
  let high = session.cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((session.cumulative[middle] ?? 0) > target) high = middle;
    else low = middle + 1;
  }
  return session.filled[low] ?? pick(session.dialogs);
}

interface LevelResult {
  concurrency: number;
  rows: PhaseSummary[];
}

interface RunResult {
  levels: LevelResult[];
  sessions: number;
  sessionSeconds: number;
  deepSkipMean: number;
  deepSkipMax: number;
  created: number;
}

async function runPhases(target: Target, data: SeedData, params: Params): Promise<RunResult> {
  const { url, app } = target;
  const durationMs = params.seconds * 1000;
  const json = { 'Content-Type': 'application/json;charset=utf-8' };

  // Sessions for ~100 random users that have dialogs with messages.
  const dialogsOf = new Map<number, SeedDialog[]>();
  for (const dialog of data.dialogs) {
    for (const member of dialog.memberIds) dialogsOf.set(member, [...(dialogsOf.get(member) ?? []), dialog]);
  }
  const candidates = shuffled(data.users.filter((user) => (dialogsOf.get(user.id) ?? []).some((dialog) => dialog.messages > 0))).slice(0, SESSION_USERS);
  progress(`creating sessions for ${candidates.length} users`);
  const sessions: BenchSession[] = [];
  const sessionLoad = await runLoad({
    concurrency: Math.min(Math.max(...params.concurrency), 8),
    durationMs: SESSION_SETUP_SECONDS * 1000,
    graceMs: GRACE_MS,
    maxRequests: candidates.length,
    request: async ({ sequence, signal }: LoadContext) => {
      const user = candidates[sequence];
      if (!user) return 0;
      const response = await fetch(`${url}/session.json`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ application_id: app.id, auth_key: app.authKey, user: { login: user.login, password: data.password } }),
        signal,
      });
      const text = await response.text();
      if (response.ok) {
        const dialogs = dialogsOf.get(user.id) ?? [];
        const filled = dialogs.filter((dialog) => dialog.messages > 0);
        let running = 0;
        sessions.push({
          userId: user.id,
          token: (JSON.parse(text) as { session: { token: string } }).session.token,
          dialogs,
          filled,
          cumulative: filled.map((dialog) => (running += dialog.messages)),
        });
      }
      return response.status;
    },
  });
  const sessionSeconds = Math.round(sessionLoad.elapsedMs) / 1000;
  if (sessionLoad.errors > 0) progress(`session errors: ${JSON.stringify(sessionLoad.errorKinds)}`);
  if (sessions.length === 0) {
    progress('no session token could be obtained; the timed phases are skipped');
    return {
      levels: params.concurrency.map((concurrency) => ({ concurrency, rows: PHASE_NAMES.map(emptySummary) })),
      sessions: 0,
      sessionSeconds,
      deepSkipMean: 0,
      deepSkipMax: 0,
      created: 0,
    };
  }

  const get = async (session: BenchSession, pathAndQuery: string, signal: AbortSignal) => {
    const response = await fetch(`${url}${pathAndQuery}`, { headers: { 'CB-Token': session.token }, signal });
    await response.arrayBuffer();
    return response.status;
  };
  let deepSkipTotal = 0;
  let deepRequests = 0;
  let deepSkipMax = 0;
  const createdIn = new Map<string, number>();
  let created = 0;
  const phases: { name: string; request: (context: LoadContext) => Promise<number> }[] = [
    {
      name: 'dialog list',
      request: ({ signal }) => get(pick(sessions), `/chat/Dialog.json?limit=${PAGE_LIMIT}`, signal),
    },
    {
      name: 'latest page',
      request: ({ signal }) => {
        const session = pick(sessions);
        const dialog = pick(session.dialogs);
        return get(session, `/chat/Message.json?chat_dialog_id=${dialog.id}&sort_desc=date_sent&limit=${PAGE_LIMIT}&mark_as_read=0`, signal);
      },
    },
    {
      name: 'deep page',
      request: ({ signal }) => {
        const session = pick(sessions);
        const dialog = pickBySize(session);
        const skip = Math.floor(dialog.messages * DEEP_FRACTION);
        deepSkipTotal += skip;
        deepRequests += 1;
        deepSkipMax = Math.max(deepSkipMax, skip);
        return get(session, `/chat/Message.json?chat_dialog_id=${dialog.id}&sort_asc=date_sent&skip=${skip}&limit=${PAGE_LIMIT}&mark_as_read=0`, signal);
      },
    },
    {
      name: 'unread total',
      request: ({ signal }) => get(pick(sessions), '/chat/Message/unread.json', signal),
    },
    {
      name: 'unread 5 dialogs',
      request: ({ signal }) => {
        const session = pick(sessions);
        const ids = shuffled(session.dialogs).slice(0, UNREAD_DIALOGS).map((dialog) => dialog.id);
        return get(session, `/chat/Message/unread.json?chat_dialog_ids=${ids.join(',')}`, signal);
      },
    },
    {
      name: 'create message',
      request: async ({ signal, sequence }) => {
        const session = pick(sessions);
        const dialog = pick(session.dialogs);
        const response = await fetch(`${url}/chat/Message.json`, {
          method: 'POST',
          headers: { ...json, 'CB-Token': session.token },
          body: JSON.stringify({ chat_dialog_id: dialog.id, message: `bench message ${sequence}`, markable: 1 }),
          signal,
        });
        await response.arrayBuffer();
        if (response.ok) {
          createdIn.set(dialog.id, (createdIn.get(dialog.id) ?? 0) + 1);
          created += 1;
        }
        return response.status;
      },
    },
  ];

  const levels: LevelResult[] = [];
  for (const [levelIndex, concurrency] of params.concurrency.entries()) {
    const rows: PhaseSummary[] = [];
    const level = params.concurrency.length > 1 ? `level ${levelIndex + 1}/${params.concurrency.length}, ` : '';
    for (const [index, phase] of phases.entries()) {
      progress(`${level}phase ${index + 1}/${phases.length}: ${phase.name} for ${params.seconds} s (concurrency ${concurrency})`);
      rows.push(summarize(phase.name, await runLoad({ concurrency, durationMs, graceMs: GRACE_MS, request: phase.request })));
    }
    levels.push({ concurrency, rows });
  }
  // Keep the seed's per-dialog counts true to the database (the manifest is rewritten from them).
  for (const dialog of data.dialogs) dialog.messages += createdIn.get(dialog.id) ?? 0;
  return {
    levels,
    sessions: sessions.length,
    sessionSeconds,
    deepSkipMean: deepRequests > 0 ? Math.round(deepSkipTotal / deepRequests) : 0,
    deepSkipMax,
    created,
  };
}

/** How the timed phases were served, for the report. */
interface ServerMode {
  process: boolean;
  pid: number;
}

async function main(): Promise<number> {
  const params = parseParams(process.argv.slice(2));
  const startedAt = new Date();
  const dbDir = params.dataDir === undefined ? undefined : path.join(params.dataDir, DB_FOLDER);
  const manifestFile = params.dataDir === undefined ? undefined : path.join(params.dataDir, MANIFEST_FILE);
  const wanted = { users: params.users, dialogs: params.dialogs, messages: params.messages };

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
      await rm(dbDir, { recursive: true, force: true });
      await rm(manifestFile, { force: true });
    }
  }

  // Every phase is bounded by its own hard stop; this catches anything else that hangs.
  const timedPhases = PHASE_NAMES.length * params.concurrency.length;
  const boundMs =
    (3 * SERVER_START_TIMEOUT_MS + SERVER_PROCESS_START_TIMEOUT_MS + VERIFY_TIMEOUT_MS + 3 * SERVER_STOP_TIMEOUT_MS) +
    (params.seedSeconds + 900 + SESSION_SETUP_SECONDS + timedPhases * params.seconds) * 1000 +
    (2 + timedPhases) * GRACE_MS +
    60_000;
  const watchdog = setTimeout(() => {
    process.stderr.write(`error: the run exceeded its ${Math.round(boundMs / 1000)} s bound; exiting\n`);
    process.exit(1);
  }, boundMs);
  watchdog.unref();

  // What is running or exists, torn down in reverse by shutdown(): the server child process, the
  // server built in this process, the database location (temporary folder / PostgreSQL database).
  let db: BenchDatabase | undefined;
  let local: ParleyServer | undefined;
  let child: ServerProcess | undefined;
  const warn = (error: unknown) => process.stderr.write(`warning: ${errorText(error)}\n`);
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
      const exit = await serverProcess.stop();
      if (exit.killed) progress('the server process ignored SIGTERM and was killed');
      const tail = serverProcess.stderrTail().trim();
      if (tail) progress(`the server process wrote to stderr:\n${tail}`);
    }
    if (local) {
      progress('stopping the in-process server');
      await closeLocal();
    }
    const location = db;
    db = undefined;
    if (location) await withTimeout(location.dispose(), SERVER_STOP_TIMEOUT_MS, 'database clean-up').catch(warn);
  };
  process.once('SIGINT', () => {
    progress('interrupted');
    void shutdown().finally(() => process.exit(130));
  });

  let data: SeedData;
  let seed: SeedStats;
  let result: RunResult;
  let mode: ServerMode;
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
        await rm(dbDir, { recursive: true, force: true });
        await rm(manifestFile, { force: true });
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
    if (manifestFile !== undefined) {
      await writeManifest(manifestFile, { format: 'parley-bench-chat-seed/1', db: params.db, params: wanted, data, stats: { ...seed, reused: false }, writtenAt: new Date().toISOString() });
    }

    let target: Target;
    if (params.inProcess) {
      const { url } = await server.listen();
      if (new URL(url).hostname !== '127.0.0.1') throw new Error(`the server listens on ${url}, not on 127.0.0.1`);
      progress(`server in this process at ${url} (--in-process)`);
      target = { url, app: { id: app.id, authKey: app.authKey } };
      mode = { process: false, pid: process.pid };
    } else {
      progress('closing the in-process store; starting the server process on the same data');
      await closeLocal();
      const started = await startServerProcess({
        dataDir: db.dataDir,
        databaseUrl: db.databaseUrl,
        passwordHashCost: PASSWORD_HASH_COST,
        startTimeoutMs: SERVER_PROCESS_START_TIMEOUT_MS,
      });
      child = started;
      void started.exited.then((exit) => {
        if (child === started) {
          progress(`the server process exited during the run (code ${exit.code ?? '-'}, signal ${exit.signal ?? '-'}); its stderr:\n${started.stderrTail()}`);
        }
      });
      progress(`server process ${started.pid} at ${started.url}`);
      if (started.app.id !== app.id || started.app.authKey !== app.authKey) {
        throw new Error(`the server process uses application ${started.app.id} (${started.app.authKey}), the seed application ${app.id} (${app.authKey})`);
      }
      target = started;
      mode = { process: true, pid: started.pid };
    }

    result = await runPhases(target, data, params);
    if (manifestFile !== undefined) {
      await writeManifest(manifestFile, { format: 'parley-bench-chat-seed/1', db: params.db, params: wanted, data, stats: { ...seed, reused: false }, writtenAt: new Date().toISOString() });
    }
    await shutdown();
    clearTimeout(watchdog);
    return report(params, startedAt, data, seed, messagesAtStart, result, mode);
  } catch (error) {
    process.stderr.write(`error: the benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    await shutdown();
    return 1;
  }
}

interface Miss {
  concurrency: number;
  phase: string;
  p99Ms: number | null;
  errors: number;
}

function report(params: Params, startedAt: Date, data: SeedData, seed: SeedStats, messagesAtStart: number, result: RunResult, mode: ServerMode): number {
  const totalSeconds = Math.round((Date.now() - startedAt.getTime()) / 100) / 10;
  const missesOf = (level: LevelResult): Miss[] =>
    level.rows
      .filter((row) => row.phase !== 'create message')
      .filter((row) => row.p99Ms === null || row.p99Ms >= READ_P99_TARGET_MS || row.errors > 0)
      .map((row) => ({ concurrency: level.concurrency, phase: row.phase, p99Ms: row.p99Ms, errors: row.errors }));
  const seeding = seed.reused
    ? `reused seeded database (originally ${seed.messages} messages in ${seed.messagesSeconds} s, ${seed.messagesPerSecond} msg/s)`
    : `seeded in ${seed.totalSeconds} s: users ${seed.usersSeconds} s, dialogs ${seed.dialogsSeconds} s, ` +
      `messages ${seed.messagesSeconds} s (${seed.messagesPerSecond} msg/s incl. ${seed.readMarks} read marks)${seed.complete ? '' : ' — INCOMPLETE, hit --seed-seconds'}`;
  const server = mode.process
    ? `server: separate process (pid ${mode.pid}, node packages/server/bin/parley.js serve --log-level warn); this process (pid ${process.pid}) is only the load generator`
    : `server: in this process (--in-process, pid ${mode.pid}), sharing one thread with the load generator`;
  const lines = [
    `chat REST benchmark — db ${params.db}, ${data.users.length} users, ${data.dialogs.length} dialogs ` +
      `(${seed.privateDialogs} private, ${seed.groupDialogs} group), ${messagesAtStart} messages (largest dialog ${seed.largestDialog}), ` +
      `${params.seconds} s per phase, concurrency ${params.concurrency.join(', ')}, ${result.sessions} user sessions, node ${process.version}`,
    server,
    seeding,
    `deep page skip: mean ${result.deepSkipMean}, max ${result.deepSkipMax}`,
  ];
  const misses: Miss[] = [];
  for (const level of result.levels) {
    const levelMisses = missesOf(level);
    misses.push(...levelMisses);
    lines.push(
      '',
      `concurrency ${level.concurrency}:`,
      formatTable(level.rows),
      ...formatErrorKinds(level.rows),
      levelMisses.length === 0
        ? `read p99 target (< ${READ_P99_TARGET_MS} ms): all read phases met it`
        : `read p99 target (< ${READ_P99_TARGET_MS} ms) missed by: ${levelMisses.map((miss) => `${miss.phase} (p99 ${miss.p99Ms ?? '-'} ms, ${miss.errors} errors)`).join(', ')}`,
    );
  }
  lines.push('');
  process.stdout.write(`${lines.join('\n')}\n`);
  const json = {
    bench: 'chat-rest',
    startedAt: startedAt.toISOString(),
    totalSeconds,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: os.cpus().length,
    uvThreadpoolSize: Number(process.env.UV_THREADPOOL_SIZE ?? 4),
    serverProcess: mode.process,
    params: {
      messages: params.messages,
      dialogs: params.dialogs,
      users: params.users,
      seconds: params.seconds,
      concurrency: params.concurrency,
      db: params.db,
      dataDir: params.dataDir ?? null,
      seedConcurrency: params.seedConcurrency,
      seedSeconds: params.seedSeconds,
      inProcess: params.inProcess,
      pageLimit: PAGE_LIMIT,
      deepFraction: DEEP_FRACTION,
      unreadDialogs: UNREAD_DIALOGS,
    },
    seed,
    dataset: { users: data.users.length, dialogs: data.dialogs.length, messagesAtStart, messagesAtEnd: messagesAtStart + result.created },
    sessions: { users: result.sessions, seconds: result.sessionSeconds },
    deepPage: { meanSkip: result.deepSkipMean, maxSkip: result.deepSkipMax },
    created: result.created,
    target: { readP99Ms: READ_P99_TARGET_MS, met: misses.length === 0, misses },
    phases: result.levels.flatMap((level) => level.rows.map((row) => ({ concurrency: level.concurrency, ...row }))),
  };
  process.stdout.write(`${JSON.stringify(json)}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
