import { streamError, type StreamError } from './errors.js';
import type { XmlStreamLimits } from './limits.js';

/**
 * A character-level guard that runs over decoded text before it reaches the lenient ltx SAX parser.
 * It enforces the grammar subset ltx handles safely (so both agree on where tags begin and end),
 * refuses every `<!` and every processing instruction except a leading `<?xml …?>` in TCP framing,
 * refuses characters XML forbids, and counts bytes, depth and attributes while streaming, so an
 * oversized stanza is refused as soon as its bytes cross the limit and never buffered whole.
 */

/** Guard states (plain numbers keep the hot loop monomorphic). */
const S = {
  Text: 0,
  Lt: 1,
  StartName: 2,
  Tag: 3,
  AttrName: 4,
  AttrEq: 5,
  AttrQuote: 6,
  AttrValue: 7,
  AfterValue: 8,
  EmptySlash: 9,
  EndName: 10,
  EndWs: 11,
  Pi: 12,
  Done: 13,
} as const;
type State = (typeof S)[keyof typeof S];

export type Framing = 'websocket' | 'tcp';

export interface GuardResult {
  /** Text before this index may be handed to the SAX parser. */
  end: number;
  error?: StreamError;
  /** TCP framing: the closing `</stream:stream>` ended at `end`; ignore anything after it. */
  streamClosed?: boolean;
  /** A tag or declaration was completed in this text, so the SAX parser may have events to emit. */
  tagCompleted: boolean;
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/** Lenient name characters (the SDK sends `<0>`): anything that is not markup, quote or space. */
const isNameChar = (c: number): boolean =>
  !isSpace(c) &&
  c !== 0x3c /* < */ &&
  c !== 0x3e /* > */ &&
  c !== 0x2f /* / */ &&
  c !== 0x3d /* = */ &&
  c !== 0x22 /* " */ &&
  c !== 0x27 /* ' */ &&
  c !== 0x26 /* & */ &&
  c !== 0x21 /* ! */ &&
  c !== 0x3f; /* ? */

export class StreamGuard {
  private state: State = S.Text;
  private depth = 0;
  private quote = 0;
  private attrCount = 0;
  private endNameLength = 0;
  private piLength = 0;
  private piQuestion = false;
  private highSurrogate = false;
  /** Characters consumed since construction or `reset()` (the XML declaration must start at 0). */
  private position = 0;
  private tagCompleted = false;
  /** Bytes of the current top-level unit (or of the markup since the last one). */
  stanzaBytes = 0;
  /** Bytes seen while unauthenticated (kept across `reset()`). */
  preAuthBytes = 0;
  authenticated = false;

  private readonly tcp: boolean;
  /** Depth at which top-level units live: inside `<stream:stream>` for TCP, the frame for WebSocket. */
  private readonly base: number;

  constructor(
    framing: Framing,
    private readonly limits: XmlStreamLimits,
  ) {
    this.tcp = framing === 'tcp';
    this.base = this.tcp ? 1 : 0;
  }

  /** Forget the stream structure (TCP stream restart); byte counters before auth are kept. */
  reset(): void {
    this.state = S.Text;
    this.depth = 0;
    this.stanzaBytes = 0;
    this.highSurrogate = false;
    this.position = 0;
  }


  scan(text: string): GuardResult {
    const { limits } = this;
    this.tagCompleted = false;
    for (let i = 0; i < text.length; i++) {
      if (this.state === S.Done) return { end: i, streamClosed: true, tagCompleted: this.tagCompleted };
      if ((this.state === S.Text && this.depth > this.topLevel) || this.state === S.AttrValue) {
        const run = this.plainRun(text, i);
        if (run.error) return run.error;
        i = run.next;
        if (i >= text.length) break;
      }
      const c = text.charCodeAt(i);

      // Characters and bytes.
      let bytes: number;
      if (c < 0x80) {
        if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return this.failAt(i, streamError('not-well-formed', 'control character'));
        bytes = 1;
      } else if (c < 0x800) bytes = 2;
      else if (c >= 0xd800 && c <= 0xdbff) {
        if (this.highSurrogate) return this.failAt(i, streamError('not-well-formed', 'unpaired surrogate'));
        this.highSurrogate = true;
        bytes = 2;
      } else if (c >= 0xdc00 && c <= 0xdfff) {
        if (!this.highSurrogate) return this.failAt(i, streamError('not-well-formed', 'unpaired surrogate'));
        this.highSurrogate = false;
        bytes = 2;
      } else if (c === 0xfffe || c === 0xffff) return this.failAt(i, streamError('not-well-formed', 'character not allowed in XML'));
      else bytes = 3;
      if (this.highSurrogate && (c < 0xd800 || c > 0xdbff)) return this.failAt(i, streamError('not-well-formed', 'unpaired surrogate'));
      if (this.stanzaBytes + bytes > limits.maxStanzaBytes) return this.failAt(i, streamError('policy-violation', `stanza larger than ${limits.maxStanzaBytes} bytes`));
      if (!this.authenticated && this.preAuthBytes + bytes > limits.maxBytesBeforeAuth) {
        return this.failAt(i, streamError('policy-violation', `more than ${limits.maxBytesBeforeAuth} bytes before authentication`));
      }
      this.stanzaBytes += bytes;
      if (!this.authenticated) this.preAuthBytes += bytes;
      this.position++;

      switch (this.state) {
        case S.Text:
          if (c === 0x3c) this.state = S.Lt;
          else if (this.depth <= this.topLevel) {
            if (!isSpace(c)) return this.failAt(i, streamError('not-well-formed', 'text outside of an element'));
            this.stanzaBytes = 0; // whitespace between stanzas (keep-alives) never accumulates
          }
          break;
        case S.Lt:
          if (c === 0x21 /* ! */) return this.failAt(i, streamError('restricted-xml', 'comments, CDATA and DTDs are not allowed'));
          if (c === 0x3f /* ? */) {
            if (this.tcp && this.depth === 0 && this.position === 2) {
              this.state = S.Pi;
              this.piLength = 0;
              this.piQuestion = false;
            } else return this.failAt(i, streamError('restricted-xml', 'processing instructions are not allowed'));
          } else if (c === 0x2f /* / */) {
            if (this.depth === 0) return this.failAt(i, streamError('not-well-formed', 'unexpected end tag'));
            this.state = S.EndName;
            this.endNameLength = 0;
          } else if (isNameChar(c)) {
            if (this.depth + 1 - this.base > limits.maxDepth) return this.failAt(i, streamError('policy-violation', `elements nested deeper than ${limits.maxDepth}`));
            this.state = S.StartName;
            this.attrCount = 0;
          } else return this.failAt(i, streamError('not-well-formed', 'invalid tag'));
          break;
        case S.StartName:
          if (isSpace(c)) this.state = S.Tag;
          else if (c === 0x2f) this.state = S.EmptySlash;
          else if (c === 0x3e) {
            const r = this.openTag(false, i);
            if (r) return r;
          } else if (!isNameChar(c)) return this.failAt(i, streamError('not-well-formed', 'invalid element name'));
          break;
        case S.Tag:
          if (isSpace(c)) break;
          if (c === 0x2f) this.state = S.EmptySlash;
          else if (c === 0x3e) {
            const r = this.openTag(false, i);
            if (r) return r;
          } else if (isNameChar(c)) {
            if (++this.attrCount > limits.maxAttributes) return this.failAt(i, streamError('policy-violation', `more than ${limits.maxAttributes} attributes`));
            this.state = S.AttrName;
          } else return this.failAt(i, streamError('not-well-formed', 'invalid attribute'));
          break;
        case S.AttrName:
          if (isSpace(c)) this.state = S.AttrEq;
          else if (c === 0x3d) this.state = S.AttrQuote;
          else if (!isNameChar(c)) return this.failAt(i, streamError('not-well-formed', 'invalid attribute name'));
          break;
        case S.AttrEq:
          if (c === 0x3d) this.state = S.AttrQuote;
          else if (!isSpace(c)) return this.failAt(i, streamError('not-well-formed', 'attribute without value'));
          break;
        case S.AttrQuote:
          if (c === 0x22 || c === 0x27) {
            this.quote = c;
            this.state = S.AttrValue;
          } else if (!isSpace(c)) return this.failAt(i, streamError('not-well-formed', 'unquoted attribute value'));
          break;
        case S.AttrValue:
          if (c === this.quote) this.state = S.AfterValue;
          else if (c === 0x3c) return this.failAt(i, streamError('not-well-formed', "'<' in attribute value"));
          break;
        case S.AfterValue:
          if (isSpace(c)) this.state = S.Tag;
          else if (c === 0x2f) this.state = S.EmptySlash;
          else if (c === 0x3e) {
            const r = this.openTag(false, i);
            if (r) return r;
          } else return this.failAt(i, streamError('not-well-formed', 'missing space between attributes'));
          break;
        case S.EmptySlash:
          if (c !== 0x3e) return this.failAt(i, streamError('not-well-formed', "expected '>' after '/'"));
          {
            const r = this.openTag(true, i);
            if (r) return r;
          }
          break;
        case S.EndName:
          if (isNameChar(c)) this.endNameLength++;
          else if (this.endNameLength > 0 && isSpace(c)) this.state = S.EndWs;
          else if (this.endNameLength > 0 && c === 0x3e) {
            if (this.closeTag()) return { end: i + 1, streamClosed: true, tagCompleted: true };
          } else return this.failAt(i, streamError('not-well-formed', 'invalid end tag'));
          break;
        case S.EndWs:
          if (c === 0x3e) {
            if (this.closeTag()) return { end: i + 1, streamClosed: true, tagCompleted: true };
          } else if (!isSpace(c)) return this.failAt(i, streamError('not-well-formed', 'invalid end tag'));
          break;
        case S.Pi: {
          // Only `<?xml` followed by a space is accepted, up to the first `?>`.
          const expected = 'xml'.charCodeAt(this.piLength);
          if (this.piLength < 3 && c !== expected) return this.failAt(i, streamError('restricted-xml', 'processing instructions are not allowed'));
          if (this.piLength === 3 && !isSpace(c)) return this.failAt(i, streamError('restricted-xml', 'processing instructions are not allowed'));
          this.piLength++;
          if (c === 0x3e && this.piQuestion && this.piLength > 4) {
            this.state = S.Text;
            this.tagCompleted = true;
          }
          this.piQuestion = c === 0x3f;
          break;
        }
      }
    }
    return { end: text.length, tagCompleted: this.tagCompleted };
  }

  /** Depth at which text must be whitespace only (inside `<stream:stream>` once it is open, for TCP). */
  private get topLevel(): number {
    return this.tcp && this.depth >= 1 ? 1 : 0;
  }

  private failAt(end: number, error: StreamError): GuardResult {
    return { end, error, tagCompleted: this.tagCompleted };
  }

  /**
   * Skips printable ASCII (plus tab, CR, LF) that cannot change the state: text content up to '<',
   * an attribute value up to its quote or '<'. Counts the bytes and checks the limits on the way.
   */
  private plainRun(text: string, from: number): { next: number; error?: GuardResult } {
    const stop = this.state === S.AttrValue ? this.quote : 0x3c;
    let i = from;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === stop || c === 0x3c || c > 0x7e || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d)) break;
    }
    if (i === from) return { next: i };
    if (this.highSurrogate) return { next: from, error: this.failAt(from, streamError('not-well-formed', 'unpaired surrogate')) };
    let count = i - from;
    let error: StreamError | undefined;
    const { maxStanzaBytes, maxBytesBeforeAuth } = this.limits;
    if (this.stanzaBytes + count > maxStanzaBytes) {
      count = maxStanzaBytes - this.stanzaBytes;
      error = streamError('policy-violation', `stanza larger than ${maxStanzaBytes} bytes`);
    }
    if (!this.authenticated && this.preAuthBytes + count > maxBytesBeforeAuth) {
      count = maxBytesBeforeAuth - this.preAuthBytes;
      error = streamError('policy-violation', `more than ${maxBytesBeforeAuth} bytes before authentication`);
    }
    this.stanzaBytes += count;
    if (!this.authenticated) this.preAuthBytes += count;
    this.position += count;
    if (error) return { next: from + count, error: this.failAt(from + count, error) };
    return { next: i };
  }

  private openTag(selfClosing: boolean, i: number): GuardResult | undefined {
    this.state = S.Text;
    this.tagCompleted = true;
    if (this.tcp && this.depth === 0 && selfClosing) {
      return { end: i, error: streamError('not-well-formed', 'the stream header must not be self-closing'), tagCompleted: true };
    }
    if (!selfClosing) {
      this.depth++;
      if (this.depth === this.base) this.stanzaBytes = 0; // TCP stream header complete
    } else if (this.depth === this.base) this.stanzaBytes = 0;
    return undefined;
  }

  /** Returns true when the TCP stream element itself closed. */
  private closeTag(): boolean {
    this.state = S.Text;
    this.tagCompleted = true;
    this.depth--;
    if (this.tcp && this.depth === 0) {
      this.state = S.Done;
      return true;
    }
    if (this.depth === this.base) this.stanzaBytes = 0;
    return false;
  }
}
