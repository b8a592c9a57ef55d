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
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { ClientConfig } from 'pg';
import { startThrowawayPostgres } from './postgres-cluster.js';
import { CONNECT_TIMEOUT_MS, sleep, withClient } from './postgres-client.js';

export interface TestPostgres {
  /** URL of a database on the server whose role may create databases. */
  adminUrl: string;
  /** Release this handle; a throwaway cluster is stopped once unused. */
  stop(): Promise<void>;
}

export interface TestDatabase {
  /** URL of the new database (same server and role as the admin URL). */
  url: string;
  /** Terminate the database's connections and drop it. */
  drop(): Promise<void>;
}

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';


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

export { startThrowawayPostgres, type ThrowawayPostgres } from './postgres-cluster.js';
