// The real-time half of `ConnectyCube.chat` (realtime.md §2–§8, §11): the public API façade —
// the outgoing API and the listener properties apps assign (`chat.onMessageListener = fn`); the
// connection lifecycle over @xmpp/client lives in connection.ts. Behaviour follows the official SDK
// 6.1.2; the points where it deliberately differs are listed in docs/compat-notes.md ("Real-time chat").
import type { SdkConfig } from '../../config.js';
import { debugLog } from '../../log.js';
import type { ChatHelpers } from '../helpers.js';
import { mobileIq } from './activity.js';
import { ChatConnection } from './connection.js';
import { ChatListenerSlots, callListener } from './events.js';
import { deleteStanza, editStanza } from './edits.js';
import { dispatchStanza } from './inbound.js';
import { readError } from './incoming.js';
import type { Reader } from './incoming.js';
import { lastActivityIq, readLastActivity, statusStreamingIq } from './last-activity.js';
import type { LastActivity } from './last-activity.js';
import { MultiUserChat } from './muc.js';
import { PrivacyList } from './privacy-list.js';
import { PendingReplies } from './replies.js';
import { chatState, contentMessage, marker, pingIq, systemMessage } from './stanzas.js';
import type { ChatState } from './stanzas.js';
import type { XmppClient } from './transport.js';
import type { ConnectionParams, DeleteMessageParams, EditMessageParams, MessageParams, MessageStatusParams, SystemMessageParams } from './types.js';
import type { XmlElement } from './xml.js';

export { NOT_CONNECTED_MESSAGE, NO_WEBSOCKET_MESSAGE } from './connection.js';

export interface RealtimeChatDeps {
  /** Read on every use, so a later `init` (app id, endpoints, chat options) applies. */
  config(): SdkConfig;
  helpers: ChatHelpers;
}

export class RealtimeChat extends ChatListenerSlots {
  readonly helpers: ChatHelpers;
  readonly muc: MultiUserChat;
  readonly privacylist: PrivacyList;

  readonly #deps: RealtimeChatDeps;
  readonly #replies = new PendingReplies();
  // A private field, so the connection never shows among the chat object's own properties.
  readonly #connection: ChatConnection;

  constructor(deps: RealtimeChatDeps) {
    super();
    this.#deps = deps;
    this.helpers = deps.helpers;
    const send = (element: XmlElement) => this.#connection.sendOnline(element);
    this.muc = new MultiUserChat({ helpers: deps.helpers, replies: this.#replies, send });
    this.privacylist = new PrivacyList({ helpers: deps.helpers, replies: this.#replies, send });
    this.#connection = new ChatConnection({
      config: deps.config,
      helpers: deps.helpers,
      listeners: this,
      replies: this.#replies,
      muc: this.muc,
      ping: (timeoutMs) => this.pingWithTimeout(timeoutMs),
      onStanza: (stanza) => this.#dispatch(stanza),
      log: (...args) => this.#log(...args),
    });
  }

  /** `true` between `online` and the next disconnect. */
  get isConnected(): boolean {
    return this.#connection.isConnected;
  }

  /** xmpp.js status: `offline`, `connecting`, `opening`, `online`, `disconnect`, … */
  get connectionStatus(): string {
    return this.#connection.client?.status ?? 'offline';
  }

  /** The connected user's id, `0` when not connected. */
  get currentUserId(): number {
    return this.helpers.getUserIdFromJID(this.#connection.client?.jid?.toString() ?? '') ?? 0;
  }

  /** The underlying @xmpp/client instance of the current connection (an escape hatch; `null` before `connect`). */
  get xmppClient(): XmppClient | null {
    return this.#connection.client;
  }

  /**
   * Connects and logs in as `{userId}-{appId}` with the password or session token. Resolves `true`
   * when online, `false` when already connected or connecting; rejects with the SASL condition
   * (e.g. `'not-authorized'`) or the transport error.
   */
  connect(params: ConnectionParams): Promise<boolean> {
    return this.#connection.connect(params);
  }

  /** Closes the stream and stops reconnecting. Resolves `false` only if closing failed. */
  disconnect(): Promise<boolean> {
    return this.#connection.disconnect();
  }

  /** Drops the socket without closing the stream; the reconnect logic then runs as after a network loss. */
  terminate(): void {
    this.#connection.terminate();
  }

  /**
   * Sends a chat message to a user id, a dialog id (its room) or a JID and returns its id
   * (`message.id`, generated and written back when missing).
   */
  send(dialogIdOrUserIdOrJid: string | number, message: MessageParams = {}): string {
    const { helpers } = this;
    const id = message.id ?? helpers.getBsonObjectId();
    const stanza = contentMessage({
      from: helpers.userCurrentJid,
      to: helpers.jidOrUserId(dialogIdOrUserIdOrJid),
      type: message.type ?? helpers.typeChat(dialogIdOrUserIdOrJid),
      id,
      body: message.body,
      extension: message.extension,
    });
    if (!message.id) message.id = id;

    if (this.#connection.settings.streamManagement.enable) void this.#connection.sendTracked(stanza, message);
    else this.#connection.sendAndForget(stanza);
    return id;
  }

  /** Sends a system message (`headline`) to one user; returns its id. */
  sendSystemMessage(userId: string | number, message: SystemMessageParams = {}): string {
    const id = message.id ?? this.helpers.getBsonObjectId();
    this.#connection.sendAndForget(systemMessage({ to: this.helpers.jidOrUserId(userId), id, body: message.body, extension: message.extension }));
    return id;
  }

  sendIsTypingStatus(dialogIdOrUserIdOrJid: string | number): void {
    this.#sendChatState(dialogIdOrUserIdOrJid, 'composing');
  }

  sendIsStopTypingStatus(dialogIdOrUserIdOrJid: string | number): void {
    this.#sendChatState(dialogIdOrUserIdOrJid, 'paused');
  }

  /** Tells the sender (`userId`) that their message was delivered. */
  sendDeliveredStatus(params: MessageStatusParams): void {
    this.#sendMarker('received', params);
  }

  /** Tells the sender (`userId`) that their message was read. */
  sendReadStatus(params: MessageStatusParams): void {
    this.#sendMarker('displayed', params);
  }

  /** Replaces the text of a sent message (`to`: the peer's user id or the dialog id of a group). */
  editMessage(params: EditMessageParams): void {
    const { helpers } = this;
    const address = { from: helpers.userCurrentJid, to: helpers.jidOrUserId(params.to), type: helpers.typeChat(params.to), id: helpers.getBsonObjectId() };
    this.#connection.sendAndForget(editStanza({ ...address, body: params.body, originMessageId: params.originMessageId, last: Boolean(params.last), dialogId: params.dialogId, extension: params.extension }));
  }

  /** Deletes a message for everyone (`to`: the peer's user id or the dialog id of a group). */
  deleteMessage(params: DeleteMessageParams): void {
    const { helpers } = this;
    const address = { from: helpers.userCurrentJid, to: helpers.jidOrUserId(params.to), type: helpers.typeChat(params.to), id: helpers.getBsonObjectId() };
    this.#connection.sendAndForget(deleteStanza({ ...address, messageId: params.messageId, dialogId: params.dialogId }));
  }

  /** Tells the server the app is in the foreground again (Tigase mobile v2 `enable="false"`). */
  markActive(): void {
    this.#connection.sendAndForget(mobileIq({ id: this.helpers.getUniqueId('markActive'), inactive: false }));
  }

  /** Tells the server the app went to the background: pushes are sent while every resource is inactive. */
  markInactive(): void {
    this.#connection.sendAndForget(mobileIq({ id: this.helpers.getUniqueId('markActive'), inactive: true }));
  }

  /** `{userId, seconds}` (0 = online) of a user (XEP-0012); rejects with `{code, info}` (404: never connected). */
  getLastUserActivity(userIdOrJid: string | number): Promise<LastActivity> {
    const { helpers } = this;
    const id = helpers.getUniqueId('lastActivity');
    const write = () => this.#connection.sendOnline(lastActivityIq({ from: helpers.userCurrentJid, to: helpers.jidOrUserId(userIdOrJid), id }));
    return this.#replies.request<LastActivity>(id, write, (stanza, resolve, reject) => {
      if (stanza.getChild('error')) return reject(readError(stanza));
      const activity = readLastActivity(stanza, helpers);
      callListener(this.onLastUserActivityListener, activity.userId, activity.seconds);
      resolve(activity);
    });
  }

  /** Asks for `onLastUserActivityListener` pushes when the user goes online or offline (this connection only). */
  subscribeToUserLastActivityStatus(userId: string | number): void {
    this.#connection.sendAndForget(statusStreamingIq({ id: this.helpers.getUniqueId('statusStreaming'), userJid: this.helpers.jidOrUserId(userId), enable: true }));
  }

  unsubscribeFromUserLastActivityStatus(userId: string | number): void {
    this.#connection.sendAndForget(statusStreamingIq({ id: this.helpers.getUniqueId('statusStreaming'), userJid: this.helpers.jidOrUserId(userId), enable: false }));
  }

  /** XEP-0199 ping to the chat domain; rejects with `{code, info}` on an error reply. */
  ping(): Promise<void> {
    const id = this.helpers.getUniqueId('ping');
    const write = () => this.#connection.sendOnline(pingIq({ id, to: this.#connection.settings.chatDomain }));
    return this.#replies.request<void>(id, write, (stanza, resolve, reject) => (stanza.getChild('error') ? reject(readError(stanza)) : resolve()));
  }

  /**
   * `ping()` bounded by `timeout` ms. Rejects with a message string on timeout (also reported to
   * `onConnectionErrorListener`) or when the ping fails.
   */
  pingWithTimeout(timeout = 5000): Promise<void> {
    const error = `Failed to ping chat server ${this.#connection.settings.websocketUrl}. Timed out after ${timeout}ms`;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        callListener(this.onConnectionErrorListener, error);
        reject(error);
      }, timeout);
      this.ping().then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        () => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  /** Called by `init`: a new configuration ends the current connection. */
  protected resetRealtime(): void {
    this.#connection.reset();
  }

  #dispatch(stanza: XmlElement): void {
    dispatchStanza(stanza, {
      listeners: this,
      reader: () => this.#reader(),
      replies: this.#replies,
      muc: this.muc,
      sendDelivered: (status) => this.sendDeliveredStatus(status),
      callSignal: (userId, extraParams) => this.#callSignalHandler?.(userId, extraParams),
    });
  }

  #callSignalHandler: ((userId: number | null, extraParams: XmlElement) => void) | undefined;

  /** For the video calling module: receives every `WebRTCVideoChat` headline (without `<delay>`). */
  setCallSignalHandler(handler: ((userId: number | null, extraParams: XmlElement) => void) | undefined): void {
    this.#callSignalHandler = handler;
  }

  /** For the video calling module: sends a call signal stanza as is (no stream-management tracking, as the official SDK). */
  sendCallSignal(stanza: XmlElement): void {
    this.#connection.sendAndForget(stanza);
  }

  #reader(): Reader {
    const jid = this.#connection.client?.jid;
    return {
      jids: this.helpers,
      ownResource: jid?.getResource() || '',
      ownUserId: jid ? this.helpers.getUserIdFromJID(jid.toString()) : 0,
      ownJid: this.helpers.userCurrentJid,
    };
  }

  #sendChatState(target: string | number, state: ChatState): void {
    const { helpers } = this;
    this.#connection.sendAndForget(chatState({ from: helpers.userCurrentJid, to: helpers.jidOrUserId(target), type: helpers.typeChat(target), state }));
  }

  #sendMarker(kind: 'received' | 'displayed', params: MessageStatusParams): void {
    const { helpers } = this;
    this.#connection.sendAndForget(
      marker({ kind, from: helpers.userCurrentJid, to: helpers.jidOrUserId(params.userId), id: helpers.getBsonObjectId(), messageId: params.messageId, dialogId: params.dialogId }),
    );
  }

  #log(...args: unknown[]): void {
    debugLog(this.#deps.config().debug, '[Chat]', ...args);
  }
}
