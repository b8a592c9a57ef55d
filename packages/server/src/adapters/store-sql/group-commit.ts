import type { MessageRecord, NewMessage } from '../../ports/messages.js';
import { UniqueViolation } from '../../ports/store.js';
import type { BatchOutcome } from './message-batch.js';

/**
 * Group commit of new messages: every `create` of one event-loop turn (and those arriving while the
 * previous batch commits) goes into one batch, written in one transaction. Each caller's promise settles
 * only after that commit, so an ack that follows it (XEP-0198 `<a/>`, REST 201) covers the message.
 * Batches run one after another in arrival order, which keeps every dialog's order.
 */

export interface GroupCommitLimits {
  /** Most messages in one transaction. */
  maxMessages: number;
  /** Most message bytes (body, attachments, custom) in one transaction; a larger message goes alone. */
  maxBytes: number;
}

export const DEFAULT_GROUP_COMMIT: GroupCommitLimits = { maxMessages: 256, maxBytes: 1024 * 1024 };

/** Writes a batch in one transaction: one outcome per message, in order. */
export type MessageBatchWriter = (batch: NewMessage[]) => Promise<BatchOutcome[]>;

export type CreateResult = { message: MessageRecord; created: boolean };

interface Pending {
  message: NewMessage;
  bytes: number;
  resolve(result: CreateResult): void;
  reject(error: unknown): void;
}

export class GroupCommitWriter {
  readonly #write: MessageBatchWriter;
  readonly #limits: GroupCommitLimits;
  #queue: Pending[] = [];
  #scheduled = false;
  /** Set and cleared synchronously with the drain loop, so no message is left behind between batches. */
  #running = false;
  #draining: Promise<void> = Promise.resolve();

  constructor(write: MessageBatchWriter, limits: GroupCommitLimits = DEFAULT_GROUP_COMMIT) {
    this.#write = write;
    this.#limits = limits;
  }

  create(message: NewMessage): Promise<CreateResult> {
    return new Promise<CreateResult>((resolve, reject) => {
      this.#queue.push({ message, bytes: messageBytes(message), resolve, reject });
      if (this.#scheduled || this.#running) return;
      this.#scheduled = true;
      // After this turn's I/O callbacks: everything parsed in this turn joins the batch.
      setImmediate(() => {
        this.#scheduled = false;
        this.#running = true;
        this.#draining = this.#drain();
      });
    });
  }

  /** Resolves once every message handed in so far is committed (or failed): before closing the store. */
  async flush(): Promise<void> {
    while (this.#scheduled || this.#running) {
      if (this.#running) await this.#draining;
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) await this.#commit(this.#take());
    } finally {
      this.#running = false;
    }
  }

  #take(): Pending[] {
    let count = 0;
    let bytes = 0;
    while (count < this.#queue.length && count < this.#limits.maxMessages) {
      const next = (this.#queue[count] as Pending).bytes;
      if (count > 0 && bytes + next > this.#limits.maxBytes) break;
      bytes += next;
      count += 1;
    }
    return this.#queue.splice(0, count);
  }

  async #commit(batch: Pending[]): Promise<void> {
    let outcomes: BatchOutcome[];
    try {
      outcomes = await this.#write(batch.map((pending) => pending.message));
    } catch (error) {
      if (batch.length === 1) return (batch[0] as Pending).reject(error);
      // One message the engine refuses must not fail the others: write them one by one.
      for (const pending of batch) await this.#commit([pending]);
      return;
    }
    batch.forEach((pending, index) => settle(pending, outcomes[index]));
  }
}

function settle(pending: Pending, outcome: BatchOutcome | undefined): void {
  if (outcome === undefined) pending.reject(new Error('the message batch returned no outcome'));
  else if (outcome.ok) pending.resolve({ message: outcome.message, created: outcome.created });
  else if (outcome.reason === 'conflict') pending.reject(new UniqueViolation('unknown'));
  else pending.reject(new Error(`dialog ${pending.message.dialogId} vanished`));
}

function messageBytes(message: NewMessage): number {
  let bytes = message.body?.length ?? 0;
  if (message.attachments.length > 0) bytes += JSON.stringify(message.attachments).length;
  for (const key in message.custom) {
    bytes += key.length + String(message.custom[key]).length;
  }
  return bytes;
}
