/**
 * What a crash-restart run left behind, read two ways: the message ids in the store itself (the
 * SQLite file read-only, or the PostgreSQL table) and each dialog's whole history through the REST
 * API (`GET /chat/Message`, paged by `_id`), as a client would read it.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { rawRequest } from '@parley/testkit';
import type { BenchDatabase } from './bench-db.js';

/** Message id → rows with that id, for one application. */
export type StoredIds = Map<string, number>;

/**
 * The stored message ids of `appId`. SQLite is opened read-only: after a SIGKILL its `-wal` and `-shm`
 * files stay as they are, so the restarted server still does the recovery itself.
 */
export async function storedIds(db: BenchDatabase, appId: number): Promise<StoredIds> {
  const query = 'select id, count(*) as copies from messages where app_id = $1 group by id';
  if (db.kind === 'sqlite') {
    const sqlite = new Database(path.join(db.dataDir, 'parley.sqlite'), { readonly: true, fileMustExist: true });
    try {
      const rows = sqlite.prepare(query.replace('$1', '?')).all(appId) as { id: string; copies: number }[];
      return new Map(rows.map((row) => [row.id, Number(row.copies)]));
    } finally {
      sqlite.close();
    }
  }
  const client = new pg.Client({ connectionString: db.databaseUrl });
  await client.connect();
  try {
    const rows = await client.query<{ id: string; copies: string }>(query, [appId]);
    return new Map(rows.rows.map((row) => [row.id, Number(row.copies)]));
  } finally {
    await client.end();
  }
}

/** Every message id of a dialog's history in `_id` order, as `token`'s user reads it (without marking anything read). */
export async function historyIds(baseUrl: string, token: string, dialogId: string): Promise<string[]> {
  const ids: string[] = [];
  for (;;) {
    const query = new URLSearchParams({ chat_dialog_id: dialogId, sort_asc: '_id', limit: '100', mark_as_read: '0' });
    // Keyset paging: the next page starts after the last id seen, so a long history costs no skip scans.
    const last = ids[ids.length - 1];
    if (last !== undefined) query.set('_id[gt]', last);
    const response = await rawRequest(baseUrl, `/chat/Message.json?${query.toString()}`, { token });
    if (response.status !== 200) throw new Error(`history of dialog ${dialogId}: ${response.status} ${response.text}`);
    const items = (response.json as { items: { _id: string }[] }).items;
    ids.push(...items.map((item) => item._id));
    if (items.length < 100) return ids;
  }
}

/** Occurrences beyond the first, summed over all ids. */
export function extraCopies(counts: Iterable<number>): number {
  let extra = 0;
  for (const count of counts) extra += Math.max(0, count - 1);
  return extra;
}

/** Id → occurrences in `ids`. */
export function countIds(ids: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}
