import { xml, type Element } from '@xmpp/xml';
import { NS } from '../../ns.js';

/** MUC stanza shapes the SDK depends on (realtime.md §6.3–§6.6). */

export type Affiliation = 'owner' | 'admin' | 'member' | 'none';

interface Addressing {
  /** The occupant JID `{room}/{uid}` the presence is from. */
  from: string;
  /** The recipient's full JID. */
  to: string;
}

/** The muc#user `<x>` first: the SDK only looks at the first `<x>` child. */
function presence(attrs: Record<string, string | undefined>, x: Element, ...rest: Element[]): Element {
  const defined = Object.fromEntries(Object.entries(attrs).filter(([, value]) => value !== undefined)) as Record<string, string>;
  return xml('presence', { xmlns: NS.client, ...defined }, x, ...rest);
}

/** Another occupant arrived or left: no status codes, no compatibility child (§6.4). */
export function occupantPresence(address: Addressing, occupant: { available: boolean; affiliation: Affiliation; jid?: string }): Element {
  const item = occupant.available
    ? xml('item', { affiliation: occupant.affiliation, role: 'participant', ...(occupant.jid ? { jid: occupant.jid } : {}) })
    : xml('item', { affiliation: occupant.affiliation, role: 'none' });
  return presence({ ...address, type: occupant.available ? undefined : 'unavailable' }, xml('x', { xmlns: NS.mucUser }, item));
}

/**
 * The joining or leaving resource's own presence: status 110 both in the standard form and in the
 * `<xmlns><code>` child SDK 6.1.2 reads ([R-2]); a join echoes the request id.
 */
export function selfPresence(address: Addressing, self: { available: boolean; affiliation: Affiliation; jid: string; id?: string }): Element {
  const item = self.available
    ? xml('item', { affiliation: self.affiliation, role: 'participant', jid: self.jid })
    : xml('item', { affiliation: self.affiliation, role: 'none' });
  const x = xml('x', { xmlns: NS.mucUser }, item, xml('status', { code: '110' }), xml('xmlns', {}, xml('code', {}, '110')));
  return presence({ ...address, id: self.id, type: self.available ? undefined : 'unavailable' }, x);
}

/** Removal from the room by someone else: status 301 + 110 and a top-level copy of `<item>` with the actor ([R-3]). */
export function kickPresence(address: Addressing, actorJid: string): Element {
  const item = () => xml('item', { affiliation: 'none', role: 'none' }, xml('actor', { jid: actorJid }));
  const x = xml('x', { xmlns: NS.mucUser }, item(), xml('status', { code: '301' }), xml('status', { code: '110' }), xml('xmlns', {}, xml('code', {}, '301')));
  return presence({ ...address, type: 'unavailable' }, x, item());
}

export interface JoinRefusal {
  code: string;
  condition: string;
  type: 'auth' | 'cancel' | 'modify' | 'wait';
  text: string;
}

/** Join errors (§6.3 table) the SDK rejects `muc.join()` with. */
export const joinRefusals = {
  notOccupant: { code: '407', condition: 'registration-required', type: 'auth', text: 'You are not an occupant of this dialog' },
  notFound: { code: '404', condition: 'item-not-found', type: 'cancel', text: 'Dialog not found' },
  wrongNick: { code: '406', condition: 'not-acceptable', type: 'modify', text: 'The nickname must be your user id' },
  full: { code: '503', condition: 'service-unavailable', type: 'wait', text: 'The room is full' },
  private: { code: '405', condition: 'not-allowed', type: 'cancel', text: 'Private dialogs have no room' },
} as const satisfies Record<string, JoinRefusal>;

/** The error presence echoing the join's id and its `<x xmlns=muc/>`. */
export function joinError(address: Addressing & { id?: string }, refusal: JoinRefusal): Element {
  const error = xml(
    'error',
    { type: refusal.type, code: refusal.code },
    xml(refusal.condition, { xmlns: NS.stanzas }),
    xml('text', { xmlns: NS.stanzas }, refusal.text),
  );
  return presence({ ...address, type: 'error' }, xml('x', { xmlns: NS.muc }), error);
}
