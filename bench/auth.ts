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
import { configSchema } from '@parley/server/config';
import { startServer, type TestDatabaseKind } from '@parley/testkit';
import { createUserSession, getWithToken, JSON_HEADERS, type ApiTarget } from './lib/api.js';
import { openBenchDatabase } from './lib/bench-db.js';
import { parseCommandLine, withTimeout } from './lib/cli.js';
import { pick, runLoad, type LoadContext } from './lib/load.js';
import { emptySummary, formatErrorKinds, formatTable, runFacts, serverModeLine, summarize, type PhaseSummary } from './lib/report.js';
import { errorStack, errorText, GRACE_MS, onInterrupt, progressLine, runMain, SERVER_START_TIMEOUT_MS, SERVER_STOP_TIMEOUT_MS, startWatchdog, warn } from './lib/run.js';
import { startWatchedServerProcess } from './lib/watched-server.js';

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
interface Target extends ApiTarget {
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

function parseParams(argv: string[]): Params {
  const cli = parseCommandLine(argv, USAGE, {
    users: { type: 'string' },
    seconds: { type: 'string' },
    concurrency: { type: 'string' },
    db: { type: 'string' },
    'hash-cost': { type: 'string' },
    'setup-seconds': { type: 'string' },
    'in-process': { type: 'boolean' },
  });
  const { text } = cli;
  const db = cli.db();
  const costType = configSchema.passwordHashCost.type;
  return {
    users: cli.integer('users', text('users'), 1000, 1, 1_000_000),
    seconds: cli.integer('seconds', text('seconds'), 10, 1, 3600),
    concurrency: cli.integer('concurrency', text('concurrency'), 32, 1, 10_000),
    db,
    hashCost: cli.integer('hash-cost', text('hash-cost'), Number(configSchema.passwordHashCost.default), costType.min, costType.max),
    setupSeconds: cli.integer('setup-seconds', text('setup-seconds'), 120, 1, 24 * 3600),
    inProcess: cli.flag('in-process'),
  };
}

const progress = progressLine('auth');

async function runBenchmark(server: Target, params: Params): Promise<{ rows: PhaseSummary[]; usersCreated: number; tokenPool: number }> {
  const { url, app } = server;
  const durationMs = params.seconds * 1000;
  const runId = randomBytes(4).toString('hex');

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
        headers: { ...JSON_HEADERS, 'CB-AuthKey': app.authKey },
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
    const session = await createUserSession(server, user.login, user.password, signal);
    if (session.ok && tokens.length < TOKEN_POOL_SIZE) tokens.push(session.token());
    return session.status;
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
  const get = (path: string, signal: AbortSignal) => getWithToken(server, pick(tokens), path, signal);
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
  const db = await openBenchDatabase(params.db);
  try {
    const child = await startWatchedServerProcess(db, params.hashCost, progress);
    return {
      url: child.url,
      app: child.app,
      pid: child.pid,
      process: true,
      async stop() {
        await child.stop();
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
    process.stderr.write(`error: the server could not start: ${errorText(error)}\n`);
    return 1;
  }
  if (new URL(server.url).hostname !== '127.0.0.1') {
    process.stderr.write(`error: the server listens on ${server.url}, not on 127.0.0.1\n`);
    await server.stop().catch(() => undefined);
    return 1;
  }
  progress(`server at ${server.url} (${server.process ? `process ${server.pid}` : 'in this process'})`);

  // Every phase is bounded by its own hard stop; the watchdog catches anything else that hangs.
  const boundMs =
    (params.setupSeconds + 3 * params.seconds + TOKEN_TOP_UP_SECONDS) * 1000 + 5 * GRACE_MS + 2 * SERVER_STOP_TIMEOUT_MS + 60_000;
  const stopWatchdog = startWatchdog(boundMs);

  const stopServer = async () => {
    progress('stopping server');
    await withTimeout(server.stop(), SERVER_STOP_TIMEOUT_MS, 'server stop').catch(warn);
  };
  onInterrupt(progress, stopServer);

  let result: Awaited<ReturnType<typeof runBenchmark>>;
  try {
    result = await runBenchmark(server, params);
  } catch (error) {
    process.stderr.write(`error: the benchmark failed: ${errorStack(error)}\n`);
    await stopServer();
    return 1;
  }
  await stopServer();
  stopWatchdog();

  const { rows, usersCreated, tokenPool } = result;
  const facts = runFacts('auth', startedAt, server.process);
  const signup = rows.find((row) => row.phase === 'signup');
  const lines = [
    `auth benchmark — db ${params.db}, ${usersCreated}/${params.users} users (${signup?.okRps ?? 0} users/s), ` +
      `${params.seconds} s per phase, concurrency ${params.concurrency}, hash cost ${params.hashCost}, node ${process.version}`,
    serverModeLine(server.process, server.pid),
    '',
    formatTable(rows),
    ...formatErrorKinds(rows),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const report = {
    ...facts,
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

runMain(main);
