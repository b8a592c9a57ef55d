// Test-only: a WebSocket class whose far end is a scripted stand-in for an XMPP server, just enough
// of RFC 7395 + SASL PLAIN + bind for @xmpp/client to go online. It lets unit tests check the bytes
// the real-time chat writes and feed it stanzas, without a network. The real server is tested in
// e2e/; nothing here claims to be one.
import { parseXml } from '../chat/realtime/xml.js';
import type { XmlElement } from '../chat/realtime/xml.js';

type Handler = (event: Record<string, unknown>) => void;

const FRAMING = 'urn:ietf:params:xml:ns:xmpp-framing';
const SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';
const SM = 'urn:xmpp:sm:3';

export interface FakeServerOptions {
  domain?: string;
  /** Accepted passwords; anything else gets `not-authorized`. */
  passwords?: string[];
  /** Offer `<sm xmlns="urn:xmpp:sm:3"/>` after auth (Parley does). */
  offerSm?: boolean;
}

export class FakeXmppWebSocket {
  readonly frames: string[] = [];
  readonly #handlers = new Map<string, Set<Handler>>();
  #open = true;
  #closing = false;
  #authenticated = false;
  /** Set by `swallow()`: what the client writes now is recorded but never reaches the server. */
  #deaf = false;

  constructor(
    readonly url: string,
    readonly protocols: string | string[] | undefined,
    private readonly server: FakeXmppServer,
  ) {
    server.sockets.push(this);
    setTimeout(() => this.#emit('open', {}), 0);
  }

  addEventListener(type: string, handler: Handler): void {
    if (!this.#handlers.has(type)) this.#handlers.set(type, new Set());
    this.#handlers.get(type)!.add(handler);
  }

  removeEventListener(type: string, handler: Handler): void {
    this.#handlers.get(type)?.delete(handler);
  }

  send(data: string): void {
    if (!this.#open || this.#closing) throw new Error('socket closed');
    this.frames.push(data);
    if (this.#deaf) return;
    for (const element of parseXml(data)) this.#answer(element);
  }

  close(): void {
    this.#closeWith(true);
  }

  /** Server side: writes one element to the client (in order, after earlier pushes). */
  push(xml: string): void {
    if (this.#closing) return;
    setTimeout(() => this.#open && this.#emit('message', { data: xml }), 0);
  }

  /** Server side: the connection dies without a closing handshake. */
  drop(): void {
    this.#closeWith(false);
  }

  /** The connection is dead but neither end knows yet: the client's writes are lost. */
  swallow(): void {
    this.#deaf = true;
  }

  get isOpen(): boolean {
    return this.#open && !this.#closing;
  }

  /** Closes after the elements already pushed have been delivered. */
  #closeWith(clean: boolean): void {
    if (this.#closing) return;
    this.#closing = true;
    setTimeout(() => {
      this.#open = false;
      this.#emit('close', { wasClean: clean });
    }, 0);
  }

  #emit(type: string, event: Record<string, unknown>): void {
    for (const handler of this.#handlers.get(type) ?? []) handler(event);
  }

  #answer(element: XmlElement): void {
    const { server } = this;
    const domain = server.domain;
    if (element.is('open', FRAMING)) {
      this.push(`<open xmlns="${FRAMING}" from="${element.attrs.to}" id="s1" version="1.0"/>`);
      this.push(
        this.#authenticated
          ? `<stream:features xmlns:stream="http://etherx.jabber.org/streams"><bind xmlns="urn:ietf:params:xml:ns:xmpp-bind"/>${server.offerSm ? `<sm xmlns="${SM}"/>` : ''}</stream:features>`
          : `<stream:features xmlns:stream="http://etherx.jabber.org/streams"><mechanisms xmlns="${SASL}"><mechanism>PLAIN</mechanism></mechanisms></stream:features>`,
      );
    } else if (element.is('auth', SASL)) {
      const [, username, password] = atob(element.getText()).split('\0');
      if (server.passwords.includes(password ?? '')) {
        this.#authenticated = true;
        server.username = username ?? '';
        this.push(`<success xmlns="${SASL}"/>`);
      } else {
        this.push(`<failure xmlns="${SASL}"><not-authorized/></failure>`);
        this.#closeWith(true);
      }
    } else if (element.is('iq') && element.getChild('bind')) {
      server.resourceCount += 1;
      const jid = `${server.username}@${domain}/fakeresource${server.resourceCount}abcdef`;
      // Stanzas that reach the client between auth and the bind result (before it is online).
      for (const early of server.beforeBindResult.splice(0)) this.push(early);
      this.push(`<iq xmlns="jabber:client" type="result" id="${element.attrs.id}"><bind xmlns="urn:ietf:params:xml:ns:xmpp-bind"><jid>${jid}</jid></bind></iq>`);
    } else if (element.is('close', FRAMING)) {
      this.push(`<close xmlns="${FRAMING}"/>`);
      this.#closeWith(true);
    } else if (element.is('enable', SM)) {
      server.smHandled = 0;
      const resumable = element.attrs.resume === 'true';
      server.smId = resumable ? `sm${server.resourceCount}` : '';
      this.push(resumable ? `<enabled xmlns="${SM}" id="${server.smId}" resume="true" max="300"/>` : `<enabled xmlns="${SM}"/>`);
    } else if (element.is('resume', SM)) {
      server.resumeRequests.push({ previd: String(element.attrs.previd), h: Number(element.attrs.h) });
      if (server.acceptResume && element.attrs.previd === server.smId) {
        this.push(`<resumed xmlns="${SM}" h="${server.smHandled}" previd="${server.smId}"/>`);
        for (const replayed of server.afterResumed.splice(0)) this.push(replayed);
      } else {
        this.push(`<failed xmlns="${SM}"><item-not-found xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></failed>`);
      }
    } else if (element.is('r', SM)) {
      if (server.answerAcks) this.push(`<a xmlns="${SM}" h="${server.smHandled}"/>`);
    } else if (['message', 'presence', 'iq'].includes(element.name)) {
      server.smHandled += 1;
      server.stanzas.push(element);
      if (element.is('iq') && element.getChild('ping') && server.answerPings) {
        this.push(`<iq xmlns="jabber:client" type="result" from="${domain}" id="${element.attrs.id}"/>`);
      }
      server.onStanza?.(element, this);
    }
  }
}

/** The scripted far end shared by every socket one test opens; `WebSocket` is the class to inject. */
export class FakeXmppServer {
  readonly sockets: FakeXmppWebSocket[] = [];
  /** Stanzas (message, presence, iq) the client sent after login, in order. */
  readonly stanzas: XmlElement[] = [];
  readonly domain: string;
  readonly passwords: string[];
  readonly offerSm: boolean;
  username = '';
  resourceCount = 0;
  smHandled = 0;
  answerPings = true;
  answerAcks = true;
  /** The resumable stream management session (`<enabled id>`); '' when none. */
  smId = '';
  /** Answer `<resume/>` of `smId` with `<resumed/>` (else `<failed/>`). */
  acceptResume = true;
  /** `<resume/>` requests received. */
  readonly resumeRequests: Array<{ previd: string; h: number }> = [];
  /** Stanzas written right after `<resumed/>` (the server's replay). */
  afterResumed: string[] = [];
  beforeBindResult: string[] = [];
  onStanza: ((stanza: XmlElement, socket: FakeXmppWebSocket) => void) | undefined;
  readonly WebSocket: new (url: string, protocols?: string | string[]) => FakeXmppWebSocket;

  constructor(options: FakeServerOptions = {}) {
    this.domain = options.domain ?? 'chat.example.com';
    this.passwords = options.passwords ?? ['secret'];
    this.offerSm = options.offerSm ?? true;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the class below closes over this server
    const server = this;
    this.WebSocket = class extends FakeXmppWebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, server);
      }
    };
  }

  get socket(): FakeXmppWebSocket {
    const socket = this.sockets.at(-1);
    if (!socket) throw new Error('no socket opened');
    return socket;
  }

  /** Every frame of every socket, in order. */
  get frames(): string[] {
    return this.sockets.flatMap((socket) => socket.frames);
  }
}
