// Listener names and the `ChatEvent` names of the official SDK's `addListener(event, fn)` form.
// Apps may also assign the listeners as properties (`chat.onMessageListener = fn`), as the docs do.
import type { ConnectionStatus, ExtraParams, Message, MessageParams, SystemMessage, XmppErrorInfo } from './types.js';

export enum ChatEvent {
  STATUS = 'status',
  ERROR = 'error',
  DISCONNECTED = 'disconnected',
  RECONNECTED = 'reconnected',
  MESSAGE = 'message',
  SYSTEM_MESSAGE = 'system-message',
  ERROR_MESSAGE = 'error-message',
  TYPING_MESSAGE = 'typing-message',
  UPDATE_MESSAGE = 'update-message',
  DELETE_MESSAGE = 'delete-message',
  REACTIONS_MESSAGE = 'reactions-message',
  DELIVERED_MESSAGE = 'delivered-message',
  READ_MESSAGE = 'read-message',
  SENT_MESSAGE = 'sent-message',
  USER_LAST_ACTIVITY = 'user-last-activity',
  JOIN = 'join',
  LEAVE = 'leave',
  KICK = 'kick',
}

export type OnChatStatusListener = (status: ConnectionStatus) => void;
export type OnChatConnectionErrorListener = (error: unknown) => void;
export type OnChatDisconnectedListener = () => void;
export type OnChatReconnectedListener = () => void;
export type OnMessageListener = (userId: number | null, message: Message) => void;
export type OnMessageSystemListener = (message: SystemMessage) => void;
export type OnMessageErrorListener = (messageId: string, error: XmppErrorInfo) => void;
export type OnMessageTypingListener = (isTyping: boolean, userId: number | null, dialogId: string | null) => void;
export type OnMessageDeliveredListener = (messageId: string, dialogId: string | null, userId: number | null) => void;
export type OnMessageReadListener = (messageId: string, dialogId: string | null, userId: number | null) => void;
/** Exactly one argument is set: the lost message, or the sent one. */
export type OnMessageSentListener = (lost: MessageParams | null, sent: MessageParams | null) => void;
export type OnDialogJoinListener = (dialogId: string | null, userId: number | null) => void;
export type OnDialogLeaveListener = (dialogId: string | null, userId: number | null) => void;
export type OnDialogKickListener = (dialogId: string | null, initiatorId: number | null) => void;
export type OnMessageUpdateListener = (messageId: string, isLast: boolean, updatedBody: string | null, dialogId: string | null, userId: number | null, extraParams: ExtraParams | null) => void;
export type OnMessageDeleteListener = (messageId: string, dialogId: string | null, userId: number | null) => void;
/** `add`/`remove`: the added and the removed reaction, undefined when the event has none. */
export type OnMessageReactionsListener = (messageId: string, userId: number, dialogId: string | null, add: string | undefined, remove: string | undefined) => void;
/** A last-activity answer or push: `seconds` is 0 while the user is online. */
export type OnLastUserActivityListener = (userId: number | null, seconds: number) => void;

/** Every listener property, as the official SDK names them (the fields of `ChatListenerSlots`). */
export type ChatListeners = Pick<ChatListenerSlots, Extract<keyof ChatListenerSlots, `on${string}`>>;

export type ListenerName = keyof ChatListeners;

export const LISTENER_BY_EVENT: Readonly<Record<ChatEvent, ListenerName>> = {
  [ChatEvent.STATUS]: 'onChatStatusListener',
  [ChatEvent.ERROR]: 'onConnectionErrorListener',
  [ChatEvent.DISCONNECTED]: 'onDisconnectedListener',
  [ChatEvent.RECONNECTED]: 'onReconnectListener',
  [ChatEvent.MESSAGE]: 'onMessageListener',
  [ChatEvent.SYSTEM_MESSAGE]: 'onSystemMessageListener',
  [ChatEvent.ERROR_MESSAGE]: 'onMessageErrorListener',
  [ChatEvent.TYPING_MESSAGE]: 'onMessageTypingListener',
  [ChatEvent.UPDATE_MESSAGE]: 'onMessageUpdateListener',
  [ChatEvent.DELETE_MESSAGE]: 'onMessageDeleteListener',
  [ChatEvent.REACTIONS_MESSAGE]: 'onMessageReactionsListener',
  [ChatEvent.DELIVERED_MESSAGE]: 'onDeliveredStatusListener',
  [ChatEvent.READ_MESSAGE]: 'onReadStatusListener',
  [ChatEvent.SENT_MESSAGE]: 'onSentMessageCallback',
  [ChatEvent.USER_LAST_ACTIVITY]: 'onLastUserActivityListener',
  [ChatEvent.JOIN]: 'onJoinOccupant',
  [ChatEvent.LEAVE]: 'onLeaveOccupant',
  [ChatEvent.KICK]: 'onKickOccupant',
};

/**
 * The listener properties apps assign (`chat.onMessageListener = fn`) and the `addListener` form.
 * A base class so the chat service shows them as plain own properties, like the official SDK.
 */
export class ChatListenerSlots {
  onChatStatusListener?: OnChatStatusListener | undefined;
  onConnectionErrorListener?: OnChatConnectionErrorListener | undefined;
  onDisconnectedListener?: OnChatDisconnectedListener | undefined;
  onReconnectListener?: OnChatReconnectedListener | undefined;
  onMessageListener?: OnMessageListener | undefined;
  onSystemMessageListener?: OnMessageSystemListener | undefined;
  onMessageErrorListener?: OnMessageErrorListener | undefined;
  onMessageTypingListener?: OnMessageTypingListener | undefined;
  onMessageUpdateListener?: OnMessageUpdateListener | undefined;
  onMessageDeleteListener?: OnMessageDeleteListener | undefined;
  onMessageReactionsListener?: OnMessageReactionsListener | undefined;
  onDeliveredStatusListener?: OnMessageDeliveredListener | undefined;
  onReadStatusListener?: OnMessageReadListener | undefined;
  onSentMessageCallback?: OnMessageSentListener | undefined;
  onLastUserActivityListener?: OnLastUserActivityListener | undefined;
  onJoinOccupant?: OnDialogJoinListener | undefined;
  onLeaveOccupant?: OnDialogLeaveListener | undefined;
  onKickOccupant?: OnDialogKickListener | undefined;

  /** Sets the listener for `event` (the official SDK's `ChatEvent` names); returns its remover. */
  addListener<E extends ChatEvent>(event: E, listener: NonNullable<ChatListeners[(typeof LISTENER_BY_EVENT)[E]]>): () => void {
    const name = LISTENER_BY_EVENT[event];
    if (name) (this as ChatListeners)[name] = listener as never;
    return () => this.removeListener(event);
  }

  removeListener(event: ChatEvent): void {
    const name = LISTENER_BY_EVENT[event];
    if (name) (this as ChatListeners)[name] = undefined;
  }

  /** Clears every listener property. */
  removeAllListeners(): void {
    for (const name of Object.values(LISTENER_BY_EVENT)) (this as ChatListeners)[name] = undefined;
  }
}

/**
 * Calls an app listener if one is set. A throwing listener is reported on the console and never
 * breaks the stanza pipeline (the next stanza must still be processed).
 */
export function callListener<Args extends unknown[]>(listener: ((...args: Args) => void) | undefined, ...args: Args): void {
  if (typeof listener !== 'function') return;
  try {
    listener(...args);
  } catch (error) {
    console.error('[ConnectyCube] Error in chat listener:', error);
  }
}
