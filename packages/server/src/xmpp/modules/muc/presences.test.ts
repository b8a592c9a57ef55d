import { describe, expect, it } from 'vitest';
import { joinError, joinRefusals, kickPresence, occupantPresence, selfPresence } from './presences.js';

const address = { from: '42_64a1@muc.D/5', to: '5-42@D/0f3c' };

describe('MUC presences (realtime.md §6.3–§6.6)', () => {
  it('self-presence on join carries both status forms and echoes the id', () => {
    expect(selfPresence(address, { available: true, affiliation: 'member', jid: '5-42@D/0f3c', id: 'abc:join' }).toString()).toBe(
      '<presence xmlns="jabber:client" from="42_64a1@muc.D/5" to="5-42@D/0f3c" id="abc:join"><x xmlns="http://jabber.org/protocol/muc#user">' +
        '<item affiliation="member" role="participant" jid="5-42@D/0f3c"/><status code="110"/><xmlns><code>110</code></xmlns></x></presence>',
    );
  });

  it('self-presence on leave is unavailable with role none', () => {
    expect(selfPresence(address, { available: false, affiliation: 'owner', jid: '5-42@D/0f3c' }).toString()).toBe(
      '<presence xmlns="jabber:client" from="42_64a1@muc.D/5" to="5-42@D/0f3c" type="unavailable"><x xmlns="http://jabber.org/protocol/muc#user">' +
        '<item affiliation="owner" role="none"/><status code="110"/><xmlns><code>110</code></xmlns></x></presence>',
    );
  });

  it('other occupants’ presences have no status', () => {
    expect(occupantPresence(address, { available: true, affiliation: 'admin', jid: '9-42@D/55aa' }).toString()).toBe(
      '<presence xmlns="jabber:client" from="42_64a1@muc.D/5" to="5-42@D/0f3c"><x xmlns="http://jabber.org/protocol/muc#user"><item affiliation="admin" role="participant" jid="9-42@D/55aa"/></x></presence>',
    );
    expect(occupantPresence(address, { available: false, affiliation: 'member' }).toString()).toBe(
      '<presence xmlns="jabber:client" from="42_64a1@muc.D/5" to="5-42@D/0f3c" type="unavailable"><x xmlns="http://jabber.org/protocol/muc#user"><item affiliation="member" role="none"/></x></presence>',
    );
  });

  it('a kick has status 301 and 110 and a top-level item with the actor', () => {
    expect(kickPresence(address, '3-42@D').toString()).toBe(
      '<presence xmlns="jabber:client" from="42_64a1@muc.D/5" to="5-42@D/0f3c" type="unavailable"><x xmlns="http://jabber.org/protocol/muc#user">' +
        '<item affiliation="none" role="none"><actor jid="3-42@D"/></item><status code="301"/><status code="110"/><xmlns><code>301</code></xmlns></x>' +
        '<item affiliation="none" role="none"><actor jid="3-42@D"/></item></presence>',
    );
  });

  it('a join error echoes the id and the muc x, with a numeric code', () => {
    expect(joinError({ ...address, id: 'abc:join' }, joinRefusals.notOccupant).toString()).toBe(
      '<presence xmlns="jabber:client" from="42_64a1@muc.D/5" to="5-42@D/0f3c" id="abc:join" type="error"><x xmlns="http://jabber.org/protocol/muc"/>' +
        '<error type="auth" code="407"><registration-required xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/><text xmlns="urn:ietf:params:xml:ns:xmpp-stanzas">You are not an occupant of this dialog</text></error></presence>',
    );
  });
});
