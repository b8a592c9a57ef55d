import { isUtf8 } from 'node:buffer';
import { EventEmitter } from 'node:events';
import { Element, Parser } from '@xmpp/xml';
import { streamError, type StreamError } from './errors.js';
import { StreamGuard, type Framing } from './guard.js';
import { resolveLimits, type XmlStreamLimits } from './limits.js';

export type { Framing } from './guard.js';
export { Element } from '@xmpp/xml';

/** Most decoded characters kept back from ltx while no tag completes (see `write`). */
const HOLD_CHARS = 16 * 1024;

export const FRAMING_NS = 'urn:ietf:params:xml:ns:xmpp-framing';

export interface XmlStreamParserOptions extends Partial<XmlStreamLimits> {
  /** `websocket`: RFC 7395, one top-level element per unit. `tcp`: RFC 6120 `<stream:stream>` wrapper. */
  framing: Framing;
}

export interface XmlStreamEvents {
  /** TCP: the `<stream:stream>` start tag. WebSocket: an `<open xmlns="…xmpp-framing"/>` element. */
  streamStart: [attrs: Record<string, string>];
  /** A complete top-level element (stanza, `<stream:features>`, SASL, …) with its children. */
  element: [element: Element];
  /** TCP: `</stream:stream>`. WebSocket: a `<close xmlns="…xmpp-framing"/>` element. Nothing follows. */
  streamEnd: [];
  /** The stream is unusable; nothing follows. At most one per stream. */
  streamError: [error: StreamError];
}

type Pending = { [K in keyof XmlStreamEvents]: [K, ...XmlStreamEvents[K]] }[keyof XmlStreamEvents];

/** Builds elements from ltx SAX events (the lenient parser the SDK itself uses; keeps `\r`, accepts `<0>`). */
class TreeBuilder extends Parser {
  private readonly stack: Element[] = [];

  constructor(
    private readonly framing: Framing,
    private readonly sink: (event: Pending) => void,
    private readonly fail: (error: StreamError) => void,
  ) {
    super();
  }

  private get base(): number {
    return this.framing === 'tcp' ? 1 : 0;
  }

  override onStartElement(name: string, attrs: Record<string, string>): void {
    const { stack } = this;
    if (this.framing === 'tcp' && stack.length === 0) {
      if (name !== 'stream:stream') return this.fail(streamError('not-well-formed', 'expected <stream:stream>'));
      stack.push(new Element(name));
      this.sink(['streamStart', { ...attrs }]);
      return;
    }
    const element = new Element(name, attrs);
    const parent = stack.length > this.base ? stack[stack.length - 1] : undefined;
    parent?.append(element);
    stack.push(element);
  }

  override onEndElement(name: string): void {
    const { stack } = this;
    const element = stack.pop();
    if (!element || element.name !== name) return this.fail(streamError('not-well-formed', 'mismatched end tag'));
    if (this.framing === 'tcp' && stack.length === 0) return this.sink(['streamEnd']);
    if (stack.length !== this.base) return;
    if (this.framing === 'websocket' && element.attrs.xmlns === FRAMING_NS) {
      if (element.name === 'open') return this.sink(['streamStart', { ...element.attrs }]);
      if (element.name === 'close') return this.sink(['streamEnd']);
    }
    this.sink(['element', element]);
  }

  override onText(text: string): void {
    // Text between top-level units is whitespace (the guard refuses anything else): drop it.
    if (this.stack.length > this.base) this.stack[this.stack.length - 1]?.t(text);
  }
}

/**
 * A hardened streaming XML parser for one XMPP stream. Feed it raw chunks with `write()`; it emits
 * `streamStart`, `element`, `streamEnd` and at most one `streamError`, after which input is ignored.
 * No input makes `write()` throw (only a throwing listener can). It never touches sockets.
 * Limits and conditions: see `../README.md`.
 */
export class XmlStreamParser extends EventEmitter<XmlStreamEvents> {
  readonly framing: Framing;
  readonly limits: Readonly<XmlStreamLimits>;
  private guard: StreamGuard;
  private tree!: TreeBuilder;
  /** Created once a chunk ends inside a character; until then chunks are decoded whole. */
  private decoder: TextDecoder | undefined;
  /** Bytes were decoded since the stream (re)started (a leading BOM is only dropped before that). */
  private decodedAny = false;
  private queue: Pending[] = [];
  private held = '';
  private flushing = false;
  private state: 'open' | 'ended' | 'failed' = 'open';

  constructor(options: XmlStreamParserOptions) {
    super();
    const { framing, ...limits } = options;
    if (framing !== 'websocket' && framing !== 'tcp') throw new TypeError(`unknown framing ${String(framing)}`);
    this.framing = framing;
    this.limits = Object.freeze(resolveLimits(limits));
    this.guard = new StreamGuard(framing, this.limits);
    this.restart();
  }

  /** True after `streamEnd` or `streamError`: further input is ignored. */
  get closed(): boolean {
    return this.state !== 'open';
  }

  /** Bytes of the top-level unit being received (what the stanza limit is checked against). */
  get pendingStanzaBytes(): number {
    return this.guard.stanzaBytes;
  }

  /** The client authenticated: the pre-authentication byte cap no longer applies. */
  authenticated(): void {
    this.guard.authenticated = true;
  }

  /**
   * Start a new stream on the same connection (TCP restart after STARTTLS or SASL success): the next
   * input must begin with a new `<stream:stream>`. Keeps the authentication state and byte count.
   */
  reset(): void {
    this.guard.reset();
    this.queue = [];
    this.held = '';
    this.restart();
    this.state = 'open';
  }

  write(chunk: Buffer | Uint8Array | string): void {
    if (this.state !== 'open') return;
    let text: string;
    if (typeof chunk === 'string') text = chunk;
    else if (this.decoder === undefined && isUtf8(chunk)) {
      // The usual chunk is whole UTF-8 (a WebSocket frame, a TCP read): decoded without a decoder kept
      // per connection. Only a chunk that ends inside a character (or is invalid) needs the streaming one.
      // Like the decoder, drop a byte order mark at the very start of the stream.
      const bom = !this.decodedAny && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? 3 : 0;
      text = Buffer.from(chunk.buffer, chunk.byteOffset + bom, chunk.byteLength - bom).toString('utf8');
      if (chunk.byteLength > 0) this.decodedAny = true;
    } else {
      try {
        // ignoreBOM keeps a U+FEFF that is not at the start of the stream (whole chunks came before).
        this.decoder ??= new TextDecoder('utf-8', { fatal: true, ignoreBOM: this.decodedAny });
        text = this.decoder.decode(chunk, { stream: true });
      } catch {
        this.fail(streamError('unsupported-encoding', 'invalid UTF-8'));
        return this.flush();
      }
    }
    const scanned = this.guard.scan(text);
    this.held += scanned.end === text.length ? text : text.slice(0, scanned.end);
    // ltx re-joins and re-scans its pending text/attribute value on every write, so a long value
    // trickled in tiny chunks would cost quadratic time: hand it text only when a tag completed
    // (an event may be due), on error/end, or once HOLD_CHARS have piled up.
    if (scanned.tagCompleted || scanned.error || scanned.streamClosed || this.held.length >= HOLD_CHARS) {
      const held = this.held;
      this.held = '';
      try {
        this.tree.write(held);
      } catch {
        // ltx throws on unknown entities and illegal character references.
        this.fail(streamError('not-well-formed', 'invalid entity or character reference'));
      }
    }
    if (scanned.error) this.fail(scanned.error);
    this.flush();
  }

  private restart(): void {
    this.decoder = undefined;
    this.decodedAny = false;
    this.tree = new TreeBuilder(
      this.framing,
      (event) => {
        if (this.state !== 'open') return;
        if (event[0] === 'streamEnd') this.state = 'ended';
        this.queue.push(event);
      },
      (error) => this.fail(error),
    );
  }

  private fail(error: StreamError): void {
    if (this.state !== 'open') return;
    this.state = 'failed';
    this.queue.push(['streamError', error]);
  }

  /** Events are emitted after a chunk is parsed, so listeners never run inside the SAX parser. */
  private flush(): void {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (let event = this.queue.shift(); event; event = this.queue.shift()) {
        const [name, ...args] = event;
        EventEmitter.prototype.emit.call(this, name, ...args);
      }
    } finally {
      this.flushing = false;
    }
  }
}
