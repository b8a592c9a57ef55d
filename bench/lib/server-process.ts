/**
 * The real server as a separate child process, so a benchmark's load generator does not share the
 * server's thread:
 *
 *   node packages/server/bin/parley.js serve --port 0 --host 127.0.0.1 --log-level warn --xmpp-port 0 --data-dir DIR
 *        [--database-url URL] [--password-hash-cost N]
 *
 * The child gets this process's environment without any `PARLEY_*` variable (only the flags, and the
 * `PARLEY_*` variables given in `env`, configure it). Start-up waits for the two banner lines `serve` prints on stderr, `Parley listening on
 * http://127.0.0.1:PORT (...)` and `Created|Using application "default": id N, auth key K`, for at
 * most `startTimeoutMs`; a child that exits or stays silent fails the start with its stderr in the
 * error. `stop()` sends SIGTERM (the server closes its store and exits) and waits; after
 * `stopTimeoutMs` it sends SIGKILL. A child still running when this process exits is killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ServerProcessOptions {
  /** The server's data folder (the SQLite file, or unused on PostgreSQL but still required). */
  dataDir: string;
  /** A postgres:// URL; empty or absent for SQLite in `dataDir`. */
  databaseUrl?: string;
  /** log2 scrypt cost for new password hashes; absent for the server default. */
  passwordHashCost?: number;
  /** Default 60,000. */
  startTimeoutMs?: number;
  /** Time between SIGTERM and SIGKILL in `stop()`; default 10,000. */
  stopTimeoutMs?: number;
  /** Node options before the script, e.g. `['--cpu-prof', '--cpu-prof-dir', DIR]` (written when the server exits). */
  nodeArgs?: readonly string[];
  /** `PARLEY_*` settings for the child, e.g. a cluster node's `PARLEY_BUS_URL` and `PARLEY_NODE_ID`. */
  env?: Record<string, string>;
}

export interface ServerProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when `stop()` had to send SIGKILL. */
  killed: boolean;
}

export interface ServerProcess {
  /** Base URL, `http://127.0.0.1:PORT`. */
  url: string;
  /** The application `serve` created or reused ("default"). */
  app: { id: number; authKey: string };
  pid: number;
  /** The last part of the child's stderr (warnings and errors at --log-level warn). */
  stderrTail(): string;
  /** Resolves when the child exits, whoever ended it. */
  exited: Promise<ServerProcessExit>;
  /** SIGTERM, then SIGKILL after `stopTimeoutMs`; resolves once the child is gone. Idempotent. */
  stop(): Promise<ServerProcessExit>;
  /** SIGKILL at once (a crash: no shutdown step runs); resolves once the child is gone. */
  kill(): Promise<ServerProcessExit>;
}

/** BENCH_SERVER_BIN runs another entry script, for an A/B comparison of how the server is run. */
export const SERVER_BIN = process.env.BENCH_SERVER_BIN || fileURLToPath(new URL('../../packages/server/bin/parley.js', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEFAULT_START_TIMEOUT_MS = 60_000;
const DEFAULT_STOP_TIMEOUT_MS = 10_000;
/** How much of the child's stderr (and stdout before start) is kept for error messages. */
const TAIL_CHARS = 16_384;

const LISTENING = /^Parley (?:\S+ )?listening on (http:\/\/127\.0\.0\.1:(\d+)) \(.*\)$/;
const APPLICATION = /^(?:Created|Using) application "default": id (\d+), auth key (\S+)$/;

/** Keeps the last `limit` characters written to it. */
class Tail {
  private text = '';
  constructor(private readonly limit: number) {}
  push(chunk: string): void {
    this.text += chunk;
    if (this.text.length > 2 * this.limit) this.text = this.text.slice(-this.limit);
  }
  toString(): string {
    return this.text.length > this.limit ? `…${this.text.slice(-this.limit)}` : this.text;
  }
}

/** The command line `startServerProcess` runs, without the node binary. */
export function serverProcessArgs(options: ServerProcessOptions): string[] {
  // --xmpp-port 0: no XMPP TCP listener (benchmarks speak XMPP over the HTTP port's WebSocket), so a
  // benchmark never binds the well-known 5222 nor fails when something else holds it.
  const args = [...(options.nodeArgs ?? []), SERVER_BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--log-level', 'warn', '--xmpp-port', '0', '--data-dir', options.dataDir];
  if (options.databaseUrl) args.push('--database-url', options.databaseUrl);
  if (options.passwordHashCost !== undefined) args.push('--password-hash-cost', String(options.passwordHashCost));
  return args;
}

/** `process.env` without the `PARLEY_*` variables, plus `extra`. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('PARLEY_') && value !== undefined) env[key] = value;
  }
  return { ...env, ...extra };
}

function describeExit(exit: ServerProcessExit): string {
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code ?? '?'}`;
}

export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
  const child: ChildProcess = spawn(process.execPath, serverProcessArgs(options), {
    cwd: REPO_ROOT,
    env: childEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr = new Tail(TAIL_CHARS);
  const stdout = new Tail(TAIL_CHARS);
  let killedHard = false;
  let exitInfo: ServerProcessExit | undefined;

  // A benchmark that exits (watchdog, error, Ctrl-C) must not leave the server running.
  const killOnExit = () => {
    if (exitInfo === undefined) child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  const exited = new Promise<ServerProcessExit>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal, killed: killedHard };
      process.off('exit', killOnExit);
      resolve(exitInfo);
    });
  });
  const spawnFailed = new Promise<Error>((resolve) => child.once('error', resolve));

  child.stderr?.setEncoding('utf8');
  child.stdout?.setEncoding('utf8');

  // The banner (stderr) until both start-up lines are seen; stdout (JSON log lines) is only kept.
  let url: string | undefined;
  let app: { id: number; authKey: string } | undefined;
  let partial = '';
  let announce: (() => void) | undefined;
  const announced = new Promise<void>((resolve) => (announce = resolve));
  child.stdout?.on('data', (chunk: string) => stdout.push(chunk));
  child.stderr?.on('data', (chunk: string) => {
    stderr.push(chunk);
    if (url !== undefined && app !== undefined) return;
    partial += chunk;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const raw of lines) {
      const line = raw.trimEnd();
      const listening = LISTENING.exec(line);
      if (listening?.[1]) url = listening[1];
      const application = APPLICATION.exec(line);
      if (application?.[1] && application[2]) app = { id: Number(application[1]), authKey: application[2] };
    }
    if (url !== undefined && app !== undefined) announce?.();
  });

  const stop = (() => {
    let stopping: Promise<ServerProcessExit> | undefined;
    return () => {
      stopping ??= (async () => {
        if (exitInfo !== undefined) return exitInfo;
        // Never spawned (e.g. ENOENT): there is nothing to wait for.
        if (child.pid === undefined) return { code: null, signal: null, killed: false };
        child.kill('SIGTERM');
        const timer = setTimeout(() => {
          killedHard = true;
          child.kill('SIGKILL');
        }, stopTimeoutMs);
        try {
          return await exited;
        } finally {
          clearTimeout(timer);
        }
      })();
      return stopping;
    };
  })();

  const failure = (reason: string) => {
    const err = stderr.toString().trim();
    const out = stdout.toString().trim();
    return new Error(
      `the server process (${[process.execPath, ...serverProcessArgs(options)].join(' ').replace(/\/\/([^:/@\s]+):[^@\s]*@/g, '//$1:***@')}) ${reason}` +
        `${err ? `\n--- its stderr ---\n${err}` : '\n(its stderr is empty)'}${out ? `\n--- its stdout ---\n${out}` : ''}`,
    );
  };

  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    announced.then(() => 'ready' as const),
    exited.then((exit) => ({ exit })),
    spawnFailed.then((error) => ({ error })),
    new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), startTimeoutMs))),
  ]);
  clearTimeout(timer);
  if (outcome !== 'ready' || url === undefined || app === undefined || child.pid === undefined) {
    await stop();
    if (outcome === 'timeout') throw failure(`did not report "Parley listening on …" and its application within ${startTimeoutMs / 1000} s`);
    if (typeof outcome === 'object' && 'error' in outcome) throw failure(`could not be started: ${outcome.error.message}`);
    if (typeof outcome === 'object' && 'exit' in outcome) throw failure(`exited during start-up (${describeExit(outcome.exit)})`);
    throw failure('started without a pid');
  }
  const kill = async () => {
    if (exitInfo === undefined) {
      killedHard = true;
      child.kill('SIGKILL');
    }
    return exited;
  };
  return { url, app, pid: child.pid, stderrTail: () => stderr.toString(), exited, stop, kill };
}
