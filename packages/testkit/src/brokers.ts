/**
 * Redis and NATS for tests, the way `postgres.ts` provides PostgreSQL:
 *
 * - `provideTestRedis()` / `provideTestNats()` return the broker the tests may use:
 *   `PARLEY_TEST_REDIS_URL` / `PARLEY_TEST_NATS_URL` when set, else the one answering at
 *   127.0.0.1:6379 / 127.0.0.1:4222 (NATS only with JetStream on), else a throwaway server started
 *   from the Debian package (`redis-server`, `nats-server`) on a free port in a temp dir.
 *   `PARLEY_TEST_THROWAWAY_BROKERS=1` skips the look-up and always starts throwaway servers.
 *   Memoised per process and reference counted, like `provideTestPostgres()`.
 * - `startThrowawayRedis()` / `startThrowawayNats()` always start a fresh server (tests that stop
 *   and restart one to see clients reconnect use these).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export type BrokerKind = 'redis' | 'nats';

export interface TestBroker {
  url: string;
  /** Release this handle; a throwaway server is stopped once unused. */
  stop(): Promise<void>;
}

export interface ThrowawayBroker extends TestBroker {
  port: number;
  /** Temp dir with the server's files; removed by `stop()`. */
  dir: string;
  /** Kills the server (SIGKILL, like a crash) and starts a new one on the same port and dir. */
  restart(): Promise<void>;
}

const DEFAULT_URLS: Record<BrokerKind, string> = { redis: 'redis://127.0.0.1:6379', nats: 'nats://127.0.0.1:4222' };
const ENV_URLS: Record<BrokerKind, string> = { redis: 'PARLEY_TEST_REDIS_URL', nats: 'PARLEY_TEST_NATS_URL' };
const BINARIES: Record<BrokerKind, { path: string; pkg: string }> = {
  redis: { path: '/usr/bin/redis-server', pkg: 'redis-server' },
  nats: { path: '/usr/sbin/nats-server', pkg: 'nats-server' },
};
const PROBE_TIMEOUT_MS = 2_000;
const START_TIMEOUT_MS = 15_000;

// ---------------------------------------------------------------------------
// provide*

const shared = new Map<BrokerKind, { server: Promise<{ url: string; shutdown(): Promise<void> }>; users: number }>();

export const provideTestRedis = (): Promise<TestBroker> => provide('redis');
export const provideTestNats = (): Promise<TestBroker> => provide('nats');

async function provide(kind: BrokerKind): Promise<TestBroker> {
  let entry = shared.get(kind);
  if (!entry) {
    const server = locateOrStart(kind);
    const created = { server, users: 0 };
    entry = created;
    shared.set(kind, created);
    server.catch(() => shared.get(kind) === created && shared.delete(kind));
  }
  const current = entry;
  const server = await current.server;
  current.users += 1;
  let released = false;
  return {
    url: server.url,
    async stop() {
      if (released) return;
      released = true;
      current.users -= 1;
      if (current.users === 0 && shared.get(kind) === current) {
        shared.delete(kind);
        await server.shutdown();
      }
    },
  };
}

async function locateOrStart(kind: BrokerKind): Promise<{ url: string; shutdown(): Promise<void> }> {
  const fromEnv = process.env[ENV_URLS[kind]]?.trim();
  if (fromEnv) return { url: fromEnv, shutdown: async () => {} };
  if (process.env['PARLEY_TEST_THROWAWAY_BROKERS'] !== '1') {
    const url = DEFAULT_URLS[kind];
    const { port } = new URL(url);
    if (await probe(kind, Number(port))) return { url, shutdown: async () => {} };
    process.stderr.write(`[testkit] no usable ${kind} at ${url}; starting a throwaway server\n`);
  }
  const throwaway = kind === 'redis' ? await startThrowawayRedis() : await startThrowawayNats();
  return { url: throwaway.url, shutdown: () => throwaway.stop() };
}

/**
 * True when the broker answers on 127.0.0.1:port: Redis replies +PONG to PING; NATS greets with an
 * INFO line, which must say JetStream is on (the cluster-state bucket needs it).
 */
export function probe(kind: BrokerKind, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let received = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => kind === 'redis' && socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (!received.includes('\r\n')) return;
      const line = received.slice(0, received.indexOf('\r\n'));
      if (kind === 'redis') return done(line === '+PONG');
      try {
        done(line.startsWith('INFO ') && (JSON.parse(line.slice(5)) as { jetstream?: boolean }).jetstream === true);
      } catch {
        done(false);
      }
    });
  });
}

// ---------------------------------------------------------------------------
// startThrowaway*

/** Servers of this process still running, killed synchronously on exit. */
const live = new Map<string, ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const [dir, child] of live) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
    live.clear();
  });
}

export const startThrowawayRedis = (): Promise<ThrowawayBroker> =>
  startThrowaway('redis', (port, dir) => [
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--logfile', path.join(dir, 'redis.log')],
    `redis://127.0.0.1:${port}`,
  ]);

export const startThrowawayNats = (): Promise<ThrowawayBroker> =>
  startThrowaway('nats', (port, dir) => [
    ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', path.join(dir, 'jetstream'), '-l', path.join(dir, 'nats.log')],
    `nats://127.0.0.1:${port}`,
  ]);

async function startThrowaway(kind: BrokerKind, command: (port: number, dir: string) => [string[], string]): Promise<ThrowawayBroker> {
  const binary = BINARIES[kind];
  if (!existsSync(binary.path)) {
    throw new Error(
      `no ${kind} server answers and ${binary.path} is missing; install the Debian package "${binary.pkg}" ` +
        `(bash scripts/ensure-system-deps.sh does) or set ${ENV_URLS[kind]}`,
    );
  }
  installExitHook();
  const dir = await mkdtemp(path.join(os.tmpdir(), `parley-${kind}-`));
  const port = await freePort();
  const [args, url] = command(port, dir);
  let child: ChildProcess | undefined;
  const launch = async () => {
    child = spawn(binary.path, args, { cwd: dir, stdio: 'ignore' });
    live.set(dir, child);
    await waitUntilAnswers(kind, port, child);
  };
  const kill = async (signal: NodeJS.Signals) => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    await exited;
  };
  try {
    await launch();
  } catch (error) {
    await kill('SIGKILL');
    live.delete(dir);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  let stopped = false;
  return {
    url,
    port,
    dir,
    async restart() {
      await kill('SIGKILL');
      await launch();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await kill('SIGTERM');
      live.delete(dir);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitUntilAnswers(kind: BrokerKind, port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${kind} server exited during start (code ${String(child.exitCode)})`);
    if (await probe(kind, port)) return;
    if (Date.now() > deadline) throw new Error(`${kind} server did not answer on port ${port} within ${START_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not pick a free port'))));
    });
  });
}
