import SqliteDatabase from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from './statement-cache.js';

describe('withStatementCache', () => {
  it('hands back the same prepared statement for the same SQL, and keeps at most `size`', () => {
    const database = new SqliteDatabase(':memory:');
    let prepared = 0;
    const counting = { close: () => database.close(), prepare: (sql: string) => ((prepared += 1), database.prepare(sql)) };
    const cached = withStatementCache(counting, 2);
    const first = cached.prepare('select 1 as one');
    expect(cached.prepare('select 1 as one')).toBe(first);
    cached.prepare('select 2 as two');
    cached.prepare('select 1 as one'); // most recent again
    cached.prepare('select 3 as three'); // evicts "select 2"
    expect(prepared).toBe(3);
    cached.prepare('select 2 as two');
    expect(prepared).toBe(4);
    expect(cached.prepare('select 1 as one').all([])).toEqual([{ one: 1 }]);
    cached.close();
  });

  it('keeps working across a schema change', () => {
    const cached = withStatementCache(new SqliteDatabase(':memory:'));
    cached.prepare('create table t (a integer)').run([]);
    cached.prepare('insert into t (a) values (?)').run([1]);
    expect(cached.prepare('select * from t order by a').all([])).toEqual([{ a: 1 }]);
    cached.prepare('alter table t add column b integer').run([]);
    cached.prepare('insert into t (a) values (?)').run([2]);
    expect(cached.prepare('select * from t order by a').all([])).toEqual([{ a: 1, b: null }, { a: 2, b: null }]);
    cached.close();
  });
});
