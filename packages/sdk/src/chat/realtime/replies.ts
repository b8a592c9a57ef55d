// Replies the chat waits for, keyed by stanza id (IQ results, MUC join presences). The server must
// echo request ids verbatim (realtime.md §11.4); ids are `uuid:suffix` strings.
import type { XmlElement } from './xml.js';

export interface PendingReply {
  onReply(stanza: XmlElement): void;
  /** The connection ended or the caller gave up before a reply came. */
  onAbort(error: Error): void;
}

export class PendingReplies {
  readonly #pending = new Map<string, PendingReply>();

  expect(id: string, reply: PendingReply): void {
    this.#pending.set(id, reply);
  }

  /** Hands `stanza` to the waiter for `id`; `false` when nobody waits for it. */
  deliver(id: string, stanza: XmlElement): boolean {
    const reply = this.#pending.get(id);
    if (!reply) return false;
    this.#pending.delete(id);
    reply.onReply(stanza);
    return true;
  }

  /**
   * Waits for the reply to `id`, then writes the request; `settle` turns the reply into the outcome.
   * Rejects when the write fails (nothing is left waiting) or the connection ends first.
   */
  request<T>(id: string, write: () => Promise<void>, settle: (stanza: XmlElement, resolve: (value: T) => void, reject: (error: unknown) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.expect(id, { onReply: (stanza) => settle(stanza, resolve, reject), onAbort: reject });
      write().catch((error: unknown) => {
        this.forget(id);
        reject(error);
      });
    });
  }

  /** Stops waiting for `id` without telling the waiter (it settled some other way). */
  forget(id: string): void {
    this.#pending.delete(id);
  }

  /** Fails every waiter, e.g. when the stream they were sent on is gone. */
  abortAll(error: Error): void {
    const waiting = [...this.#pending.values()];
    this.#pending.clear();
    for (const reply of waiting) reply.onAbort(error);
  }
}
