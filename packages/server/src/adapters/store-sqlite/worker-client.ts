import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { NewMessage } from '../../ports/messages.js';
import type { BatchOutcome } from '../store-sql/message-batch.js';
import { cachedWorkerBundle } from './worker-bundle.js';
import type { WorkerError, WorkerQueryResult, WorkerRequest, WorkerResponse, WorkerResult, WorkerStart } from './worker-protocol.js';

type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

interface Pending {
  resolve(result: WorkerResult): void;
  reject(error: Error): void;
}

const entry = new URL(`./worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
/** Cached bundles of the worker, next to the server's own (`packages/server/.build`, ADR 0023). */
const bundleCache = fileURLToPath(new URL('../../../.build/sqlite-worker', import.meta.url));
let bundled: string | undefined;

/**
 * The sources run as TypeScript through tsx or from the server's bundle, neither of which a worker
 * thread inherits; registering tsx in each worker took seconds (tests open many stores). So the
 * worker's code is bundled with esbuild (cached on disk, `worker-bundle.ts`) and each worker evaluates
 * that; only the native better-sqlite3 is loaded from node_modules.
 */
function workerSource(): string {
  if (bundled === undefined) {
    const text = cachedWorkerBundle(fileURLToPath(entry), bundleCache, ['better-sqlite3']);
    // `require` of an eval'd worker resolves from the working directory; the bundle gets one resolving from here.
    const resolveHere = `require('node:module').createRequire(${JSON.stringify(fileURLToPath(import.meta.url))})`;
    bundled = `(function (require) {\n${text}\n})(${resolveHere});`;
  }
  return bundled;
}

function spawn(start: WorkerStart): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData: start });
  return new Worker(workerSource(), { eval: true, workerData: start });
}

function fromWorkerError(error: WorkerError): Error {
  return Object.assign(new Error(error.message || error.code || 'SQLite worker error'), { name: error.name, ...(error.code === undefined ? {} : { code: error.code }) });
}

/**
 * The main thread's end of the SQLite worker: requests are numbered and answered in order. The worker
 * keeps the process alive only while a request is outstanding, so a forgotten store never hangs exit.
 */
export class SqliteWorkerClient {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #next = 1;
  #outbox: WorkerRequest[] = [];
  #failure: Error | undefined;
  #exited: Promise<void>;

  constructor(start: WorkerStart) {
    this.#worker = spawn(start);
    this.#worker.unref();
    this.#worker.on('message', (responses: WorkerResponse[]) => {
      for (const response of responses) this.#answer(response);
    });
    // An uncaught error of the thread arrives cloned, and a driver's error class clones to a plain object.
    this.#worker.on('error', (error: unknown) => this.#fail(error instanceof Error ? error : fromWorkerError(error as WorkerError)));
    this.#exited = new Promise((resolve) => this.#worker.once('exit', () => resolve()));
    void this.#exited.then(() => this.#fail(new Error('the SQLite worker thread exited')));
  }

  query(sql: string, parameters: readonly unknown[]): Promise<WorkerQueryResult> {
    return this.#request({ op: 'query', sql, parameters }) as Promise<WorkerQueryResult>;
  }

  writeMessages(batch: NewMessage[]): Promise<BatchOutcome[]> {
    const written = this.#request({ op: 'writeMessages', batch }) as Promise<BatchOutcome[]>;
    // The group-commit writer already waited for its turn to end: a batch leaves at once.
    this.#flush();
    return written;
  }

  async backup(target: string): Promise<void> {
    await this.#request({ op: 'backup', target });
  }

  /** Closes the database in the worker, then ends the thread. */
  async close(): Promise<void> {
    if (this.#failure === undefined) await this.#request({ op: 'close' });
    await this.#worker.terminate();
    await this.#exited;
  }

  readonly #flush = (): void => {
    if (this.#outbox.length > 0) this.#worker.postMessage(this.#outbox.splice(0));
  };

  #request(request: Request): Promise<WorkerResult> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#next++;
    return new Promise<WorkerResult>((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { resolve, reject });
      // Everything asked within one turn of the event loop (all its I/O callbacks and their promise
      // chains) crosses in one message: a postMessage costs far more than the few µs this waits.
      if (this.#outbox.length === 0) setImmediate(this.#flush);
      this.#outbox.push({ ...request, id } as WorkerRequest);
    });
  }

  #answer(response: WorkerResponse): void {
    const pending = this.#pending.get(response.id);
    if (!pending) return;
    this.#pending.delete(response.id);
    if (this.#pending.size === 0) this.#worker.unref();
    if (response.ok) pending.resolve(response.result);
    else pending.reject(fromWorkerError(response.error));
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
    this.#worker.unref();
  }
}
