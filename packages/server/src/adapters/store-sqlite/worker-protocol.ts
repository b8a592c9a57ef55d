import type { NewMessage } from '../../ports/messages.js';
import type { BatchOutcome } from '../store-sql/message-batch.js';
import type { SqliteSettings } from './connection.js';

/** Messages between the main thread and the SQLite worker thread (structured-clone data only). */

export interface WorkerStart {
  file: string;
  settings: SqliteSettings;
}

export type WorkerRequest =
  | { id: number; op: 'query'; sql: string; parameters: readonly unknown[] }
  | { id: number; op: 'writeMessages'; batch: NewMessage[] }
  | { id: number; op: 'backup'; target: string }
  | { id: number; op: 'close' };

/** What better-sqlite3 answered, in the shape Kysely's SQLite driver gives. */
export interface WorkerQueryResult {
  rows: unknown[];
  numAffectedRows?: bigint;
  insertId?: bigint;
}

export type WorkerResult = WorkerQueryResult | BatchOutcome[] | null;

/** An error crosses as data: `code` (e.g. SQLITE_CONSTRAINT_UNIQUE) is what the adapters look at. */
export interface WorkerError {
  name: string;
  message: string;
  code?: string;
}

export type WorkerResponse = { id: number; ok: true; result: WorkerResult } | { id: number; ok: false; error: WorkerError };
