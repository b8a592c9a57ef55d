import { existsSync } from 'node:fs';
import net from 'node:net';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, provideTestPostgres, startThrowawayPostgres } from './postgres.js';

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Resolves true when something accepts a TCP connection on 127.0.0.1:port. */
function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(2_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}

describe('testkit postgres', () => {
  it('provides a server, creates a database, queries it and drops it', async () => {
    const server = await provideTestPostgres();
    const again = await provideTestPostgres();
    try {
      expect(again.adminUrl).toBe(server.adminUrl);

      const db = await createTestDatabase(server.adminUrl);
      const name = new URL(db.url).pathname.slice(1);
      try {
        expect(name).toMatch(/^parley_t_[0-9a-f]+$/);
        await query(db.url, 'create table t (n int)');
        await query(db.url, 'insert into t values (41)');
        const rows = await query<{ db: string; n: number }>(
          db.url,
          'select current_database() as db, n + 1 as n from t',
        );
        expect(rows).toEqual([{ db: name, n: 42 }]);

        // a connection left open must not prevent the drop
        const lingering = new pg.Client({ connectionString: db.url });
        lingering.on('error', () => {});
        await lingering.connect();
        await db.drop();
        await lingering.end().catch(() => {});

        const left = await query(server.adminUrl, 'select 1 from pg_database where datname = $1', [name]);
        expect(left).toHaveLength(0);
      } finally {
        await db.drop(); // idempotent; cleans up when an assertion above failed
      }
    } finally {
      await again.stop();
      await server.stop();
    }
  }, 60_000);

  it('starts, uses and stops a throwaway cluster', async () => {
    const cluster = await startThrowawayPostgres();
    let stopped = false;
    try {
      expect(cluster.adminUrl).toBe(`postgres://postgres@127.0.0.1:${String(cluster.port)}/postgres`);
      const rows = await query<{ one: number }>(cluster.adminUrl, 'select 1 as one');
      expect(rows).toEqual([{ one: 1 }]);

      const db = await createTestDatabase(cluster.adminUrl);
      expect(await query<{ ok: boolean }>(db.url, 'select true as ok')).toEqual([{ ok: true }]);
      await db.drop();

      await cluster.stop();
      stopped = true;
      expect(await portAnswers(cluster.port)).toBe(false);
      expect(existsSync(cluster.dir)).toBe(false);
    } finally {
      if (!stopped) await cluster.stop();
    }
  }, 60_000);
});
