/**
 * PostgreSQL for tests.
 *
 * - `provideTestPostgres()` finds a PostgreSQL server the tests may use
 *   (`PARLEY_TEST_DATABASE_URL`, else `postgres://postgres@127.0.0.1:5432/test`,
 *   trying the roles `<url user>`, `postgres` and `root`), and when nothing
 *   usable answers it starts a throwaway cluster from the Debian `postgresql`
 *   package. The result is memoised per process and reference counted.
 * - `startThrowawayPostgres()` always starts a fresh throwaway cluster.
 * - `createTestDatabase(adminUrl)` creates a uniquely named database and
 *   returns its URL and a `drop()`.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { appendFile, chown, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { ClientConfig } from 'pg';

export interface TestPostgres {
  /** URL of a database on the server whose role may create databases. */
  adminUrl: string;
  /** Release this handle; a throwaway cluster is stopped once unused. */
  stop(): Promise<void>;
}

export interface ThrowawayPostgres extends TestPostgres {
  /** TCP port on 127.0.0.1 the cluster listens on. */
  port: number;
  /** Temporary directory holding the data directory, socket and log; removed by `stop()`. */
  dir: string;
}

export interface TestDatabase {
  /** URL of the new database (same server and role as the admin URL). */
  url: string;
  /** Terminate the database's connections and drop it. */
  drop(): Promise<void>;
}

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

const CONNECT_TIMEOUT_MS = 2_000;
const PG_SYSTEM_USER = 'postgres';

// ---------------------------------------------------------------------------
// provideTestPostgres

interface SharedServer {
  adminUrl: string;
  /** Stops the server, if this process started it. */
  shutdown(): Promise<void>;
}

let shared: Promise<SharedServer> | undefined;
let sharedUsers = 0;

/**
 * The PostgreSQL server for tests, shared by all callers in this process.
 * Each call returns its own handle; call `stop()` on it when done. A throwaway
 * cluster started here is stopped when the last handle is stopped (or when the
 * process exits); an external server is never stopped.
 */
export async function provideTestPostgres(): Promise<TestPostgres> {
  if (!shared) {
    const attempt = locateOrStartServer();
    shared = attempt;
    attempt.catch(() => {
      if (shared === attempt) shared = undefined;
    });
  }
  const current = shared;
  const server = await current;
  sharedUsers += 1;
  let released = false;
  return {
    adminUrl: server.adminUrl,
    async stop() {
      if (released) return;
      released = true;
      sharedUsers -= 1;
      if (sharedUsers === 0 && shared === current) {
        shared = undefined;
        await server.shutdown();
      }
    },
  };
}

async function locateOrStartServer(): Promise<SharedServer> {
  const fromEnv = process.env['PARLEY_TEST_DATABASE_URL'];
  const baseUrl = fromEnv && fromEnv.trim() !== '' ? fromEnv.trim() : DEFAULT_TEST_DATABASE_URL;
  const found = await findUsableUrl(baseUrl, !fromEnv);
  if (found) return { adminUrl: found, shutdown: async () => {} };

  process.stderr.write(
    `[testkit] no usable PostgreSQL at ${redact(baseUrl)}; starting a throwaway cluster\n`,
  );
  const throwaway = await startThrowawayPostgres();
  return { adminUrl: throwaway.adminUrl, shutdown: () => throwaway.stop() };
}

/** Candidate URLs derived from `baseUrl`: its own role first, then `postgres` and `root`. */
function candidateUrls(baseUrl: string, tryOtherDatabases: boolean): string[] {
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    return [baseUrl];
  }
  const users = [decodeURIComponent(parsed.username), 'postgres', 'root'].filter(
    (u, i, all) => u !== '' && all.indexOf(u) === i,
  );
  const dbs = [parsed.pathname.replace(/^\//, '')];
  if (tryOtherDatabases) dbs.push('postgres');
  const out: string[] = [baseUrl];
  for (const db of dbs.filter((d, i, all) => d !== '' && all.indexOf(d) === i)) {
    for (const user of users) {
      const u = new URL(baseUrl);
      if (user !== decodeURIComponent(parsed.username)) u.password = '';
      u.username = encodeURIComponent(user);
      u.pathname = `/${encodeURIComponent(db)}`;
      const s = u.toString();
      if (!out.includes(s)) out.push(s);
    }
  }
  return out;
}

/** Errors meaning "no server there" (as opposed to "server said no"). */
function isUnreachable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ENOENT'].includes(code)) {
    return true;
  }
  const message = typeof e.message === 'string' ? e.message : '';
  return /timeout|ECONNREFUSED|Connection terminated unexpectedly/i.test(message);
}

/**
 * Returns the first candidate URL that connects and whose role may create
 * databases, or undefined when no server answers or no role is usable.
 */
async function findUsableUrl(baseUrl: string, tryOtherDatabases: boolean): Promise<string | undefined> {
  for (const url of candidateUrls(baseUrl, tryOtherDatabases)) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    client.on('error', () => {});
    try {
      await client.connect();
      const res = await client.query<{ ok: boolean }>(
        'select (rolsuper or rolcreatedb) as ok from pg_roles where rolname = current_user',
      );
      if (res.rows[0]?.ok) return url;
    } catch (err) {
      if (isUnreachable(err)) return undefined;
      // authentication failed, role or database missing: try the next candidate
    } finally {
      await client.end().catch(() => {});
    }
  }
  return undefined;
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

// ---------------------------------------------------------------------------
// createTestDatabase

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

async function withClient<T>(config: ClientConfig, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(config);
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Creates a database named `parley_t_<random hex>` on the server of `adminUrl`
 * and returns its URL. `drop()` terminates its connections and drops it.
 */
export async function createTestDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = `parley_t_${randomBytes(8).toString('hex')}`;
  const adminConfig: ClientConfig = { connectionString: adminUrl, connectionTimeoutMillis: 10_000 };

  await withClient(adminConfig, async (client) => {
    // CREATE DATABASE fails with 55006 while another session is connected to
    // the template; that is transient when tests run in parallel.
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`create database ${quoteIdent(name)}`);
        return;
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        if (code !== '55006' || attempt >= 20) throw err;
        await sleep(100 * attempt);
      }
    }
  });

  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped = false;

  return {
    url: url.toString(),
    async drop() {
      if (dropped) return;
      await withClient(adminConfig, async (client) => {
        const version = await client.query<{ v: string }>(`select current_setting('server_version_num') as v`);
        const canForce = Number(version.rows[0]?.v ?? 0) >= 130000;
        for (let attempt = 1; ; attempt++) {
          await client.query(
            'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
            [name],
          );
          try {
            await client.query(`drop database if exists ${quoteIdent(name)}${canForce ? ' with (force)' : ''}`);
            return;
          } catch (err) {
            const code = (err as { code?: unknown }).code;
            if (code !== '55006' || attempt >= 20) throw err;
            await sleep(100 * attempt);
          }
        }
      });
      dropped = true;
    },
  };
}

// ---------------------------------------------------------------------------
// startThrowawayPostgres

function run(cmd: string, args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      { cwd: opts.cwd, timeout: opts.timeoutMs ?? 60_000, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) {
          reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${stdout}${stderr}`.trim()));
        } else {
          resolve(stdout);
        }
      },
    );
  });
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

function lookupSystemUser(name: string): { uid: number; gid: number } | undefined {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const [user, , uid, gid] = line.split(':');
      if (user === name && uid !== undefined && gid !== undefined) return { uid: Number(uid), gid: Number(gid) };
    }
  } catch {
    // no /etc/passwd
  }
  return undefined;
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Command line that runs `cmd args` as the postgres system user when we are root. */
function asPostgresUser(cmd: string, args: string[]): [string, string[]] {
  if (!isRoot()) return [cmd, args];
  if (existsSync('/usr/sbin/runuser') || existsSync('/sbin/runuser') || existsSync('/usr/bin/runuser')) {
    return ['runuser', ['-u', PG_SYSTEM_USER, '--', cmd, ...args]];
  }
  return ['su', [PG_SYSTEM_USER, '-s', '/bin/sh', '-c', [cmd, ...args].map(shellQuote).join(' ')]];
}

/** The bin directory of the newest Debian PostgreSQL install with initdb and pg_ctl. */
async function findPostgresBinDir(): Promise<string> {
  const root = '/usr/lib/postgresql';
  let versions: string[] = [];
  try {
    versions = await readdir(root);
  } catch {
    // not installed
  }
  versions.sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
  for (const v of versions) {
    const bin = path.join(root, v, 'bin');
    if (existsSync(path.join(bin, 'initdb')) && existsSync(path.join(bin, 'pg_ctl'))) return bin;
  }
  throw new Error(
    'no PostgreSQL server answers and no /usr/lib/postgresql/*/bin/initdb was found; ' +
      'install the Debian package "postgresql" (bash scripts/ensure-system-deps.sh does) ' +
      'or set PARLEY_TEST_DATABASE_URL',
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => {
        if (port) resolve(port);
        else reject(new Error('could not pick a free port'));
      });
    });
  });
}

async function waitForConnection(url: string, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      await withClient({ connectionString: url, connectionTimeoutMillis: 2_000 }, (c) => c.query('select 1'));
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(100);
    }
  }
}

/** Clusters of this process still running, stopped synchronously on exit. */
const liveClusters = new Map<string, { pgCtl: string; dataDir: string }>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const [dir, { pgCtl, dataDir }] of liveClusters) {
      try {
        const [cmd, args] = asPostgresUser(pgCtl, ['-D', dataDir, '-m', 'immediate', '-w', '-t', '10', 'stop']);
        execFileSync(cmd, args, { cwd: dir, stdio: 'ignore', timeout: 15_000 });
      } catch {
        // already stopped
      }
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        // best effort
      }
    }
    liveClusters.clear();
  });
}

/**
 * Starts a new throwaway PostgreSQL cluster (trust auth, 127.0.0.1 only, on a
 * free port, unix socket inside its temp dir) from the Debian `postgresql`
 * package's `initdb`/`pg_ctl`. As root these run as the `postgres` system user.
 * `stop()` stops it and removes its directory.
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = await findPostgresBinDir();
  const initdb = path.join(bin, 'initdb');
  const pgCtl = path.join(bin, 'pg_ctl');

  let owner: { uid: number; gid: number } | undefined;
  if (isRoot()) {
    owner = lookupSystemUser(PG_SYSTEM_USER);
    if (!owner) {
      throw new Error(`running as root, but there is no "${PG_SYSTEM_USER}" system user to run PostgreSQL as`);
    }
  }

  // As root, the postgres user must be able to reach the dir: use /tmp (1777).
  const base = isRoot() ? '/tmp' : os.tmpdir();
  const dir = await mkdtemp(path.join(base, 'parley-pg-'));
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');

  const cleanup = async () => {
    liveClusters.delete(dir);
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await mkdir(dataDir, { mode: 0o700 });
    if (owner) {
      await chown(dir, owner.uid, owner.gid);
      await chown(dataDir, owner.uid, owner.gid);
    }

    const [initCmd, initArgs] = asPostgresUser(initdb, [
      '-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync',
    ]);
    await run(initCmd, initArgs, { cwd: dir, timeoutMs: 120_000 });

    // initdb created postgresql.conf owned by the postgres user; appending keeps its owner.
    await appendFile(
      path.join(dataDir, 'postgresql.conf'),
      [
        '',
        '# parley testkit throwaway cluster',
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${dir.replace(/'/g, "''")}'`,
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        'max_connections = 200',
        '',
      ].join('\n'),
    );

    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      const [ctlCmd, ctlArgs] = asPostgresUser(pgCtl, [
        '-D', dataDir, '-l', logFile, '-o', `-p ${String(port)}`, '-w', '-t', '60', 'start',
      ]);
      try {
        installExitHook();
        liveClusters.set(dir, { pgCtl, dataDir });
        await run(ctlCmd, ctlArgs, { cwd: dir, timeoutMs: 90_000 });
      } catch (err) {
        lastError = err;
        liveClusters.delete(dir);
        // Maybe the port was taken in between; make sure nothing is left running and retry.
        const [stopCmd, stopArgs] = asPostgresUser(pgCtl, ['-D', dataDir, '-m', 'immediate', 'stop']);
        await run(stopCmd, stopArgs, { cwd: dir, timeoutMs: 30_000 }).catch(() => {});
        continue;
      }

      const adminUrl = `postgres://postgres@127.0.0.1:${String(port)}/postgres`;
      await waitForConnection(adminUrl, 30_000);

      let stopped = false;
      return {
        adminUrl,
        port,
        dir,
        async stop() {
          if (stopped) return;
          stopped = true;
          const [stopCmd, stopArgs] = asPostgresUser(pgCtl, ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']);
          try {
            await run(stopCmd, stopArgs, { cwd: dir, timeoutMs: 90_000 });
          } finally {
            await cleanup();
          }
        },
      };
    }
    let log = '';
    try {
      log = readFileSync(logFile, 'utf8');
    } catch {
      // no log
    }
    throw new Error(`could not start a throwaway PostgreSQL: ${String(lastError)}\n${log}`.trim());
  } catch (err) {
    if (liveClusters.has(dir)) {
      const [stopCmd, stopArgs] = asPostgresUser(pgCtl, ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      await run(stopCmd, stopArgs, { cwd: dir, timeoutMs: 30_000 }).catch(() => {});
    }
    await cleanup();
    throw err;
  }
}
