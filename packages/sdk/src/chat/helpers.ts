// `chat.helpers`: the official SDK 6.1.2's pure JID and id utilities (its `ChatHelpers`). JIDs
// follow realtime.md: users are `<userId>-<appId>@<chat domain>`, dialog rooms are
// `<appId>_<dialogId>@muc.<chat domain>`, and room occupants are `<room jid>/<userId>`.
// Nothing here opens a connection; the real-time chat (a later module) sets `userCurrentJid`.
import type { SdkConfig } from '../config.js';

function randomBytes(count: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(count));
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Digits only, optionally negative, or a plain decimal: what the official SDK treats as a user id. */
function isNumericText(value: string): boolean {
  return /^-?\d+$/.test(value) || /^\d+\.\d+$/.test(value);
}

/**
 * A random UUID v4 (`xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`), with `:<suffix>` appended when a
 * string or number is given; used as stanza ids.
 */
export function getUniqueId(suffix?: unknown): string {
  const bytes = randomBytes(16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = toHex(bytes);
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return typeof suffix === 'string' || typeof suffix === 'number' ? `${uuid}:${suffix}` : uuid;
}

let objectIdCounter = new DataView(randomBytes(4).buffer).getUint32(0) & 0xffffff;
/** Random once per process, as MongoDB's own ObjectIds: ids of one process then increase. */
const objectIdProcessPart = toHex(randomBytes(5));

/**
 * A MongoDB-style ObjectId: 24 lowercase hex digits, the first 8 being the current unix seconds.
 * Messages sent in real time use it as their `_id` (rest.md §1.6). The official SDK fills the
 * rest with random digits and a counter that never advances; here it is 5 bytes random per process
 * and a counter that does, so ids made in the same second stay distinct and keep their order (history
 * sorts messages of one second by `_id`).
 */
export function getBsonObjectId(): string {
  const seconds = Math.floor(Date.now() / 1000)
    .toString(16)
    .padStart(8, '0');
  objectIdCounter = (objectIdCounter + 1) & 0xffffff;
  return seconds + objectIdProcessPart + objectIdCounter.toString(16).padStart(6, '0');
}

export class ChatHelpers {
  // `#` fields keep the object's visible surface identical to the official helpers.
  #currentJid = '';
  readonly #config: () => SdkConfig;

  /** @param config read on every call, so a later `init` (app id, chat domain) applies at once. */
  constructor(config: () => SdkConfig) {
    this.#config = config;
  }

  /** The connected user's full JID; `''` until the real-time chat connects. */
  get userCurrentJid(): string {
    return this.#currentJid;
  }

  set userCurrentJid(jid: string | null) {
    this.#currentJid = jid || '';
  }

  readonly getUniqueId = getUniqueId;

  readonly getBsonObjectId = getBsonObjectId;

  isNumeric(value: string): boolean {
    return isNumericText(value);
  }

  /** A user id (number or numeric string) → user JID; a dialog id → room JID; a JID stays as is. */
  jidOrUserId(jidOrUserId: string | number): string {
    if (typeof jidOrUserId !== 'string') return this.getUserJid(jidOrUserId);
    if (isNumericText(jidOrUserId)) return this.getUserJid(jidOrUserId);
    return jidOrUserId.includes('@') ? jidOrUserId : this.getRoomJidFromDialogId(jidOrUserId);
  }

  /** The XMPP message type for a target: `chat` for users, `groupchat` for dialogs and rooms. */
  typeChat(jidOrUserId: string | number): 'chat' | 'groupchat' {
    if (typeof jidOrUserId === 'number') return 'chat';
    if (typeof jidOrUserId !== 'string') throw new Error('Unsupported chat type');
    if (isNumericText(jidOrUserId)) return 'chat';
    if (!jidOrUserId.includes('@')) return 'groupchat';
    return jidOrUserId.includes('muc') ? 'groupchat' : 'chat';
  }

  /** `<userId>-<appId>@<chat domain>`. */
  getUserJid(userId: string | number): string {
    const { creds, endpoints } = this.#config();
    return `${userId}-${creds.appId}@${endpoints.chat}`;
  }

  /** `muc.<chat domain>/<userId>`. */
  getUserNickWithMucDomain(userId: string | number): string {
    return `${this.#config().endpoints.muc}/${userId}`;
  }

  /** The user id in a user JID (the current user's by default); `null` for a string without `@`. */
  getUserIdFromJID(jid: string = this.userCurrentJid): number | null {
    return jid?.includes('@') ? parseInt(jid.split('@')[0]!.split('-')[0]!, 10) : null;
  }

  /** The dialog id in a room JID (`<appId>_<dialogId>@…`); `null` when it has none. */
  getDialogIdFromJID(jid: string): string | null {
    return jid?.includes('@') ? (jid.split('@')[0]!.split('_')[1] ?? null) : null;
  }

  /** `<appId>_<dialogId>@muc.<chat domain>`, the same value as a dialog's `xmpp_room_jid`. */
  getRoomJidFromDialogId(dialogId: string): string {
    const { creds, endpoints } = this.#config();
    return `${creds.appId}_${dialogId}@${endpoints.muc}`;
  }

  /** The current user's occupant JID in a room: `<room jid>/<userId>`. */
  getRoomJid(jid: string): string {
    return `${jid}/${this.getUserIdFromJID(this.userCurrentJid)}`;
  }

  /** The number after the first `/` of a full JID; `null` without a resource. */
  getIdFromResource(jid: string): number | null {
    const parts = jid.split('/');
    return parts.length > 1 ? parseInt(parts.slice(1).join('/'), 10) : null;
  }

  /** The bare room JID of an occupant JID; `null` without a resource. */
  getRoomJidFromRoomFullJid(jid: string): string | null {
    const parts = jid.split('/');
    return parts.length > 1 ? parts[0]! : null;
  }

  /** The user id after the last `/` of an occupant JID; `null` without a resource. */
  getUserIdFromRoomJid(roomJid: string): number | null {
    const parts = roomJid.split('/');
    return parts.length > 1 ? parseInt(parts[parts.length - 1]!, 10) : null;
  }

  /** A JID is returned as is (an `@` after the first character); a dialog id becomes its room JID. */
  getDialogJid(identifier: string): string {
    return identifier.indexOf('@') > 0 ? identifier : this.getRoomJidFromDialogId(identifier);
  }
}
