import { parentPort, workerData } from 'node:worker_threads';
import { Kysely, SqliteDialect } from 'kysely';
import { sqliteTraits } from '../store-sql/dialect.js';
import { writeMessageBatch } from '../store-sql/message-batch.js';
import type { Database } from '../store-sql/schema.js';
import { openSqliteConnection } from './connection.js';
import { withStatementCache } from './statement-cache.js';
import type { WorkerError, WorkerQueryResult, WorkerRequest, WorkerResponse, WorkerResult, WorkerStart } from './worker-protocol.js';

/**
 * The SQLite worker thread: it owns the store's only connection and runs, one after another, the
 * statements the main thread's Kysely driver posts and whole message batches (group commit, one round
 * trip each). better-sqlite3 is synchronous, so this keeps SQL and fsync off the main event loop.
 */

const start = workerData as WorkerStart;
if (!parentPort) throw new Error('the SQLite worker runs only as a worker thread');
const port = parentPort;

const database = openSqliteConnection(start.file, start.settings);
const statements = withStatementCache(database);
// The batch writer is Kysely code shared with PostgreSQL; here it runs on the same single connection.
const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) });

function query(sql: string, parameters: readonly unknown[]): WorkerQueryResult {
  const statement = statements.prepare(sql);
  if (statement.reader) return { rows: statement.all(parameters) };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
}

async function handle(request: WorkerRequest): Promise<WorkerResult> {
  switch (request.op) {
    case 'query':
      return query(request.sql, request.parameters);
    case 'writeMessages':
      return writeMessageBatch(db, sqliteTraits, request.batch);
    case 'backup':
      await database.backup(request.target);
      return null;
    case 'close':
      database.close();
      return null;
  }
}

function toWorkerError(error: unknown): WorkerError {
  const { name, message, code } = error as { name?: string; message?: string; code?: unknown };
  return { name: name ?? 'Error', message: message ?? String(error), ...(typeof code === 'string' ? { code } : {}) };
}

// One request at a time, in arrival order: a message batch is async (Kysely) and must not interleave.
// Requests come in arrays (what the main thread posted in one turn); answers go back the same way,
// once per turn of this thread, since a postMessage costs more than a small query.
let tail: Promise<void> = Promise.resolve();
const answers: WorkerResponse[] = [];
function answer(response: WorkerResponse): void {
  if (answers.length === 0) setImmediate(() => port.postMessage(answers.splice(0)));
  answers.push(response);
}

port.on('message', (requests: WorkerRequest[]) => {
  for (const request of requests) {
    tail = tail.then(async () => {
      try {
        answer({ id: request.id, ok: true, result: await handle(request) });
      } catch (error) {
        answer({ id: request.id, ok: false, error: toWorkerError(error) });
      }
    });
  }
});
