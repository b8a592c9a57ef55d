// Opt-in XEP-0198 session resumption (`chat.streamManagement.resume`, a Parley addition: the
// official SDK 6.1.2 never resumes, realtime.md §11.1/§11.3). With it on, `<enable/>` asks for
// `resume="true"`; this class counts the stanzas handled in both directions and keeps our own
// stanzas the server has not acknowledged. After an unexpected socket loss the reconnect sends
// `<resume previd h/>` in place of resource binding: on `<resumed h/>` the session (JID, rooms,
// subscriptions) goes on and what the server did not count is written again; on `<failed/>` the
// held-back stream features go on to a fresh bind, as without resumption.
import { NS_SM } from './stanzas.js';
import { attr, xml } from './xml.js';
import type { XmlElement } from './xml.js';

const NS_BIND = 'urn:ietf:params:xml:ns:xmpp-bind';
/** Unacknowledged stanzas after which we ask for an ack (content messages ask at once, stream-management.ts). */
export const ACK_REQUEST_EVERY = 10;
const isStanza = (element: XmlElement) => ['message', 'presence', 'iq'].includes(element.name);
const isSm = (element: XmlElement, name: string) => element.name === name && attr(element, 'xmlns') === NS_SM;

export interface StreamResumptionDeps {
  /** Raw write to the current socket (the stream is not `online` while resuming). */
  write(element: XmlElement): Promise<void>;
  /** The session was resumed: mark the connection online again. `acknowledged` = the server's `h`. */
  onResumed(acknowledged: number): void;
  /** The server refused to resume: the connection goes on to a fresh login. */
  onFailed(): void;
}

export class StreamResumption {
  /** The resumable session's id (`<enabled id>`); '' = nothing to resume. */
  #id = '';
  /** Stanzas received since `<enabled/>` (our `h`). */
  #inbound = 0;
  /** The server's last `h`: how many of our stanzas since `<enable/>` it handled. */
  #acknowledged = 0;
  /** Our stanzas written since `<enable/>` and not acknowledged yet, oldest first. */
  #unacked: XmlElement[] = [];
  /** Between `<enable/>` (or `<resumed/>`) and the socket loss. */
  #counting = false;
  /** Features held back while our `<resume/>` waits for an answer. */
  #heldFeatures: (() => void) | null = null;

  constructor(private readonly deps: StreamResumptionDeps) {}

  get resumable(): boolean {
    return this.#id !== '';
  }

  /** Every element the client writes (after the write succeeded). */
  handleOutbound(element: XmlElement): void {
    if (isSm(element, 'enable')) {
      this.#acknowledged = 0;
      this.#unacked = [];
      this.#counting = true;
    } else if (this.#counting && isStanza(element)) {
      this.#unacked.push(element);
      // Keeps the list short when only typing, markers, pings… go out (nothing else asks for acks).
      if (this.#unacked.length % ACK_REQUEST_EVERY === 0) this.deps.write(xml('r', { xmlns: NS_SM })).catch(() => undefined);
    }
  }

  /** Every element the client receives. */
  handleInbound(element: XmlElement): void {
    if (isStanza(element)) {
      if (this.#counting) this.#inbound = (this.#inbound + 1) % 2 ** 32;
    } else if (isSm(element, 'enabled')) {
      this.#inbound = 0;
      this.#id = attr(element, 'resume') === 'true' || attr(element, 'resume') === '1' ? attr(element, 'id') : '';
    } else if (isSm(element, 'a')) {
      this.#release(element);
    } else if (isSm(element, 'resumed') && this.#heldFeatures) {
      this.#heldFeatures = null;
      const unacked = this.#release(element);
      this.#counting = true;
      this.deps.onResumed(this.#acknowledged);
      // Written again in order; each write puts it back on the unacknowledged list.
      for (const stanza of unacked) void this.deps.write(stanza).catch(() => undefined);
    } else if (isSm(element, 'failed') && this.#heldFeatures) {
      const proceed = this.#heldFeatures;
      this.forget();
      this.deps.onFailed();
      proceed();
    }
  }

  /** Our `h` for answering a server `<r/>`. */
  get handled(): number {
    return this.#inbound;
  }

  /** The socket is gone: stop counting, keep the session for a resume. */
  pause(): void {
    this.#counting = false;
    this.#heldFeatures = null;
  }

  /** Nothing to resume any more (deliberate disconnect, refused resumption). */
  forget(): void {
    this.pause();
    this.#id = '';
    this.#inbound = 0;
    this.#acknowledged = 0;
    this.#unacked = [];
  }

  /**
   * Stream features of a reconnect: after SASL (they offer `<bind/>`) and with a session to resume,
   * sends `<resume/>` and keeps them until the answer (`proceed` hands them on); `false` = not taken.
   */
  takeFeatures(features: XmlElement, proceed: () => void): boolean {
    if (!this.resumable || !features.getChild('bind', NS_BIND) || this.#heldFeatures) return false;
    this.#heldFeatures = proceed;
    this.deps.write(xml('resume', { xmlns: NS_SM, previd: this.#id, h: String(this.#inbound) })).catch(() => undefined);
    return true;
  }

  /** Drops what an `<a h/>` or `<resumed h/>` acknowledges; returns what is still unacknowledged (and clears it). */
  #release(element: XmlElement): XmlElement[] {
    const h = parseInt(attr(element, 'h'), 10);
    if (Number.isInteger(h) && h >= this.#acknowledged) {
      this.#unacked.splice(0, h - this.#acknowledged);
      this.#acknowledged = h;
    }
    if (!isSm(element, 'resumed')) return [];
    const rest = this.#unacked;
    this.#unacked = [];
    // The server's count goes on from `h`; the rewritten stanzas are counted again as they go out.
    return rest;
  }
}
