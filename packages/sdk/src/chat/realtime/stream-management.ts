// The "sent" status (realtime.md §7.4, §11.1): with `chat.streamManagement.enable`, XEP-0198 is
// enabled after every connect, each chat/groupchat content message is queued after it is written
// and followed by `<r/>`, and every `<a h/>` reports that many queued messages (oldest first) as
// sent. Messages still queued `acknowledgementTimeout` seconds after the last `<a/>`, or when the
// connection ends or a write fails, are reported lost. Same counting as the official SDK 6.1.2.
import { NS_SM, smNonza } from './stanzas.js';
import type { MessageParams } from './types.js';
import { attr, xml } from './xml.js';
import type { XmlElement } from './xml.js';

export interface SentMessageTrackerDeps {
  /** Writes to the live stream; rejects when not connected or the write fails. */
  send(element: XmlElement): Promise<void>;
  onSent(message: MessageParams): void;
  onLost(message: MessageParams): void;
  ackTimeoutMs(): number;
  /** With session resumption: its count of handled stanzas, which answers `<r/>` instead of ours. */
  handled?(): number | undefined;
}

function isTrackedContent(stanza: XmlElement): boolean {
  const type = attr(stanza, 'type');
  const hasContent = Boolean(stanza.getChildText('body')) || stanza.getChildren('attachment').length > 0;
  return stanza.name === 'message' && (type === 'chat' || type === 'groupchat') && hasContent;
}

export class SentMessageTracker {
  #enabled = false;
  /** Elements received since `<enabled/>` (what we answer a server `<r/>` with). */
  #receivedCount = 0;
  /** The last `h` the server acknowledged. */
  #ackedCount = 0;
  readonly #queue = new Set<MessageParams>();
  #lostTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly deps: SentMessageTrackerDeps) {}

  get enabled(): boolean {
    return this.#enabled;
  }

  /** After (re)connecting: asks the server to enable stream management (resumable: `resume="true"`). */
  start(resume = false): void {
    this.#enabled = false;
    this.#sendQuietly(resume ? xml('enable', { xmlns: NS_SM, resume: 'true' }) : smNonza('enable'));
  }

  /** The socket is gone but the session may be resumed: keep the queue (`<resumed h/>` acks it). */
  pause(): void {
    this.#enabled = false;
  }

  /** On disconnect: everything still waiting for an ack is lost. */
  stop(): void {
    this.#enabled = false;
    this.#reportQueueLost();
  }

  /** Writes `stanza`; tracks `message` when it is content and SM is on; a failed write loses it. */
  async send(stanza: XmlElement, message: MessageParams): Promise<void> {
    try {
      await this.deps.send(stanza);
    } catch {
      this.deps.onLost(message);
      this.#queue.delete(message);
      return;
    }
    if (this.#enabled && isTrackedContent(stanza)) {
      this.#queue.add(message);
      this.#sendQuietly(smNonza('r'));
    }
  }

  /** Every element the stream receives, stanzas and nonzas alike. */
  handleElement(element: XmlElement): void {
    const isSm = attr(element, 'xmlns') === NS_SM;
    if (isSm && element.name === 'enabled') {
      this.#receivedCount = 0;
      this.#ackedCount = 0;
      this.#enabled = true;
      return;
    }
    if (!isSm) this.#receivedCount += 1;
    if (!isSm) return;

    if (element.name === 'r') {
      this.#sendQuietly(smNonza('a', this.deps.handled?.() ?? this.#receivedCount));
    } else if (element.name === 'a' || element.name === 'resumed') {
      if (element.name === 'resumed') this.#enabled = true;
      const handled = parseInt(attr(element, 'h'), 10);
      const acked = Number.isNaN(handled) ? this.#ackedCount : handled;
      this.#reportSent(acked - this.#ackedCount);
      this.#ackedCount = acked;
      this.#restartLostTimer();
    }
  }

  #reportSent(count: number): void {
    for (const message of [...this.#queue].slice(0, Math.max(0, count))) {
      this.#queue.delete(message);
      this.deps.onSent(message);
    }
  }

  #reportQueueLost(): void {
    clearTimeout(this.#lostTimer);
    this.#lostTimer = undefined;
    const lost = [...this.#queue];
    this.#queue.clear();
    for (const message of lost) this.deps.onLost(message);
  }

  #restartLostTimer(): void {
    clearTimeout(this.#lostTimer);
    this.#lostTimer = setTimeout(() => this.#reportQueueLost(), this.deps.ackTimeoutMs());
  }

  #sendQuietly(element: XmlElement): void {
    // A nonza that cannot be written belongs to a dying stream; stop() reports the losses.
    this.deps.send(element).catch(() => undefined);
  }
}
