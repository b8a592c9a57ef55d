import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  SelectQueryNode,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';
import type { SqliteWorkerClient } from './worker-client.js';

/**
 * The worker threads behind one store: `writer` owns the connection that writes (transactions, message
 * batches, every statement that is not a plain select); `reader` has a second connection to the same
 * file for selects outside a transaction, so reads go on while the writer waits for an fsync (WAL
 * readers see the last commit). A `:memory:` database has one connection: both are the same worker.
 */
export interface SqliteWorkers {
  writer: SqliteWorkerClient;
  reader: SqliteWorkerClient;
}

/**
 * Exclusive use of the writer's connection: a transaction (begin … commit) or a message batch
 * holds it; statements outside a transaction wait while it is held, and otherwise go straight out
 * (the worker runs them in arrival order), so reads pipeline instead of queueing one round trip each.
 */
export class ConnectionGate {
  #held: Promise<void> | undefined;
  #release: (() => void) | undefined;

  /** Resolves once nobody holds the gate; the caller must post before its next await. */
  async free(): Promise<void> {
    while (this.#held) await this.#held;
  }

  async acquire(): Promise<void> {
    while (this.#held) await this.#held;
    this.#held = new Promise((resolve) => (this.#release = resolve));
  }

  release(): void {
    const release = this.#release;
    this.#held = undefined;
    this.#release = undefined;
    release?.();
  }

  get held(): boolean {
    return this.#held !== undefined;
  }

  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }
}

function quoted(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

class WorkerConnection implements DatabaseConnection {
  /** True between this connection's begin and its commit/rollback (it holds the gate). */
  inTransaction = false;

  constructor(
    private readonly workers: SqliteWorkers,
    private readonly gate: ConnectionGate,
  ) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const { writer, reader } = this.workers;
    if (!this.inTransaction && reader !== writer && SelectQueryNode.is(compiled.query)) {
      return (await reader.query(compiled.sql, compiled.parameters)) as QueryResult<R>;
    }
    // Re-checked after every wake-up: a transaction may take the gate between release and this post.
    while (!this.inTransaction && this.gate.held) await this.gate.free();
    return (await writer.query(compiled.sql, compiled.parameters)) as QueryResult<R>;
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('the SQLite worker driver does not stream queries');
  }
}

class WorkerDriver implements Driver {
  constructor(
    private readonly workers: SqliteWorkers,
    private readonly gate: ConnectionGate,
  ) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new WorkerConnection(this.workers, this.gate);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const worker = connection as WorkerConnection;
    await this.gate.acquire();
    worker.inTransaction = true;
    try {
      await worker.executeQuery(CompiledQuery.raw('begin'));
    } catch (error) {
      this.#end(worker);
      throw error;
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const worker = connection as WorkerConnection;
    try {
      await worker.executeQuery(CompiledQuery.raw('commit'));
    } catch (error) {
      // A commit SQLite refused leaves the transaction open on the shared connection: end it here.
      await worker.executeQuery(CompiledQuery.raw('rollback')).catch(() => undefined);
      throw error;
    } finally {
      this.#end(worker);
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const worker = connection as WorkerConnection;
    try {
      await worker.executeQuery(CompiledQuery.raw('rollback'));
    } finally {
      this.#end(worker);
    }
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoted(name)}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to ${quoted(name)}`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release ${quoted(name)}`));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    if ((connection as WorkerConnection).inTransaction) this.#end(connection as WorkerConnection);
  }

  async destroy(): Promise<void> {
    const { writer, reader } = this.workers;
    await Promise.all([writer.close(), reader === writer ? undefined : reader.close()]);
  }

  #end(connection: WorkerConnection): void {
    if (!connection.inTransaction) return;
    connection.inTransaction = false;
    this.gate.release();
  }
}

/** Kysely's SQLite dialect with the connections in worker threads (SqliteWorkerClient). */
export class WorkerSqliteDialect implements Dialect {
  constructor(
    private readonly workers: SqliteWorkers,
    private readonly gate: ConnectionGate,
  ) {}

  createAdapter() {
    return new SqliteAdapter();
  }

  createDriver(): Driver {
    return new WorkerDriver(this.workers, this.gate);
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createIntrospector(db: Kysely<unknown>) {
    return new SqliteIntrospector(db);
  }
}
