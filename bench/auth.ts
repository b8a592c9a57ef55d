/**
 * Auth benchmark: sign-up, session creation and authenticated user lists against a real server.
 *
 *   npx tsx bench/auth.ts [--users N] [--seconds S] [--concurrency C] [--db sqlite|postgres]
 *                         [--hash-cost N] [--setup-seconds T] [--in-process]
 *
 * The server runs as a child process (bench/lib/server-process.ts: `node packages/server/bin/parley.js
 * serve`, 127.0.0.1, free port) on a temporary SQLite folder or a throwaway PostgreSQL database, and
 * this process is only the load generator, over loopback HTTP with Node's global fetch (undici,
 * keep-alive); on a machine with few cores the two processes still compete for CPU. With --in-process
 * the server runs in this process instead (testkit `startServer`, the old behaviour), sharing one
 * thread with the load generator, so the numbers then include the client's own CPU and its queueing.
 *
 * Phases:
 *   signup    N sign-ups (POST /users.json with CB-AuthKey), C at a time, capped at --setup-seconds
 *   session   S seconds of POST /session.json as a random one of the created users
 *   users v1  S seconds of GET /users.json?page=<random>&per_page=10 with a user's CB-Token
 *   users v2  S seconds of GET /users/v2.json?id[in][]=… (10 random user ids) with a user's CB-Token
 *
 * Any non-2xx response, network error or timeout is an error; percentiles are of successful requests.
 * Prints a table, then one JSON line (the last line of stdout). Progress goes to stderr.
 * Exit status: 0 after a run (errors included), 1 if the server could not start or the run broke,
 * 2 for bad arguments.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { configSchema } from '@parley/server/config';
import { startServer, type TestDatabaseKind } from '@parley/testkit';
import { openBenchDatabase, type BenchDatabase } from './lib/bench-db.js';
import { pick, runLoad, type LoadContext } from './lib/load.js';
import { formatErrorKinds, formatTable, summarize, type PhaseSummary } from './lib/report.js';
import { startServerProcess } from './lib/server-process.js';

interface Params {
  users: number;
  seconds: number;
  concurrency: number;
  db: TestDatabaseKind;
  hashCost: number;
  setupSeconds: number;
  /** Run the server in this process instead of a child process. */
  inProcess: boolean;
}

/** The server under load, wherever it runs. */
interface Target {
  url: string;
  app: { id: number; authKey: string };
  /** The server's process id (this process with --in-process). */
  pid: number;
  /** True for a server child process. */
  process: boolean;
  /** Stops the server and removes its data. */
  stop(): Promise<void>;
}

interface BenchUser {
  id: number;
  login: string;
  password: string;
}

/** In-flight requests may run this long past a phase's end before being aborted as timeouts. */
const GRACE_MS = 5_000;
const SERVER_START_TIMEOUT_MS = 120_000;
const SERVER_STOP_TIMEOUT_MS = 30_000;
/** Start-up bound of the server child process (bench/lib/server-process.ts). */
const SERVER_PROCESS_START_TIMEOUT_MS = 60_000;
/** Session tokens phases 3 spread their requests over. */
const TOKEN_POOL_SIZE = 256;
const TOKEN_TOP_UP_SECONDS = 30;
const IDS_PER_V2_QUERY = 10;
const PER_PAGE = 10;

const USAGE = `usage: npx tsx bench/auth.ts [--users N] [--seconds S] [--concurrency C] [--db sqlite|postgres] [--hash-cost N] [--setup-seconds T]
                             [--in-process]
  --users N          users to sign up in phase 1 (default 1000)
  --seconds S        duration of each timed phase (default 10)
  --concurrency C    concurrent workers (default 32)
  --db KIND          sqlite or postgres (default sqlite)
  --hash-cost N      log2 scrypt cost for password hashes (default: the server default, ${configSchema.passwordHashCost.default})
  --setup-seconds T  time cap for the sign-up phase (default 120)
  --in-process       run the server in this process (shares its thread with the load generator) instead of a child process`;

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

function parseParams(argv: string[]): Params {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        users: { type: 'string' },
        seconds: { type: 'string' },
        concurrency: { type: 'string' },
        db: { type: 'string' },
        'hash-cost': { type: 'string' },
        'setup-seconds': { type: 'string' },
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
  const costType = configSchema.passwordHashCost.type;
  return {
    users: integerOption('users', text('users'), 1000, 1, 1_000_000),
    seconds: integerOption('seconds', text('seconds'), 10, 1, 3600),
    concurrency: integerOption('concurrency', text('concurrency'), 32, 1, 10_000),
    db,
    hashCost: integerOption('hash-cost', text('hash-cost'), Number(configSchema.passwordHashCost.default), costType.min, costType.max),
    setupSeconds: integerOption('setup-seconds', text('setup-seconds'), 120, 1, 24 * 3600),
    inProcess: values['in-process'] === true,
  };
}

const progress = (message: string) => process.stderr.write(`[bench:auth] ${message}\n`);

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A phase that could not run (e.g. no tokens): reported as a row of zeros. */
function emptySummary(phase: string): PhaseSummary {
  return summarize(phase, { requests: 0, ok: 0, errors: 0, errorKinds: {}, latenciesMs: new Float64Array(0), elapsedMs: 0, timeLimited: false });
}

async function runBenchmark(server: Target, params: Params): Promise<{ rows: PhaseSummary[]; usersCreated: number; tokenPool: number }> {
  const { url, app } = server;
  const durationMs = params.seconds * 1000;
  const runId = randomBytes(4).toString('hex');
  const json = { 'Content-Type': 'application/json;charset=utf-8' };

  // Phase 1: sign-ups.
  progress(`phase 1: signing up ${params.users} users (concurrency ${params.concurrency}, cap ${params.setupSeconds} s)`);
  const users: BenchUser[] = [];
  const signup = await runLoad({
    concurrency: params.concurrency,
    durationMs: params.setupSeconds * 1000,
    graceMs: GRACE_MS,
    maxRequests: params.users,
    request: async ({ sequence, signal }) => {
      const login = `bench_${runId}_${sequence}`;
      const password = `pw-${runId}-${sequence}`;
      const response = await fetch(`${url}/users.json`, {
        method: 'POST',
        headers: { ...json, 'CB-AuthKey': app.authKey },
        body: JSON.stringify({ user: { login, password } }),
        signal,
      });
      const text = await response.text();
      if (response.ok) users.push({ id: (JSON.parse(text) as { user: { id: number } }).user.id, login, password });
      return response.status;
    },
  });
  const rows = [summarize('signup', signup)];
  if (signup.timeLimited) progress(`phase 1 hit its ${params.setupSeconds} s cap after ${users.length} users`);
  if (users.length === 0) {
    progress('no user could be created; the later phases are skipped');
    return { rows: [...rows, emptySummary('session'), emptySummary('users v1'), emptySummary('users v2')], usersCreated: 0, tokenPool: 0 };
  }

  // Phase 2: user sessions by login/password.
  const tokens: string[] = [];
  const createSession = async ({ signal }: LoadContext) => {
    const user = pick(users);
    const response = await fetch(`${url}/session.json`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ application_id: app.id, auth_key: app.authKey, user: { login: user.login, password: user.password } }),
      signal,
    });
    const text = await response.text();
    if (response.ok && tokens.length < TOKEN_POOL_SIZE) tokens.push((JSON.parse(text) as { session: { token: string } }).session.token);
    return response.status;
  };
  progress(`phase 2: creating sessions for ${params.seconds} s`);
  rows.push(summarize('session', await runLoad({ concurrency: params.concurrency, durationMs, graceMs: GRACE_MS, request: createSession })));

  // Token pool for phase 3 (normally filled by phase 2 already).
  const wanted = Math.min(TOKEN_POOL_SIZE, users.length, Math.max(params.concurrency, 16));
  if (tokens.length < wanted) {
    progress(`topping up the token pool (${tokens.length} of ${wanted})`);
    await runLoad({
      concurrency: Math.min(params.concurrency, wanted - tokens.length),
      durationMs: TOKEN_TOP_UP_SECONDS * 1000,
      graceMs: GRACE_MS,
      maxRequests: wanted - tokens.length,
      request: createSession,
    });
  }
  if (tokens.length === 0) {
    progress('no session token could be obtained; the user list phases are skipped');
    return { rows: [...rows, emptySummary('users v1'), emptySummary('users v2')], usersCreated: users.length, tokenPool: 0 };
  }

  // Phase 3: authenticated user lists.
  const pages = Math.max(1, Math.ceil(users.length / PER_PAGE));
  const get = async (path: string, signal: AbortSignal) => {
    const response = await fetch(`${url}${path}`, { headers: { 'CB-Token': pick(tokens) }, signal });
    await response.arrayBuffer();
    return response.status;
  };
  progress(`phase 3a: GET /users.json (V1 pages) for ${params.seconds} s`);
  const v1 = await runLoad({
    concurrency: params.concurrency,
    durationMs,
    graceMs: GRACE_MS,
    request: ({ signal }) => get(`/users.json?page=${1 + Math.floor(Math.random() * pages)}&per_page=${PER_PAGE}`, signal),
  });
  rows.push(summarize('users v1', v1));

  progress(`phase 3b: GET /users/v2.json (id[in] of ${IDS_PER_V2_QUERY}) for ${params.seconds} s`);
  const v2 = await runLoad({
    concurrency: params.concurrency,
    durationMs,
    graceMs: GRACE_MS,
    request: ({ signal }) => {
      const ids = Array.from({ length: IDS_PER_V2_QUERY }, () => `id[in][]=${pick(users).id}`);
      return get(`/users/v2.json?${ids.join('&')}`, signal);
    },
  });
  rows.push(summarize('users v2', v2));
  return { rows, usersCreated: users.length, tokenPool: tokens.length };
}

/**
 * The server under test: a child process on a temporary SQLite folder or throwaway PostgreSQL database,
 * or with --in-process testkit's startServer in this process.
 */
async function startTarget(params: Params): Promise<Target> {
  if (params.inProcess) {
    const server = await startServer({ db: params.db, config: { passwordHashCost: String(params.hashCost) } });
    return { url: server.url, app: server.app, pid: process.pid, process: false, stop: () => server.stop() };
  }
  const db: BenchDatabase = await openBenchDatabase(params.db);
  try {
    const child = await startServerProcess({
      dataDir: db.dataDir,
      databaseUrl: db.databaseUrl,
      passwordHashCost: params.hashCost,
      startTimeoutMs: SERVER_PROCESS_START_TIMEOUT_MS,
    });
    let stopping = false;
    void child.exited.then((exit) => {
      if (!stopping) progress(`the server process exited during the run (code ${exit.code ?? '-'}, signal ${exit.signal ?? '-'}); its stderr:\n${child.stderrTail()}`);
    });
    return {
      url: child.url,
      app: child.app,
      pid: child.pid,
      process: true,
      async stop() {
        stopping = true;
        const exit = await child.stop();
        if (exit.killed) progress('the server process ignored SIGTERM and was killed');
        const tail = child.stderrTail().trim();
        if (tail) progress(`the server process wrote to stderr:\n${tail}`);
        await db.dispose();
      },
    };
  } catch (error) {
    await db.dispose().catch(() => undefined);
    throw error;
  }
}

async function main(): Promise<number> {
  const params = parseParams(process.argv.slice(2));
  const startedAt = new Date();

  progress(`starting server (${params.db}, password hash cost ${params.hashCost}, ${params.inProcess ? 'in this process' : 'child process'})`);
  let server: Target;
  try {
    server = await withTimeout(startTarget(params), SERVER_START_TIMEOUT_MS, 'server start');
  } catch (error) {
    process.stderr.write(`error: the server could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  if (new URL(server.url).hostname !== '127.0.0.1') {
    process.stderr.write(`error: the server listens on ${server.url}, not on 127.0.0.1\n`);
    await server.stop().catch(() => undefined);
    return 1;
  }
  progress(`server at ${server.url} (${server.process ? `process ${server.pid}` : 'in this process'})`);

  // Every phase is bounded by its own hard stop; this catches anything else that hangs.
  const boundMs =
    (params.setupSeconds + 3 * params.seconds + TOKEN_TOP_UP_SECONDS) * 1000 + 5 * GRACE_MS + 2 * SERVER_STOP_TIMEOUT_MS + 60_000;
  const watchdog = setTimeout(() => {
    process.stderr.write(`error: the run exceeded its ${Math.round(boundMs / 1000)} s bound; exiting\n`);
    process.exit(1);
  }, boundMs);
  watchdog.unref();

  const stopServer = async () => {
    progress('stopping server');
    await withTimeout(server.stop(), SERVER_STOP_TIMEOUT_MS, 'server stop').catch((error: unknown) => {
      process.stderr.write(`warning: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  };
  process.once('SIGINT', () => {
    progress('interrupted');
    void stopServer().finally(() => process.exit(130));
  });

  let result: Awaited<ReturnType<typeof runBenchmark>>;
  try {
    result = await runBenchmark(server, params);
  } catch (error) {
    process.stderr.write(`error: the benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    await stopServer();
    return 1;
  }
  await stopServer();
  clearTimeout(watchdog);

  const { rows, usersCreated, tokenPool } = result;
  const totalSeconds = Math.round((Date.now() - startedAt.getTime()) / 100) / 10;
  const signup = rows.find((row) => row.phase === 'signup');
  const lines = [
    `auth benchmark — db ${params.db}, ${usersCreated}/${params.users} users (${signup?.okRps ?? 0} users/s), ` +
      `${params.seconds} s per phase, concurrency ${params.concurrency}, hash cost ${params.hashCost}, node ${process.version}`,
    server.process
      ? `server: separate process (pid ${server.pid}, node packages/server/bin/parley.js serve --log-level warn); this process (pid ${process.pid}) is only the load generator`
      : `server: in this process (--in-process, pid ${server.pid}), sharing one thread with the load generator`,
    '',
    formatTable(rows),
    ...formatErrorKinds(rows),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const report = {
    bench: 'auth',
    startedAt: startedAt.toISOString(),
    totalSeconds,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: os.cpus().length,
    uvThreadpoolSize: Number(process.env.UV_THREADPOOL_SIZE ?? 4),
    serverProcess: server.process,
    params: {
      users: params.users,
      seconds: params.seconds,
      concurrency: params.concurrency,
      db: params.db,
      hashCost: params.hashCost,
      setupSeconds: params.setupSeconds,
      inProcess: params.inProcess,
    },
    usersCreated,
    usersPerSecond: signup?.okRps ?? 0,
    tokenPool,
    phases: rows,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
