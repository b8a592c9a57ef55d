/** One stanza written (or held while detached) and not yet acknowledged by the client. */
export interface UnackedStanza {
  /** Our outbound count when it was sent (XEP-0198 `h` the client acknowledges it with). */
  h: number;
  /** The serialised stanza, exactly as written (elements are shared between recipients, text is not). */
  text: string;
}

/**
 * XEP-0198 resend buffer of one session: what was sent and not yet covered by a client `<a h/>`, oldest
 * first. Bounded in stanzas and in bytes (UTF-16 code units, what the strings hold) so a client that
 * never acknowledges cannot grow server memory without limit.
 */
export class UnackedQueue {
  private items: UnackedStanza[] = [];
  private head = 0;
  private queuedBytes = 0;

  constructor(
    readonly capacity: number,
    readonly maxBytes: number = Infinity,
  ) {}

  get size(): number {
    return this.items.length - this.head;
  }

  /** What the kept stanzas weigh (2 bytes per UTF-16 code unit, as V8 may store them). */
  get bytes(): number {
    return this.queuedBytes;
  }

  /** False (and nothing kept) when the buffer is full. */
  push(h: number, text: string): boolean {
    const weight = text.length * 2;
    if (this.size >= this.capacity || this.queuedBytes + weight > this.maxBytes) return false;
    this.items.push({ h, text });
    this.queuedBytes += weight;
    return true;
  }

  /** Drops what `h` covers; counters wrap at 2^32 (XEP-0198 §5), so "covered" is a modular comparison. */
  release(h: number): void {
    while (this.head < this.items.length && covers(h, this.items[this.head]!.h)) {
      this.queuedBytes -= this.items[this.head]!.text.length * 2;
      this.head += 1;
    }
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  /** What is still unacknowledged, oldest first. */
  pending(): UnackedStanza[] {
    return this.items.slice(this.head);
  }

  /** Empties the buffer and returns what was in it. */
  takeAll(): UnackedStanza[] {
    const all = this.pending();
    this.items = [];
    this.head = 0;
    this.queuedBytes = 0;
    return all;
  }
}

/** `acked` covers `sent` when sent ≤ acked in 32-bit serial-number arithmetic. */
function covers(acked: number, sent: number): boolean {
  return ((acked - sent) >>> 0) < 2 ** 31;
}
