// Public types of the real-time chat, named and shaped like the official SDK 6.1.2's `Chat.*` types.
import type { XmlElement } from './xml.js';
import type { ExtraParams } from './extra-params.js';

export type { ExtraParams };

/** `chat.connect` argument; `password` is the user's password or a session token. */
export interface ConnectionParams {
  userId: number | string;
  password: string;
  /** Accepted for compatibility; unused (as in the official SDK). */
  deviceId?: string;
}

export type ChatType = 'chat' | 'groupchat';

/** What `chat.send` takes. `id` is filled in when missing, and returned. */
export interface MessageParams {
  id?: string;
  type?: ChatType | string;
  body?: string | null;
  extension?: ExtraParams;
}

/** What `onMessageListener(userId, message)` receives. Extension values arrive as strings. */
export interface Message {
  id: string;
  dialog_id: string | null;
  recipient_id: number | null;
  is_forwarded: boolean;
  type: string;
  body: string | null;
  extension: ExtraParams | null;
  /** The raw XEP-0203 `<delay>` element of an offline message. */
  delay: XmlElement | undefined;
}

export interface SystemMessageParams {
  id?: string;
  body?: string | null;
  extension?: ExtraParams;
}

export interface SystemMessage {
  id: string;
  userId: number | null;
  body: string | null;
  extension: ExtraParams | null;
}

/** `sendDeliveredStatus` / `sendReadStatus` argument: the marked message and its sender. */
export interface MessageStatusParams {
  messageId: string;
  userId: number | string;
  dialogId: string | null;
}

/** `chat.editMessage` argument: `to` is the peer's user id (1-1) or the dialog id (group). */
export interface EditMessageParams {
  to: string | number;
  dialogId: string;
  body: string;
  originMessageId: string;
  /** Whether this edits the dialog's last message (`last="true"`). */
  last?: boolean;
  /** Extra keys appended to extraParams after `dialog_id`. */
  extension?: ExtraParams;
}

/** `chat.deleteMessage` argument. */
export interface DeleteMessageParams {
  to: string | number;
  dialogId: string;
  messageId: string;
}

/** `{code, info}` of an XMPP error (`code` is the legacy numeric attribute, 0 when absent). */
export interface XmppErrorInfo {
  code: number;
  info: string | null;
}

/** `chat.muc.join` rejection for a room error presence. */
export interface MucJoinError {
  code: string;
  message: string;
}

export type ConnectionStatus = string;
