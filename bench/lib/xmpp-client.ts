/**
 * A minimal XMPP-over-WebSocket client (RFC 7395) for load generation: one `ws` socket, string
 * matching instead of an XML parser, and only what a benchmark session needs — open, SASL PLAIN,
 * re-open, resource binding, (legacy session when required), initial presence, chat messages.
 * A full client stack (xmpp.js) per connection costs too much CPU and memory at 10,000 connections.
 *
 * It relies on what every server under test does over WebSocket: one top-level element per text
 * frame, `<success/>`/`<failure/>` for SASL, `<bind>` in the second features element, and an `<iq
 * type="result">` carrying the bind id.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

export interface XmppAccount {
  /** ws://127.0.0.1:PORT/path */
  url: string;
  /** The XMPP domain (`to` of `<open/>`, domain part of JIDs). */
  domain: string;
  /** SASL authcid and JID local part. */
  username: string;
  password: string;
}

const FRAMING = 'urn:ietf:params:xml:ns:xmpp-framing';
const BIND_ID = 'bind1';
const SESSION_ID = 'sess1';

/** Attribute values and text for the few places this client writes them. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** The text between `<tag>` and `</tag>` (first occurrence), or undefined. */
export function textOf(frame: string, tag: string): string | undefined {
  const open = frame.indexOf(`<${tag}>`);
  if (open < 0) return undefined;
  const start = open + tag.length + 2;
  const end = frame.indexOf(`</${tag}>`, start);
  return end < 0 ? undefined : frame.slice(start, end);
}

/** `name="value"` or `name='value'` somewhere in the frame (servers differ in their quotes). */
export function hasAttribute(frame: string, name: string, value: string): boolean {
  return frame.includes(`${name}="${value}"`) || frame.includes(`${name}='${value}'`);
}

export class XmppLoginError extends Error {}

/** A logged-in session: bound, initial presence sent. */
export class XmppSession {
  /** Called with every stanza frame after login (messages, presences, iqs). */
  onFrame: (frame: string) => void = () => undefined;
  /** Why the server ended the session (close code, stream error), once it did; undefined while open. */
  endedBy: string | undefined;
  private closed = false;
  private streamEnd = '';

  constructor(
    private readonly socket: WebSocket,
    /** The bound full JID the server returned. */
    readonly jid: string,
  ) {
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const frame = data.toString();
      if (frame.includes('<stream:error') || frame.startsWith('<close')) this.streamEnd = frame.slice(0, 160);
      this.onFrame(frame);
    });
    socket.on('close', (code) => {
      if (!this.closed) this.endedBy = `closed by the server (${code})${this.streamEnd ? `: ${this.streamEnd}` : ''}`;
      this.closed = true;
    });
    socket.on('error', () => undefined);
  }

  get open(): boolean {
    return !this.closed && this.socket.readyState === WebSocket.OPEN;
  }

  send(xml: string): void {
    this.socket.send(xml);
  }

  /** Bytes queued in the socket but not yet handed to the kernel. */
  get buffered(): number {
    return this.socket.bufferedAmount;
  }

  /** Drops the TCP connection at once (no `<close/>` round trip: 10,000 of them take long). */
  terminate(): void {
    this.closed = true;
    this.socket.terminate();
  }

  /** `<close/>`, then the socket; resolves when the socket is closed (or after `timeoutMs`). */
  async close(timeoutMs = 2000): Promise<void> {
    if (this.closed) return;
    const done = new Promise<void>((resolve) => this.socket.once('close', () => resolve()));
    try {
      this.socket.send(`<close xmlns="${FRAMING}"/>`);
      this.socket.close(1000);
    } catch {
      this.socket.terminate();
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([done, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    if (this.socket.readyState !== WebSocket.CLOSED) this.socket.terminate();
    this.closed = true;
  }
}

/**
 * Connects and logs in: resolves once the resource is bound and initial presence is sent; rejects on
 * SASL failure, a stream error, a closed socket, or after `timeoutMs`.
 */
export function login(account: XmppAccount, timeoutMs: number): Promise<XmppSession> {
  return new Promise<XmppSession>((resolve, reject) => {
    const socket = new WebSocket(account.url, ['xmpp'], { perMessageDeflate: false, handshakeTimeout: timeoutMs });
    let step: 'features' | 'auth' | 'features2' | 'bind' | 'session' | 'done' = 'features';
    let needsSession = false;
    let jid = '';
    let settled = false;
    const timer = setTimeout(() => fail(`login timed out in step ${step}`), timeoutMs);
    const fail = (reason: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeAllListeners('message');
      socket.on('error', () => undefined);
      socket.terminate();
      reject(new XmppLoginError(reason));
    };
    const sendOpen = () => socket.send(`<open xmlns="${FRAMING}" to="${escapeXml(account.domain)}" version="1.0"/>`);
    const finish = () => {
      step = 'done';
      socket.send('<presence xmlns="jabber:client"/>');
      settled = true;
      clearTimeout(timer);
      socket.removeAllListeners('message');
      socket.removeAllListeners('close');
      socket.removeAllListeners('error');
      resolve(new XmppSession(socket, jid));
    };
    socket.on('error', (error) => fail(`socket error in step ${step}: ${error.message}`));
    socket.on('close', (code) => fail(`socket closed (${code}) in step ${step}`));
    socket.on('open', sendOpen);
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const frame = data.toString();
      if (frame.includes('<stream:error') || frame.includes('<error xmlns="http://etherx.jabber.org/streams"')) {
        fail(`stream error in step ${step}: ${frame.slice(0, 200)}`);
        return;
      }
      switch (step) {
        case 'features':
          if (frame.includes('urn:ietf:params:xml:ns:xmpp-sasl') && frame.includes('PLAIN')) {
            const payload = Buffer.from(`\0${account.username}\0${account.password}`).toString('base64');
            socket.send(`<auth xmlns="urn:ietf:params:xml:ns:xmpp-sasl" mechanism="PLAIN">${payload}</auth>`);
            step = 'auth';
          } else if (frame.includes('features')) {
            fail(`no SASL PLAIN offered: ${frame.slice(0, 200)}`);
          }
          return;
        case 'auth':
          if (frame.startsWith('<success')) {
            step = 'features2';
            sendOpen();
          } else if (frame.startsWith('<failure')) {
            fail(`SASL failure for ${account.username}: ${frame.slice(0, 200)}`);
          }
          return;
        case 'features2':
          if (frame.includes('urn:ietf:params:xml:ns:xmpp-bind')) {
            // Legacy session establishment only when the server does not mark it optional.
            const session = frame.indexOf('urn:ietf:params:xml:ns:xmpp-session');
            needsSession = session >= 0 && !frame.includes('<optional', session);
            socket.send(`<iq xmlns="jabber:client" type="set" id="${BIND_ID}"><bind xmlns="urn:ietf:params:xml:ns:xmpp-bind"/></iq>`);
            step = 'bind';
          }
          return;
        case 'bind':
          if (frame.startsWith('<iq') && hasAttribute(frame, 'id', BIND_ID)) {
            if (!hasAttribute(frame, 'type', 'result')) {
              fail(`bind failed: ${frame.slice(0, 200)}`);
              return;
            }
            jid = textOf(frame, 'jid') ?? '';
            if (needsSession) {
              socket.send(`<iq xmlns="jabber:client" type="set" id="${SESSION_ID}"><session xmlns="urn:ietf:params:xml:ns:xmpp-session"/></iq>`);
              step = 'session';
            } else {
              finish();
            }
          }
          return;
        case 'session':
          if (frame.startsWith('<iq') && hasAttribute(frame, 'id', SESSION_ID)) finish();
          return;
        default:
          return;
      }
    });
  });
}

/** Milliseconds on a monotonic clock shared by every connection of this process. */
export const now = () => performance.now();
