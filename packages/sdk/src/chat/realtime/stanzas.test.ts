// The stanzas as realtime.md writes them (§3.3, §6, §7, §8, §11.1), with our JIDs and ids filled in.
import { describe, expect, it } from 'vitest';
import { chatState, contentMessage, enableCarbonsIq, initialPresence, marker, mucJoinPresence, mucLeavePresence, mucOnlineUsersIq, pingIq, smNonza, systemMessage } from './stanzas.js';

const ME = '5-42@D/0f3c2e44';
const BOB = '9-42@D';
const ROOM = '42_64a1f0c2e4b0a1b2c3d4e5f6@muc.D';

describe('outgoing stanzas (realtime.md literals, before the transport adds xmlns="jabber:client")', () => {
  it('§7.1 chat message', () => {
    const stanza = contentMessage({
      from: ME,
      to: BOB,
      type: 'chat',
      id: '6744f3f61a2b3c04d5000000',
      body: 'How are you?',
      extension: { save_to_history: 1, dialog_id: '64a1f0c2e4b0a1b2c3d4e5f6', attachments: [{ uid: '9f1e00', type: 'image', name: 'cat.png', size: 48211, width: 640, height: 480 }], customer_ref: 'A-17' },
    });
    expect(String(stanza)).toBe(
      `<message from="${ME}" to="${BOB}" type="chat" id="6744f3f61a2b3c04d5000000"><body>How are you?</body><extraParams xmlns="jabber:client"><save_to_history>1</save_to_history><dialog_id>64a1f0c2e4b0a1b2c3d4e5f6</dialog_id><attachment uid="9f1e00" type="image" name="cat.png" size="48211" width="640" height="480"/><customer_ref>A-17</customer_ref></extraParams></message>`,
    );
  });

  it('§7.1 leaves out an empty body and a missing extension', () => {
    expect(String(contentMessage({ from: ME, to: ROOM, type: 'groupchat', id: 'i', body: '' }))).toBe(`<message from="${ME}" to="${ROOM}" type="groupchat" id="i"/>`);
  });

  it('§7.5 typing states', () => {
    expect(String(chatState({ from: ME, to: BOB, type: 'chat', state: 'composing' }))).toBe(`<message from="${ME}" to="${BOB}" type="chat"><composing xmlns="http://jabber.org/protocol/chatstates"/></message>`);
    expect(String(chatState({ from: ME, to: ROOM, type: 'groupchat', state: 'paused' }))).toBe(`<message from="${ME}" to="${ROOM}" type="groupchat"><paused xmlns="http://jabber.org/protocol/chatstates"/></message>`);
  });

  it('§7.6 markers, with their different attribute orders', () => {
    const common = { from: ME, to: BOB, messageId: '6744f3f61a2b3c04d5000000', dialogId: '64a1f0c2e4b0a1b2c3d4e5f6' };
    expect(String(marker({ ...common, kind: 'received', id: '6744f40b9c8d7e6f5a000000' }))).toBe(
      `<message type="chat" from="${ME}" id="6744f40b9c8d7e6f5a000000" to="${BOB}"><received xmlns="urn:xmpp:chat-markers:0" id="6744f3f61a2b3c04d5000000"/><extraParams xmlns="jabber:client"><dialog_id>64a1f0c2e4b0a1b2c3d4e5f6</dialog_id></extraParams></message>`,
    );
    expect(String(marker({ ...common, kind: 'displayed', id: '6744f4119c8d7e6f5a000000' }))).toBe(
      `<message type="chat" from="${ME}" to="${BOB}" id="6744f4119c8d7e6f5a000000"><displayed xmlns="urn:xmpp:chat-markers:0" id="6744f3f61a2b3c04d5000000"/><extraParams xmlns="jabber:client"><dialog_id>64a1f0c2e4b0a1b2c3d4e5f6</dialog_id></extraParams></message>`,
    );
  });

  it('§8 system message: no from, moduleIdentifier first', () => {
    expect(String(systemMessage({ to: BOB, id: '6744f8c01a2b3c04d5000000', body: 'dialog/UPDATE_DIALOG', extension: { photo_uid: '7caf00', name: 'Our photos' } }))).toBe(
      `<message type="headline" id="6744f8c01a2b3c04d5000000" to="${BOB}"><body>dialog/UPDATE_DIALOG</body><extraParams xmlns="jabber:client"><moduleIdentifier>SystemNotifications</moduleIdentifier><photo_uid>7caf00</photo_uid><name>Our photos</name></extraParams></message>`,
    );
    expect(String(systemMessage({ to: BOB, id: 'i' }))).toBe(`<message type="headline" id="i" to="${BOB}"/>`);
  });

  it('§3.3 ping, §6.1 presence, §6.2 carbons', () => {
    expect(String(pingIq({ id: 'u:ping', to: 'D' }))).toBe('<iq id="u:ping" type="get" to="D"><ping xmlns="urn:xmpp:ping"/></iq>');
    expect(String(initialPresence())).toBe('<presence/>');
    expect(String(enableCarbonsIq({ id: 'u:enableCarbons', from: ME }))).toBe(`<iq type="set" from="${ME}" id="u:enableCarbons"><enable xmlns="urn:xmpp:carbons:2"/></iq>`);
  });

  it('§6.3 join, §6.5 leave, §6.7 occupants', () => {
    expect(String(mucJoinPresence({ id: 'u:join', from: ME, to: `${ROOM}/5` }))).toBe(`<presence id="u:join" from="${ME}" to="${ROOM}/5"><x xmlns="http://jabber.org/protocol/muc"><history maxstanzas="0"/></x></presence>`);
    expect(String(mucLeavePresence({ from: ME, to: `${ROOM}/5` }))).toBe(`<presence type="unavailable" from="${ME}" to="${ROOM}/5"/>`);
    expect(String(mucOnlineUsersIq({ id: 'u:muc_disco_items', from: ME, to: ROOM }))).toBe(`<iq type="get" to="${ROOM}" from="${ME}" id="u:muc_disco_items"><query xmlns="http://jabber.org/protocol/disco#items"/></iq>`);
  });

  it('§11.1 stream management nonzas', () => {
    expect(String(smNonza('enable'))).toBe('<enable xmlns="urn:xmpp:sm:3"/>');
    expect(String(smNonza('r'))).toBe('<r xmlns="urn:xmpp:sm:3"/>');
    expect(String(smNonza('a', 7))).toBe('<a xmlns="urn:xmpp:sm:3" h="7"/>');
  });
});
