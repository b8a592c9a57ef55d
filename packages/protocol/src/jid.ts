import { roomJid } from './rest/chat.js';

/**
 * JIDs of the ConnectyCube addressing scheme (realtime.md §5). Pure string work, no I/O.
 * user `{uid}-{appId}@D[/resource]`, room `{appId}_{dialogId}@muc.D`, occupant `room/{uid}`.
 */

export interface Jid {
  local: string;
  domain: string;
  /** '' when the JID is bare. */
  resource: string;
}

/** Splits `local@domain/resource` (each part optional except the domain); undefined when malformed. */
export function parseJid(text: string): Jid | undefined {
  if (typeof text !== 'string' || text === '' || text.length > 3071) return undefined;
  const slash = text.indexOf('/');
  const bare = slash < 0 ? text : text.slice(0, slash);
  const resource = slash < 0 ? '' : text.slice(slash + 1);
  if (slash >= 0 && resource === '') return undefined;
  const at = bare.indexOf('@');
  const local = at < 0 ? '' : bare.slice(0, at);
  const domain = (at < 0 ? bare : bare.slice(at + 1)).toLowerCase();
  if ((at >= 0 && local === '') || domain === '' || domain.includes('@')) return undefined;
  return { local, domain, resource };
}

export function formatJid(jid: Jid): string {
  return `${jid.local === '' ? '' : `${jid.local}@`}${jid.domain}${jid.resource === '' ? '' : `/${jid.resource}`}`;
}

/** `{uid}-{appId}`: the local part of a user JID and the SASL authcid. */
export function userLocalPart(appId: number, userId: number): string {
  return `${userId}-${appId}`;
}

/** Parses `{uid}-{appId}` (both positive decimal integers without leading zeros). */
export function parseUserLocalPart(local: string): { appId: number; userId: number } | undefined {
  const match = /^([1-9]\d{0,14})-([1-9]\d{0,14})$/.exec(local);
  if (!match) return undefined;
  return { userId: Number(match[1]), appId: Number(match[2]) };
}

/** `{uid}-{appId}@D` or, with a resource, the full JID of one connection. */
export function userJid(appId: number, userId: number, chatDomain: string, resource?: string): string {
  return `${userLocalPart(appId, userId)}@${chatDomain}${resource ? `/${resource}` : ''}`;
}

/** The MUC service domain for a chat domain (`muc.D`). */
export function mucDomain(chatDomain: string): string {
  return `muc.${chatDomain}`;
}

/** `{appId}_{dialogId}@muc.D/{uid}`: a user's occupant JID in a room. */
export function occupantJid(appId: number, dialogId: string, userId: number, chatDomain: string): string {
  return `${roomJid(appId, dialogId, chatDomain)}/${userId}`;
}

/** Parses the room local part `{appId}_{dialogId}`. */
export function parseRoomLocalPart(local: string): { appId: number; dialogId: string } | undefined {
  const match = /^([1-9]\d{0,14})_([^_@/\s]+)$/.exec(local);
  if (!match) return undefined;
  return { appId: Number(match[1]), dialogId: match[2] as string };
}

/** What a JID names in a Parley deployment with chat domain `chatDomain` (MUC domain `mucDomain`). */
export type JidTarget =
  | { kind: 'server'; jid: Jid }
  | { kind: 'user'; jid: Jid; appId: number; userId: number; resource: string }
  | { kind: 'muc-service'; jid: Jid }
  | { kind: 'room'; jid: Jid; appId: number; dialogId: string; occupant: string }
  | { kind: 'other'; jid: Jid };

export function classifyJid(jid: Jid, domains: { chat: string; muc: string }): JidTarget {
  const chat = domains.chat.toLowerCase();
  const muc = domains.muc.toLowerCase();
  if (jid.domain === chat) {
    if (jid.local === '') return { kind: 'server', jid };
    const user = parseUserLocalPart(jid.local);
    return user ? { kind: 'user', jid, ...user, resource: jid.resource } : { kind: 'other', jid };
  }
  if (jid.domain === muc) {
    if (jid.local === '') return { kind: 'muc-service', jid };
    const room = parseRoomLocalPart(jid.local);
    return room ? { kind: 'room', jid, ...room, occupant: jid.resource } : { kind: 'other', jid };
  }
  return { kind: 'other', jid };
}
