// What the parsers do beyond the official-parity cases: standard MUC status codes, issue-5 stanzas
// that must not look like new messages, and call signals set aside for the video module.
import { describe, expect, it } from 'vitest';
import { ChatHelpers } from '../helpers.js';
import { resolveConfig } from '../../config.js';
import { readHeadline, readMessage, readMucPresence } from './incoming.js';
import type { Reader } from './incoming.js';
import { parseXml } from './xml.js';

const config = resolveConfig({ appId: 42 }, { endpoints: { chat: 'D' } });
const helpers = new ChatHelpers(() => config);
const ME = '5-42@D/0f3c2e44aa';
const ROOM = '42_64a1f0c2e4b0a1b2c3d4e5f6@muc.D';
const reader: Reader = { jids: helpers, ownResource: '0f3c2e44aa', ownUserId: 5, ownJid: ME };
const one = (text: string) => parseXml(text)[0]!;

describe('readMucPresence', () => {
  it('accepts a standard self-presence (status 110 without the <xmlns> compatibility child) as the join reply', () => {
    const presence = one(`<presence id="u:join" from="${ROOM}/5"><x xmlns="http://jabber.org/protocol/muc#user"><status code="110"/></x></presence>`);
    expect(readMucPresence(presence, reader)).toEqual({ kind: 'join-reply', id: 'u:join', stanza: presence });
    expect(readMucPresence(one(`<presence type="unavailable" from="${ROOM}/5"><x xmlns="http://jabber.org/protocol/muc#user"><status code="110"/></x></presence>`), reader)).toEqual({ kind: 'self-left', roomJid: ROOM });
  });

  it('reads a standard kick (301 + 110), and a 301 for someone else as a leave', () => {
    const kick = one(`<presence type="unavailable" from="${ROOM}/5"><x xmlns="http://jabber.org/protocol/muc#user"><status code="301"/><status code="110"/></x><item><actor jid="3-42@D"/></item></presence>`);
    expect(readMucPresence(kick, reader)).toEqual({ kind: 'kicked', roomJid: ROOM, dialogId: '64a1f0c2e4b0a1b2c3d4e5f6', initiatorId: 3 });
    const other = one(`<presence type="unavailable" from="${ROOM}/9"><x xmlns="http://jabber.org/protocol/muc#user"><status code="301"/></x></presence>`);
    expect(readMucPresence(other, reader)).toEqual({ kind: 'occupant-left', dialogId: '64a1f0c2e4b0a1b2c3d4e5f6', userId: 9 });
  });

  it('ignores presences that are not MUC, and errors that answer no join', () => {
    expect(readMucPresence(one(`<presence from="9-42@D/x"/>`), reader)).toBeNull();
    expect(readMucPresence(one(`<presence from="9-42@D/x"><x xmlns="vcard-temp:x:update"/></presence>`), reader)).toBeNull();
    expect(readMucPresence(one(`<presence type="error" id="other" from="${ROOM}/5"><x xmlns="http://jabber.org/protocol/muc"/></presence>`), reader)).toBeNull();
  });
});

describe('readMessage', () => {
  it('recognises edits, deletions and reactions (issue 5) so they are not reported or marked as new messages', () => {
    const extra = '<extraParams xmlns="jabber:client"><dialog_id>d1</dialog_id></extraParams>';
    expect(readMessage(one(`<message type="chat" from="9-42@D/x" id="m"><body>new text</body><replace xmlns="urn:xmpp:message-correct:0" id="o" last="true"/>${extra}</message>`), reader)).toMatchObject([{ kind: 'edit' }]);
    expect(readMessage(one(`<message type="chat" from="9-42@D/x" id="m"><remove xmlns="urn:xmpp:message-delete:0" id="o"/>${extra}</message>`), reader)).toMatchObject([{ kind: 'delete' }]);
    expect(readMessage(one(`<message type="groupchat" from="${ROOM}/9" id="m">${extra}<reactions message_id="o" user_id="9"><reaction add="true" type="x"/></reactions></message>`), reader)).toMatchObject([{ kind: 'reactions' }]);
  });

  it('sends no automatic marker for own messages or messages without a dialog id', () => {
    expect(readMessage(one(`<message type="groupchat" from="${ROOM}/5" id="m"><body>mine</body></message>`), reader).map((event) => event.kind)).toEqual(['message']);
    expect(readMessage(one(`<message type="chat" from="9-42@D/x" id="m"><body>no dialog</body></message>`), reader).map((event) => event.kind)).toEqual(['message']);
  });
});

describe('readHeadline', () => {
  it('sets call signals aside and drops headlines of other modules', () => {
    const signal = one('<message type="headline" from="9-42@D/x" id="c"><extraParams xmlns="jabber:client"><moduleIdentifier>WebRTCVideoChat</moduleIdentifier><signalType>call</signalType></extraParams></message>');
    expect(readHeadline(signal, reader)).toMatchObject({ kind: 'call-signal', userId: 9 });
    expect(readHeadline(one('<message type="headline" from="9-42@D/x"><extraParams xmlns="jabber:client"><moduleIdentifier>Other</moduleIdentifier></extraParams></message>'), reader)).toBeNull();
  });
});
