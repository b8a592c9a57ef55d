import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { Element, Parser, xml } from '@xmpp/xml';
import WebSocket from 'ws';

export { Element, xml };

const FRAMING_NS = 'urn:ietf:params:xml:ns:xmpp-framing';
const STREAM_NS = 'http://etherx.jabber.org/streams';
const SASL_NS = 'urn:ietf:params:xml:ns:xmpp-sasl';

/** Builds top-level elements from ltx events under a root (the TCP stream, or a synthetic one for WebSocket). */
class Collector extends Parser {
  private stack: Element[] = [];
  constructor(
    private readonly onRoot: (attrs: Record<string, string>) => void,
    private readonly onElement: (element: Element) => void,
    private readonly onRootEnd: () => void,
  ) {
    super();
  }
  override onStartElement(name: string, attrs: Record<string, string>): void {
    if (this.stack.length === 0) {
      this.stack.push(new Element(name, attrs));
      this.onRoot(attrs);
      return;
    }
    const element = new Element(name, attrs);
    if (this.stack.length > 1) this.stack[this.stack.length - 1]?.append(element);
    this.stack.push(element);
  }
  override onEndElement(): void {
    const element = this.stack.pop();
    if (this.stack.length === 0) return this.onRootEnd();
    if (this.stack.length === 1 && element) this.onElement(element);
  }
  override onText(text: string): void {
    if (this.stack.length > 1) this.stack[this.stack.length - 1]?.t(text);
  }
}

export interface RawXmppClosed {
  /** WebSocket close code (1000 normal, 1006 abnormal …); undefined for TCP. */
  code?: number;
}

/**
 * A raw XMPP client for tests: sends text, collects every element the server sends, waits for them
 * with timeouts (never sleeps).
 */
export class RawXmppClient {
  /** Every top-level element received, in order (`<open/>` and `<close/>` included on WebSocket). */
  readonly received: Element[] = [];
  /** TCP: attributes of the server's last `<stream:stream>` header. */
  streamHeader: Record<string, string> | undefined;
  readonly closed: Promise<RawXmppClosed>;
  private waiter: { test: (e: Element) => boolean; resolve: (e: Element) => void } | undefined;
  private cursor = 0;
  private isClosed = false;
  private parser!: Collector;
  private resolveClosed!: (closed: RawXmppClosed) => void;

  private constructor(
    readonly transport: 'websocket' | 'tcp',
    private readonly sendText: (data: string | Buffer) => void,
    private readonly endTransport: () => void,
  ) {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    this.resetParser();
  }

  /** XMPP over WebSocket (subprotocol `xmpp` unless `protocols` says otherwise). */
  static async websocket(
    url: string,
    options: { protocols?: string[]; autoPong?: boolean; headers?: Record<string, string> } = {},
  ): Promise<RawXmppClient> {
    const socket = new WebSocket(url, options.protocols ?? ['xmpp'], { autoPong: options.autoPong ?? true, ...(options.headers ? { headers: options.headers } : {}) });
    const client = new RawXmppClient(
      'websocket',
      (data) => socket.send(data, { binary: typeof data !== 'string' }),
      () => socket.terminate(),
    );
    socket.on('ping', () => (client.pings += 1));
    client.ws = socket;
    socket.on('message', (data) => client.feed(String(data)));
    socket.on('close', (code) => client.finish({ code }));
    socket.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    return client;
  }

  /** XMPP over TCP (classic `<stream:stream>` framing). */
  static async tcp(port: number, host = '127.0.0.1'): Promise<RawXmppClient> {
    const socket = net.connect(port, host);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    const client = new RawXmppClient(
      'tcp',
      (data) => client.socket?.write(data),
      () => client.socket?.destroy(),
    );
    client.attachSocket(socket);
    return client;
  }

  ws: WebSocket | undefined;
  socket: net.Socket | tls.TLSSocket | undefined;

  /** TCP: upgrade to TLS after `<proceed/>` (self-signed certificates accepted). */
  async startTls(): Promise<void> {
    const plain = this.socket;
    if (!plain) throw new Error('not a TCP client');
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    const secure = tls.connect({ socket: plain, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve());
      secure.once('error', reject);
    });
    this.attachSocket(secure);
    this.resetParser();
  }

  send(data: string | Element): void {
    if (this.isClosed) return;
    this.sendText(typeof data === 'string' ? data : data.toString());
  }

  /** Raw bytes (TCP: written as is; WebSocket: one binary frame). */
  sendBytes(bytes: Buffer): void {
    if (this.isClosed) return;
    this.sendText(bytes);
  }

  /** WebSocket ping frames received from the server. */
  pings = 0;
  private listeners: ((element: Element) => void)[] = [];

  /** Calls `listener` for every element received from now on. */
  onElement(listener: (element: Element) => void): void {
    this.listeners.push(listener);
  }

  /** Answers the server's XEP-0199 pings (as xmpp.js does); returns how many it answered so far. */
  answerPings(): { answered: number } {
    const count = { answered: 0 };
    this.onElement((e) => {
      if (e.name !== 'iq' || e.attrs.type !== 'get' || !e.getChild('ping', 'urn:xmpp:ping')) return;
      count.answered += 1;
      this.send(xml('iq', { xmlns: 'jabber:client', type: 'result', id: e.attrs.id ?? '', ...(e.attrs.from ? { to: e.attrs.from } : {}) }));
    });
    return count;
  }

  /** Stops reading from the transport (a slow reader); `resumeReading` undoes it. */
  pauseReading(): void {
    if (this.socket) this.socket.pause();
    else this.ws?.pause();
  }

  resumeReading(): void {
    if (this.socket) this.socket.resume();
    else this.ws?.resume();
  }

  get isOpen(): boolean {
    return !this.isClosed;
  }

  /** Opens (or re-opens) the stream with `to`. */
  open(to: string): void {
    if (this.transport === 'websocket') this.send(xml('open', { xmlns: FRAMING_NS, to, version: '1.0' }));
    else {
      this.resetParser();
      this.send(`<?xml version='1.0'?><stream:stream xmlns="jabber:client" xmlns:stream="${STREAM_NS}" to="${to}" version="1.0">`);
    }
  }

  /**
   * The next element after the previously returned one that matches `test` (non-matching ones are
   * skipped), or a timeout error. One wait at a time.
   */
  next(test: (element: Element) => boolean = () => true, timeoutMs = 5000): Promise<Element> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`no matching element within ${timeoutMs} ms; got:\n${this.received.map(String).join('\n')}`));
      }, timeoutMs);
      this.waiter = {
        test,
        resolve: (element) => {
          clearTimeout(timer);
          resolve(element);
        },
      };
      this.pump();
    });
  }

  private pump(): void {
    const waiter = this.waiter;
    if (!waiter) return;
    while (this.cursor < this.received.length) {
      const element = this.received[this.cursor++] as Element;
      if (waiter.test(element)) {
        this.waiter = undefined;
        waiter.resolve(element);
        return;
      }
    }
  }

  /** The next element with this local name (and namespace, when given). */
  nextNamed(name: string, xmlns?: string, timeoutMs = 5000): Promise<Element> {
    return this.next((e) => e.name === name && (xmlns === undefined || e.attrs.xmlns === xmlns), timeoutMs);
  }

  /** Resolves when the server closed the connection (or rejects after `timeoutMs`). */
  async waitClosed(timeoutMs = 5000): Promise<RawXmppClosed> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`connection still open after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The condition of the `<stream:error>` received, if any. */
  streamErrorCondition(): string | undefined {
    const error = this.received.find((e) => e.name === 'stream:error' || (e.name === 'error' && e.attrs.xmlns === STREAM_NS));
    return error?.getChildElements().find((c) => c.name !== 'text')?.name;
  }

  /** Drops the connection without closing the stream. */
  destroy(): void {
    this.endTransport();
  }

  private attachSocket(socket: net.Socket | tls.TLSSocket): void {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.feed(chunk.toString('utf8')));
    socket.on('close', () => this.finish({}));
    socket.on('error', () => undefined);
  }

  private resetParser(): void {
    this.parser = new Collector(
      (attrs) => {
        if (this.transport === 'tcp') this.streamHeader = attrs;
      },
      (element) => this.deliver(element),
      () => undefined,
    );
    // WebSocket frames are independent top-level elements: give them a synthetic root.
    if (this.transport === 'websocket') this.parser.write('<frames>');
  }

  private feed(text: string): void {
    this.parser.write(text);
  }

  private deliver(element: Element): void {
    this.received.push(element);
    for (const listener of this.listeners) listener(element);
    this.pump();
  }

  private finish(closed: RawXmppClosed): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.resolveClosed(closed);
  }
}

export interface XmppLogin {
  /** The chat domain `D` (also used as the stream `to`). */
  domain: string;
  userId: number;
  appId: number;
  password: string;
  /** Bind after SASL (default true). */
  bind?: boolean;
  /** Send initial presence after binding (default false). */
  presence?: boolean;
}

/**
 * Negotiates a stream with SASL PLAIN (and, by default, binds a resource). Returns the full JID (or the
 * bare one without bind). Throws with the SASL failure condition when refused.
 */
export async function loginPlain(client: RawXmppClient, login: XmppLogin): Promise<string> {
  client.open(login.domain);
  await client.next(isFeatures);
  const authcid = `${login.userId}-${login.appId}`;
  const payload = Buffer.from(`\u0000${authcid}\u0000${login.password}`, 'utf8').toString('base64');
  client.send(xml('auth', { xmlns: SASL_NS, mechanism: 'PLAIN' }, payload));
  const outcome = await client.next((e) => e.attrs.xmlns === SASL_NS && (e.name === 'success' || e.name === 'failure'));
  if (outcome.name === 'failure') throw new Error(outcome.getChildElements()[0]?.name ?? 'failure');
  client.open(login.domain);
  await client.next(isFeatures);
  if (login.bind === false) return `${authcid}@${login.domain}`;
  client.send(xml('iq', { xmlns: 'jabber:client', type: 'set', id: 'bind-1' }, xml('bind', { xmlns: 'urn:ietf:params:xml:ns:xmpp-bind' })));
  const bound = await client.next((e) => e.name === 'iq' && e.attrs.id === 'bind-1');
  const jid = bound.getChild('bind')?.getChildText('jid');
  if (!jid) throw new Error(`bind failed: ${bound.toString()}`);
  if (login.presence) client.send(xml('presence', { xmlns: 'jabber:client' }));
  return jid;
}

export function isFeatures(element: Element): boolean {
  return element.name === 'stream:features' || (element.name === 'features' && element.attrs.xmlns === STREAM_NS);
}

/** Sends a ping IQ to `to` and waits for its answer. */
export async function pingServer(client: RawXmppClient, to: string, id = `ping-${Math.random().toString(36).slice(2)}`, timeoutMs = 5000): Promise<Element> {
  client.send(xml('iq', { xmlns: 'jabber:client', type: 'get', to, id }, xml('ping', { xmlns: 'urn:xmpp:ping' })));
  return client.next((e) => e.name === 'iq' && e.attrs.id === id, timeoutMs);
}

export interface TestCertificate {
  certFile: string;
  keyFile: string;
  /** PEM of the certificate (its own CA: pass it as `ca` to trust it). */
  cert: string;
}

/** A throwaway self-signed certificate for `hostname` (openssl CLI), for STARTTLS tests. */
export function selfSignedCertificate(hostname: string): TestCertificate {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'parley-cert-'));
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', `/CN=${hostname}`, '-addext', `subjectAltName=DNS:${hostname}`, '-keyout', keyFile, '-out', certFile,
  ], { stdio: 'ignore' });
  return { certFile, keyFile, cert: readFileSync(certFile, 'utf8') };
}
