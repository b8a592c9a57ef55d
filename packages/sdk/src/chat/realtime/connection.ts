// The life of one chat connection over @xmpp/client (realtime.md §2–§3, §11): creating and
// listening to the client, login, reconnects, optional session resumption and keep-alive, and
// forgetting the session on disconnect. `RealtimeChat` is the public façade over it.
import type { SdkConfig } from '../../config.js';
import type { ChatHelpers } from '../helpers.js';
import { resolveRealtimeConfig } from './config.js';
import type { RealtimeConfig } from './config.js';
import { callListener } from './events.js';
import type { ChatListeners } from './events.js';
import { KeepAlive } from './keepalive.js';
import type { MultiUserChat } from './muc.js';
import type { PendingReplies } from './replies.js';
import { StreamResumption } from './resumption.js';
import { enableCarbonsIq, initialPresence } from './stanzas.js';
import { SentMessageTracker } from './stream-management.js';
import { createXmppClient } from './transport.js';
import type { XmppClient } from './transport.js';
import type { ConnectionParams, MessageParams } from './types.js';
import type { XmlElement } from './xml.js';

export const NOT_CONNECTED_MESSAGE = "You are not connected to chat. Please call 'connect' function first";
export const NO_WEBSOCKET_MESSAGE =
  'No WebSocket implementation: this runtime has no global WebSocket. Pass one in ConnectyCube.init(credentials, { chat: { websocket: WebSocket } }), e.g. from the "ws" package in Node 20.';

export interface ChatConnectionDeps {
  /** Read on every use, so a later `init` (app id, endpoints, chat options) applies. */
  config(): SdkConfig;
  helpers: ChatHelpers;
  /** The app's listener properties, read when an event fires. */
  listeners: ChatListeners;
  /** Waiters for replies: they fail when the stream they were sent on is gone. */
  replies: PendingReplies;
  /** Its rooms are forgotten with the session. */
  muc: MultiUserChat;
  /** The keep-alive ping; resolves when the server answered within `timeoutMs`. */
  ping(timeoutMs: number): Promise<unknown>;
  /** Every stanza received while connected (and those that came early, once connected). */
  onStanza(stanza: XmlElement): void;
  log(...args: unknown[]): void;
}

interface PendingConnect {
  resolve(connected: boolean): void;
  reject(error: unknown): void;
}

export class ChatConnection {
  readonly #deps: ChatConnectionDeps;
  readonly #tracker: SentMessageTracker;
  readonly #keepAlive: KeepAlive;
  #xmpp: XmppClient | null = null;
  #resumption: StreamResumption | null = null;
  #clientListeners: Array<[string, (...args: never[]) => void]> = [];
  #settings: RealtimeConfig | null = null;
  #credentials = { username: '', password: '' };
  #pendingConnect: PendingConnect | null = null;
  #connected = false;
  #connecting = false;
  /** Set after the first `online` of a `connect`: later ones are reconnects. */
  #wasOnline = false;
  #loggedOut = false;
  /** Messages that arrive after auth but before we are marked connected (official SDK issue #28). */
  #earlyMessages: XmlElement[] = [];

  constructor(deps: ChatConnectionDeps) {
    this.#deps = deps;
    this.#keepAlive = new KeepAlive({ ping: (timeoutMs) => deps.ping(timeoutMs), dropConnection: () => this.#dropSocket() });
    this.#tracker = new SentMessageTracker({
      send: (element) => this.sendOnline(element),
      onSent: (message) => callListener(deps.listeners.onSentMessageCallback, null, message),
      onLost: (message) => callListener(deps.listeners.onSentMessageCallback, message, null),
      ackTimeoutMs: () => this.settings.streamManagement.acknowledgementTimeout * 1000,
      handled: () => this.#resumption?.handled,
    });
  }

  /** `true` between `online` and the next disconnect. */
  get isConnected(): boolean {
    return this.#connected;
  }

  /** The @xmpp/client instance of the current connection; `null` before `connect`. */
  get client(): XmppClient | null {
    return this.#xmpp;
  }

  /** The options of the current connection, or of the current config before any `connect`. */
  get settings(): RealtimeConfig {
    return this.#settings ?? resolveRealtimeConfig(this.#deps.config());
  }

  /** Resolves `true` when online, `false` when already connected or connecting (see `RealtimeChat.connect`). */
  async connect(params: ConnectionParams): Promise<boolean> {
    this.#deps.log('connect', { userId: params.userId });
    if (this.#connecting || this.#connected) return false;

    const settings = resolveRealtimeConfig(this.#deps.config());
    if (!settings.websocket && typeof globalThis.WebSocket !== 'function') throw new Error(NO_WEBSOCKET_MESSAGE);

    this.#dropClient();
    this.#settings = settings;
    this.#connecting = true;
    this.#loggedOut = false;
    this.#wasOnline = false;
    this.#credentials = { username: `${params.userId}-${this.#deps.config().creds.appId}`, password: params.password };

    const resumption = settings.streamManagement.resume ? this.#newResumption() : null;
    this.#resumption = resumption;
    const takeFeatures = resumption ? (features: XmlElement, proceed: () => void) => resumption.takeFeatures(features, proceed) : undefined;
    const xmpp = createXmppClient({ service: settings.websocketUrl, websocket: settings.websocket, credentials: () => this.#credentials, takeFeatures });
    if (settings.reconnect.enable) xmpp.reconnect.delay = settings.reconnect.timeInterval * 1000;
    else xmpp.reconnect.stop();
    this.#xmpp = xmpp;
    this.#listen(xmpp, settings);

    return new Promise<boolean>((resolve, reject) => {
      this.#pendingConnect = { resolve, reject };
      // The same failure usually also arrives as an 'error' event; whichever comes first settles it.
      xmpp.start().catch((error: unknown) => {
        if (this.#pendingConnect && this.#xmpp === xmpp) this.#onError(xmpp, error);
      });
    });
  }

  /** Closes the stream and stops reconnecting. Resolves `false` only if closing failed. */
  async disconnect(): Promise<boolean> {
    this.#deps.log('disconnect');
    if (this.#loggedOut) return true;
    this.#loggedOut = true;
    this.#endSession(new Error('chat disconnected'));
    const xmpp = this.#xmpp;
    if (!xmpp) return true;
    try {
      await xmpp.stop();
      return true;
    } catch {
      return false;
    }
  }

  /** Drops the socket without closing the stream; the reconnect logic then runs as after a network loss. */
  terminate(): void {
    this.#connected = false;
    this.#connecting = false;
    this.#tracker.stop();
    this.#xmpp?.socket?.end();
  }

  /** A new configuration ends the current connection. */
  reset(): void {
    if (this.#xmpp) void this.disconnect();
    this.#dropClient();
    this.#deps.helpers.userCurrentJid = '';
  }

  sendOnline(element: XmlElement): Promise<void> {
    const xmpp = this.#xmpp;
    if (xmpp?.status !== 'online') return Promise.reject(new Error(NOT_CONNECTED_MESSAGE));
    return xmpp.send(element);
  }

  /** Fire-and-forget writes: failures are logged, as nothing waits for them. */
  sendAndForget(element: XmlElement): void {
    this.sendOnline(element).catch((error: unknown) => this.#deps.log('send failed', error));
  }

  /** Writes a content message and reports it to `onSentMessageCallback` as sent or lost (stream management). */
  sendTracked(stanza: XmlElement, message: MessageParams): Promise<void> {
    return this.#tracker.send(stanza, message);
  }

  #listen(xmpp: XmppClient, settings: RealtimeConfig): void {
    const on = (event: string, listener: (...args: never[]) => void) => {
      xmpp.on(event, listener);
      this.#clientListeners.push([event, listener]);
    };
    on('online', () => this.#onOnline(xmpp, settings));
    on('disconnect', () => this.#onDisconnect(settings));
    on('status', (status: string) => callListener(this.#deps.listeners.onChatStatusListener, status));
    on('error', (error: unknown) => this.#onError(xmpp, error));
    on('stanza', (stanza: XmlElement) => this.#onStanza(stanza));
    if (settings.streamManagement.enable) on('element', (element: XmlElement) => this.#tracker.handleElement(element));
    const resumption = this.#resumption;
    if (resumption) on('element', (element: XmlElement) => resumption.handleInbound(element));
    if (resumption) on('send', (element: XmlElement) => resumption.handleOutbound(element));
  }

  /** Session resumption (`chat.streamManagement.resume`): a resumed session is online again, nothing redone. */
  #newResumption(): StreamResumption {
    return new StreamResumption({
      write: (element) => this.#xmpp?.send(element) ?? Promise.reject(new Error(NOT_CONNECTED_MESSAGE)),
      onResumed: () => {
        this.#deps.log('resumed');
        this.#xmpp?._ready(true); // sets `online` without an event: report the status ourselves
        callListener(this.#deps.listeners.onChatStatusListener, 'online');
        this.#connected = true;
        this.#connecting = false;
        const { ping } = this.settings;
        if (ping.enable) this.#keepAlive.start(ping.timeInterval, ping.timeout);
        this.#flushEarlyMessages();
      },
      onFailed: () => this.#tracker.stop(),
    });
  }

  #onOnline(xmpp: XmppClient, settings: RealtimeConfig): void {
    const { helpers, listeners } = this.#deps;
    const isReconnect = this.#wasOnline;
    this.#deps.log(isReconnect ? 'reconnected' : 'connected');
    this.#resumption?.forget(); // a fresh bind: any earlier session is gone
    if (settings.streamManagement.enable) this.#tracker.start(settings.streamManagement.resume);
    helpers.userCurrentJid = xmpp.jid?.toString() ?? '';
    this.#connected = true;
    this.#connecting = false;
    this.sendAndForget(enableCarbonsIq({ id: helpers.getUniqueId('enableCarbons'), from: helpers.userCurrentJid }));
    this.sendAndForget(initialPresence());

    if (settings.ping.enable) this.#keepAlive.start(settings.ping.timeInterval, settings.ping.timeout);
    if (isReconnect) callListener(listeners.onReconnectListener);
    this.#wasOnline = true;
    this.#flushEarlyMessages();
    this.#pendingConnect?.resolve(true);
    this.#pendingConnect = null;
  }

  #onDisconnect(settings: RealtimeConfig): void {
    this.#deps.log('disconnected');
    this.#keepAlive.stop();
    callListener(this.#deps.listeners.onDisconnectedListener);
    if (this.#loggedOut) return;
    // What was sent on the dead stream cannot be acknowledged by the next one, unless it is resumed.
    if (this.#resumption?.resumable) this.#tracker.pause();
    else this.#tracker.stop();
    this.#resumption?.pause();
    this.#deps.replies.abortAll(new Error('chat connection lost'));
    if (settings.reconnect.enable) {
      this.#connected = false;
      this.#connecting = false;
    } else {
      void this.disconnect();
    }
  }

  #onError(xmpp: XmppClient, error: unknown): void {
    this.#deps.log('error', error);
    const pending = this.#pendingConnect;
    if (!pending) {
      callListener(this.#deps.listeners.onConnectionErrorListener, error);
      return;
    }
    // The first login failed: report it and stop (no retry loop with credentials that do not work).
    this.#pendingConnect = null;
    this.#connecting = false;
    this.#dropClient();
    void xmpp.stop().catch(() => undefined);
    const failure = error as { name?: string; condition?: unknown };
    pending.reject(failure?.name === 'SASLError' ? failure.condition : error);
  }

  #onStanza(stanza: XmlElement): void {
    if (stanza.is('message') && !this.#connected) {
      this.#earlyMessages.push(stanza);
      return;
    }
    this.#deps.onStanza(stanza);
  }

  #flushEarlyMessages(): void {
    const early = this.#earlyMessages;
    this.#earlyMessages = [];
    for (const stanza of early) this.#onStanza(stanza);
  }

  /**
   * Drops a connection that stopped answering. `ws` sockets are destroyed at once (`close()` would
   * wait up to 30 s for a closing handshake that a dead peer never sends); browsers' just close.
   */
  #dropSocket(): void {
    const transport = this.#xmpp?.socket;
    const raw = transport?.socket as { terminate?: () => void } | undefined;
    if (typeof raw?.terminate === 'function') raw.terminate();
    else transport?.end();
  }

  /** Forgets the connection's state (flags, rooms, waiters, sent-tracking). */
  #endSession(reason: Error): void {
    this.#keepAlive.stop();
    this.#wasOnline = false;
    this.#connected = false;
    this.#connecting = false;
    this.#deps.muc.reset();
    this.#deps.helpers.userCurrentJid = '';
    this.#tracker.stop();
    this.#resumption?.forget();
    this.#deps.replies.abortAll(reason);
    this.#pendingConnect?.reject(reason);
    this.#pendingConnect = null;
  }

  /** Detaches from the current client so its late events cannot reach the app. */
  #dropClient(): void {
    const xmpp = this.#xmpp;
    if (!xmpp) return;
    for (const [event, listener] of this.#clientListeners) xmpp.removeListener(event, listener);
    this.#clientListeners = [];
    xmpp.reconnect.stop();
    this.#xmpp = null;
  }
}
