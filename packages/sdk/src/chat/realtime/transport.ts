// The XMPP connection: an `@xmpp/client` 0.14 instance set up the way the official SDK 6.1.2 sets
// up its own (WebSocket transport, SASL mechanism choice, reconnect plugin), with two adjustments
// that keep the wire identical to the official SDK's (realtime.md §4.2, §11.1):
// - the WebSocket class can be injected (Node 20 has no global WebSocket);
// - xmpp.js's built-in XEP-0198 plugin is kept out of the stream. The official SDK does not load
//   it (it would send `<enable resume="true"/>` whenever the server offers `<sm/>`); the "sent"
//   status is tracked by our own `SentMessageTracker` instead, only when the app enables it, and
//   opt-in resumption by `StreamResumption` (`takeFeatures`).
import { client } from '@xmpp/client';
import type { Client, TransportClass, TransportSocket, XmlElement } from '@xmpp/client';
import type { WebSocketConstructor } from './config.js';
import { NS_SM } from './stanzas.js';

export type XmppClient = Client;

export interface XmppClientOptions {
  /** `ws://` or `wss://` URL. */
  service: string;
  websocket?: WebSocketConstructor | undefined;
  /** Read at every SASL exchange, so reconnects reuse the credentials of the last `connect`. */
  credentials(): { username: string; password: string };
  /** Milliseconds for each connection step (open, close); xmpp.js's default is 2000. */
  timeout?: number;
  /**
   * Sees stream features offering `<sm/>` before xmpp.js does; returning `true` keeps them back
   * until `proceed()` (session resumption, `resumption.ts`).
   */
  takeFeatures?: ((features: XmlElement, proceed: () => void) => boolean) | undefined;
}

const NS_STREAM = 'http://etherx.jabber.org/streams';

/**
 * The SASL mechanism, from the offered ones in the client's preference order: over a secure
 * socket (`wss:` or a loopback host) the first one, otherwise the first that is not PLAIN.
 */
export function chooseMechanism(offered: readonly string[], secure: boolean): string {
  return (secure ? offered[0] : offered.find((mechanism) => mechanism !== 'PLAIN')) ?? '';
}

/** xmpp.js's rule for a "secure" WebSocket URL (`@xmpp/websocket` `isSecure`). */
export function isSecureUrl(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === 'wss:' || ['localhost', '127.0.0.1', '[::1]', '::1'].includes(hostname);
}

function isWebSocketTransport(transport: TransportClass): boolean {
  try {
    return transport.prototype.socketParameters('wss://probe.invalid/') !== undefined;
  } catch {
    return false;
  }
}

/** Replaces the WebSocket transport of this one client with one that opens `WebSocketClass`. */
function injectWebSocket(xmpp: Client, WebSocketClass: WebSocketConstructor): void {
  const index = xmpp.transports.findIndex(isWebSocketTransport);
  const Base = xmpp.transports[index];
  if (!Base) throw new Error('@xmpp/client has no WebSocket transport');
  const BaseSocket = Base.prototype.Socket;

  class InjectedSocket extends BaseSocket implements TransportSocket {
    override connect(url: string): void {
      this.url = url;
      this.secure = isSecureUrl(url);
      this._attachSocket(new WebSocketClass(url, ['xmpp']));
    }
  }
  class InjectedTransport extends Base {}
  InjectedTransport.prototype.Socket = InjectedSocket;
  xmpp.transports[index] = InjectedTransport;
}

/** Wraps the single listener xmpp.js registered for `event` (its middleware) with `filter`. */
function filterMiddleware(xmpp: Client, event: 'element' | 'send', filter: (element: XmlElement, pass: () => void) => boolean): void {
  const registered = xmpp.listeners(event) as unknown as Array<(element: XmlElement) => void>;
  const middleware = registered[0];
  if (registered.length !== 1 || !middleware) {
    throw new Error(`unsupported @xmpp/client version: expected one '${event}' listener, found ${registered.length}`);
  }
  xmpp.removeListener(event, middleware);
  xmpp.on(event, (element: XmlElement) => {
    if (filter(element, () => middleware(element))) middleware(element);
  });
}

/** Keeps every XEP-0198 element and the `<sm/>` feature away from xmpp.js's own SM plugin. */
function detachBuiltInStreamManagement(xmpp: Client, takeFeatures: XmppClientOptions['takeFeatures']): void {
  filterMiddleware(xmpp, 'element', (element, pass) => {
    if (element.attrs.xmlns === NS_SM) return false;
    if (element.is('features', NS_STREAM) && element.getChild('sm', NS_SM)) {
      element.remove('sm', NS_SM);
      if (takeFeatures?.(element, pass)) return false;
    }
    return true;
  });
  filterMiddleware(xmpp, 'send', (element) => element.attrs.xmlns !== NS_SM);
}

export function createXmppClient(options: XmppClientOptions): Client {
  const xmpp: Client = client({
    service: options.service,
    ...(options.timeout ? { timeout: options.timeout } : {}),
    credentials: async (authenticate, mechanisms) => {
      await authenticate(options.credentials(), chooseMechanism(mechanisms, xmpp.isSecure()));
    },
  });
  if (options.websocket) injectWebSocket(xmpp, options.websocket);
  detachBuiltInStreamManagement(xmpp, options.takeFeatures);
  return xmpp;
}
