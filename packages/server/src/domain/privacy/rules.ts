import { parseJid, parseUserLocalPart } from '@parley/protocol';
import type { StoredPrivacyItem } from '../../ports/privacy-lists.js';

/** The XEP-0016 stanza kinds an item can name. */
export const PRIVACY_STANZAS = ['message', 'presence-in', 'presence-out', 'iq'] as const;
export type PrivacyStanza = (typeof PRIVACY_STANZAS)[number];

/**
 * Traffic seen from a list owner: `incoming` stanzas of a kind from the peer, or the owner's own
 * `outgoing` message/iq (only child-less items — a mutual block — apply to those, XEP-0016 §2.1) or
 * presence (`presence-out`).
 */
export type OwnerTraffic =
  | { direction: 'incoming'; stanza: 'message' | 'presence-in' | 'iq' }
  | { direction: 'outgoing'; stanza: 'message' | 'presence-out' | 'iq' };

/** Who the peer is: a user in 1-1 traffic, or an occupant of a room (matched by `muc.D/{uid}` items). */
export interface Peer {
  appId: number;
  userId: number;
  via: 'private' | 'group';
}

/**
 * Whether an item's JID names the peer (realtime.md §10.5): `{uid}-{A}@D[/res]` matches 1-1 traffic of
 * that user, `muc.D/{uid}` group traffic of that occupant, a bare domain everyone; no type = everyone
 * (fall-through item); `subscription none` everyone (there is no roster); roster groups never.
 */
function namesPeer(item: StoredPrivacyItem, peer: Peer): boolean {
  if (item.type === undefined) return true;
  if (item.type === 'subscription') return item.value === 'none';
  if (item.type !== 'jid' || item.value === undefined) return false;
  const jid = parseJid(item.value);
  if (!jid) return false;
  if (jid.local === '') return jid.resource === '' ? true : peer.via === 'group' && jid.resource === String(peer.userId);
  const user = parseUserLocalPart(jid.local);
  return peer.via === 'private' && user !== undefined && user.appId === peer.appId && user.userId === peer.userId;
}

function appliesTo(item: StoredPrivacyItem, traffic: OwnerTraffic): boolean {
  if (item.stanzas.length === 0) return true;
  if (traffic.direction === 'outgoing' && traffic.stanza !== 'presence-out') return false;
  return item.stanzas.includes(traffic.stanza);
}

/** The list's decision: the action of the first matching item by `order`; no match → allow. */
export function decide(items: readonly StoredPrivacyItem[], peer: Peer, traffic: OwnerTraffic): 'allow' | 'deny' {
  const ordered = [...items].sort((a, b) => a.order - b.order);
  const first = ordered.find((item) => namesPeer(item, peer) && appliesTo(item, traffic));
  return first?.action ?? 'allow';
}
