// Parity with the official SDK 6.1.2, which the server contract is written against: the same calls
// must put the same bytes on the wire, and the same incoming stanzas must reach the same listeners
// with the same arguments. The official chat runs with its socket write stubbed; ours runs through
// @xmpp/client over the scripted WebSocket. Generated ids are masked before comparing.
import { ChatEvent as OfficialChatEvent } from 'connectycube';
import { describe, expect, it } from 'vitest';
import type { ConnectyCube } from '../../connectycube.js';
import type { FakeXmppServer } from '../../testing/fake-xmpp-websocket.js';
import { PARITY_APP_ID, PARITY_DOMAIN, realtimePairSuite } from '../../testing/realtime-parity.js';
import type { ChatService } from '../index.js';
import { ChatEvent } from './events.js';
import { parseXml } from './xml.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the official chat object is driven through its runtime surface */

const APP_ID = PARITY_APP_ID;
const DOMAIN = PARITY_DOMAIN;
const DIALOG = '5c094c0ce588ce6856f87422';
const ROOM = `${APP_ID}_${DIALOG}@muc.${DOMAIN}`;
const PEER = `9-${APP_ID}@${DOMAIN}`;

type Chat = ChatService;

/** Outgoing calls, written once and run on both SDKs. */
const OUTGOING: Array<[string, (chat: Chat) => unknown]> = [
  ['send 1-1 with body and extension', (c) => c.send(9, { type: 'chat', body: 'How are you?', extension: { save_to_history: 1, dialog_id: DIALOG } })],
  [
    'send with attachments, nested objects, arrays and empty values',
    (c) =>
      c.send(9, {
        body: 'pics & <things>',
        extension: {
          attachments: [
            { uid: '9f1e', type: 'image', name: 'cat.png', size: 48211, width: 640, height: 480, meta: { a: 1 }, nothing: null },
            { uid: 'x', type: 'location', lat: 1.5, tags: ['a', 'b'] },
          ],
          customer_ref: 'A-17',
          flag: true,
          zero: 0,
          empty: '',
          none: null,
          missing: undefined,
          nested: { level: { deep: 'yes', n: 2, nil: null }, list: ['x', { y: 'z' }] },
          tags: ['a', 'b'],
          quote: `"'&<>`,
        },
      }),
  ],
  ['send to a dialog id (groupchat)', (c) => c.send(DIALOG, { body: 'Hello all', extension: { save_to_history: 1 } })],
  ['send to a room JID', (c) => c.send(ROOM, { body: 'via jid' })],
  ['send to a user JID', (c) => c.send(PEER, { body: 'to jid' })],
  ['send to a numeric string', (c) => c.send('9', { body: 'numeric string' })],
  ['send with an explicit id and type', (c) => c.send(9, { id: '6744f3f61a2b3c04d5000000', type: 'groupchat', body: 'typed' })],
  ['send without body, empty extension', (c) => c.send(9, { body: '', extension: {} })],
  ['send with no message', (c) => c.send(9)],
  ['system message with extension', (c) => c.sendSystemMessage(9, { body: 'dialog/UPDATE_DIALOG', extension: { photo_uid: '7caf', name: 'Our photos', obj: { k: 'v' } } })],
  ['system message without extension, with id', (c) => c.sendSystemMessage(9, { id: '6744f8c01a2b3c04d5000000', body: 'just text' })],
  ['system message to a JID', (c) => c.sendSystemMessage(PEER, { extension: { moduleIdentifier: 'custom' } })],
  ['typing 1-1', (c) => c.sendIsTypingStatus(9)],
  ['typing in a group', (c) => c.sendIsTypingStatus(DIALOG)],
  ['stop typing 1-1', (c) => c.sendIsStopTypingStatus(9)],
  ['stop typing in a room JID', (c) => c.sendIsStopTypingStatus(ROOM)],
  ['delivered status', (c) => c.sendDeliveredStatus({ messageId: '6744f3f61a2b3c04d5000000', userId: 9, dialogId: DIALOG })],
  ['read status', (c) => c.sendReadStatus({ messageId: '6744f3f61a2b3c04d5000000', userId: 9, dialogId: DIALOG })],
  ['muc join', (c) => void c.muc.join(DIALOG).catch(() => undefined)],
  ['muc join by JID', (c) => void c.muc.join(ROOM).catch(() => undefined)],
  ['muc leave', (c) => void c.muc.leave(DIALOG).catch(() => undefined)],
  ['muc listOnlineUsers', (c) => void c.muc.listOnlineUsers(DIALOG).catch(() => undefined)],
  ['ping', (c) => void c.ping().catch(() => undefined)],
  ['edit 1-1, last', (c) => c.editMessage({ to: 9, dialogId: DIALOG, body: 'How are you today?', originMessageId: '6744f3f61a2b3c04d5000000', last: true })],
  ['edit in a group with extension, not last', (c) => c.editMessage({ to: DIALOG, dialogId: DIALOG, body: 'fixed & <ok>', originMessageId: '6744f4021a2b3c04d5000000', extension: { edited_by: 'me', nested: { a: 1 } } })],
  ['delete 1-1', (c) => c.deleteMessage({ to: PEER, dialogId: DIALOG, messageId: '6744f3f61a2b3c04d5000000' })],
  ['delete in a group', (c) => c.deleteMessage({ to: DIALOG, dialogId: DIALOG, messageId: '6744f4021a2b3c04d5000000' })],
  ['mark active', (c) => c.markActive()],
  ['mark inactive', (c) => c.markInactive()],
];

/** Incoming stanzas (as the server sends them), run through both SDKs' readers. */
function incoming(own: string): Array<[string, string]> {
  return [
    ['1-1 content', `<message xmlns="jabber:client" from="${PEER}/r2" to="${own}" type="chat" id="6744f3f61a2b3c04d5000000"><body>How are you?</body><extraParams xmlns="jabber:client"><save_to_history>1</save_to_history><dialog_id>${DIALOG}</dialog_id><attachment uid="9f1e" type="image" name="cat.png" size="48211" width="640"/><customer_ref>A-17</customer_ref><empty></empty><nested><a>1</a><b><c>2</c></b><e></e></nested><tags><0>a</0><1>b</1></tags><date_sent>1732511478</date_sent></extraParams></message>`],
    ['group content', `<message xmlns="jabber:client" from="${ROOM}/9" to="${own}" type="groupchat" id="6744f4021a2b3c04d5000000"><body>Hello all</body><extraParams xmlns="jabber:client"><save_to_history>1</save_to_history><date_sent>1732511490</date_sent><dialog_id>${DIALOG}</dialog_id></extraParams></message>`],
    ['group reflection of own message', `<message xmlns="jabber:client" from="${ROOM}/5" to="${own}" type="groupchat" id="6744f4021a2b3c04d5000001"><body>mine</body></message>`],
    ['1-1 without dialog id', `<message xmlns="jabber:client" from="${PEER}/r2" to="${own}" type="chat" id="m3"><body>no dialog</body></message>`],
    ['offline message with delay', `<message xmlns="jabber:client" from="${PEER}/r2" to="${own}" type="chat" id="m4"><body>late</body><extraParams xmlns="jabber:client"><dialog_id>${DIALOG}</dialog_id></extraParams><delay xmlns="urn:xmpp:delay" from="${DOMAIN}" stamp="2026-11-25T05:11:18Z">Offline Storage</delay></message>`],
    ['sent carbon', `<message xmlns="jabber:client" type="chat" from="5-${APP_ID}@${DOMAIN}" to="${own}"><sent xmlns="urn:xmpp:carbons:2"><forwarded xmlns="urn:xmpp:forward:0"><message xmlns="jabber:client" type="chat" id="m5" from="5-${APP_ID}@${DOMAIN}/otherdevice" to="${PEER}"><body>hi</body><extraParams xmlns="jabber:client"><dialog_id>${DIALOG}</dialog_id></extraParams></message></forwarded></sent></message>`],
    ['message without type', `<message xmlns="jabber:client" from="${PEER}/r2" to="${own}" id="m6"><body>normal</body><extraParams xmlns="jabber:client"><dialog_id>${DIALOG}</dialog_id></extraParams></message>`],
    ['own-resource echo', `<message xmlns="jabber:client" from="${own}" to="${PEER}" type="chat" id="m7"><body>echo</body></message>`],
    ['invite', `<message xmlns="jabber:client" from="${ROOM}" to="${own}" id="m8"><x xmlns="http://jabber.org/protocol/muc#user"><invite from="${PEER}"/></x><body>join us</body></message>`],
    ['typing 1-1', `<message xmlns="jabber:client" from="${PEER}/r2" to="${own}" type="chat"><composing xmlns="http://jabber.org/protocol/chatstates"/></message>`],
    ['paused in group', `<message xmlns="jabber:client" from="${ROOM}/9" to="${own}" type="groupchat"><paused xmlns="http://jabber.org/protocol/chatstates"/></message>`],
    ['delivered marker', `<message xmlns="jabber:client" type="chat" from="${PEER}/r2" id="x1" to="${own}"><received xmlns="urn:xmpp:chat-markers:0" id="6744f3f61a2b3c04d5000000"/><extraParams xmlns="jabber:client"><dialog_id>${DIALOG}</dialog_id></extraParams></message>`],
    ['read marker', `<message xmlns="jabber:client" type="chat" from="${PEER}/r2" to="${own}" id="x2"><displayed xmlns="urn:xmpp:chat-markers:0" id="6744f3f61a2b3c04d5000000"/><extraParams xmlns="jabber:client"><dialog_id>${DIALOG}</dialog_id></extraParams></message>`],
    ['marker in groupchat (ignored)', `<message xmlns="jabber:client" type="groupchat" from="${ROOM}/9" to="${own}" id="x3"><displayed xmlns="urn:xmpp:chat-markers:0" id="y"/></message>`],
    ['system message', `<message xmlns="jabber:client" type="headline" id="6744f8c01a2b3c04d5000000" from="${PEER}/r2" to="${own}"><body>dialog/UPDATE_DIALOG</body><extraParams xmlns="jabber:client"><moduleIdentifier>SystemNotifications</moduleIdentifier><photo_uid>7caf</photo_uid><name>Our photos</name></extraParams></message>`],
    ['headline without module (dropped)', `<message xmlns="jabber:client" type="headline" id="h2" from="${PEER}/r2" to="${own}"><body>bare</body></message>`],
    ['message error', `<message xmlns="jabber:client" type="error" id="6744f3f61a2b3c04d5000000" from="${PEER}" to="${own}"><error code="503" type="cancel"><service-unavailable xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/><text xmlns="urn:ietf:params:xml:ns:xmpp-stanzas">Service not available.</text></error></message>`],
    ['message error without code', `<message xmlns="jabber:client" type="error" id="e2" from="${PEER}" to="${own}"><error type="cancel"><bad-request xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></message>`],
    ['occupant joins', `<presence xmlns="jabber:client" from="${ROOM}/9" to="${own}"><x xmlns="http://jabber.org/protocol/muc#user"><item affiliation="member" role="participant" jid="${PEER}/r2"/></x></presence>`],
    ['occupant leaves', `<presence xmlns="jabber:client" type="unavailable" from="${ROOM}/9" to="${own}"><x xmlns="http://jabber.org/protocol/muc#user"><item affiliation="member" role="none"/></x></presence>`],
    ['kick with actor', `<presence xmlns="jabber:client" type="unavailable" from="${ROOM}/5" to="${own}"><x xmlns="http://jabber.org/protocol/muc#user"><item affiliation="none" role="none"><actor jid="3-${APP_ID}@${DOMAIN}"/></item><status code="301"/><status code="110"/><xmlns><code>301</code></xmlns></x><item affiliation="none" role="none"><actor jid="3-${APP_ID}@${DOMAIN}"/></item></presence>`],
    ['kick without actor', `<presence xmlns="jabber:client" type="unavailable" from="${ROOM}/5" to="${own}"><x xmlns="http://jabber.org/protocol/muc#user"><status code="301"/><status code="110"/><xmlns><code>301</code></xmlns></x></presence>`],
    ['edit 1-1', `<message xmlns="jabber:client" from="${PEER}/r2" to="${own}" type="chat" id="6744f5a01a2b3c04d5000000"><body>How are you today?</body><replace xmlns="urn:xmpp:message-correct:0" id="6744f3f61a2b3c04d5000000" last="true"/><extraParams xmlns="jabber:client"><dialog_id>${DIALOG}</dialog_id><edited_by>9</edited_by></extraParams></message>`],
    ['edit in a group, not last, no extraParams', `<message xmlns="jabber:client" from="${ROOM}/9" to="${own}" type="groupchat" id="6744f5a01a2b3c04d5000001"><body>fixed</body><replace xmlns="urn:xmpp:message-correct:0" id="6744f4021a2b3c04d5000000" last="false"/></message>`],
    ['edit as a sent carbon', `<message xmlns="jabber:client" type="chat" from="5-${APP_ID}@${DOMAIN}" to="${own}"><sent xmlns="urn:xmpp:carbons:2"><forwarded xmlns="urn:xmpp:forward:0"><message xmlns="jabber:client" type="chat" id="m9" from="5-${APP_ID}@${DOMAIN}/otherdevice" to="${PEER}"><body>mine, fixed</body><replace xmlns="urn:xmpp:message-correct:0" id="6744f3f61a2b3c04d5000000" last="true"/><extraParams xmlns="jabber:client"><dialog_id>${DIALOG}</dialog_id></extraParams></message></forwarded></sent></message>`],
    ['delete 1-1', `<message xmlns="jabber:client" from="5-${APP_ID}@${DOMAIN}" to="${own}" type="chat" id="6744f6001a2b3c04d5000000"><remove xmlns="urn:xmpp:message-delete:0" id="6744f3f61a2b3c04d5000000"/><extraParams xmlns="jabber:client"><dialog_id>${DIALOG}</dialog_id></extraParams></message>`],
    ['delete in a group', `<message xmlns="jabber:client" from="${ROOM}/9" to="${own}" type="groupchat" id="6744f6001a2b3c04d5000001"><remove xmlns="urn:xmpp:message-delete:0" id="6744f4021a2b3c04d5000000"/><extraParams xmlns="jabber:client"><dialog_id>${DIALOG}</dialog_id></extraParams></message>`],
    ['reactions in a group', `<message xmlns="jabber:client" type="groupchat" from="${ROOM}/9" to="${own}" id="6744f7aa0e0f1a2b3c4d5e6f"><extraParams xmlns="jabber:client"><dialog_id>${DIALOG}</dialog_id></extraParams><reactions message_id="6744f4021a2b3c04d5000000" user_id="9"><reaction add="true" type="🔥"/><reaction remove="true" type="👎"/><reaction add="true" type="🚀"/></reactions></message>`],
    ['reactions 1-1, remove only', `<message xmlns="jabber:client" type="chat" from="${PEER}" to="${own}" id="6744f7aa0e0f1a2b3c4d5e70"><extraParams xmlns="jabber:client"><dialog_id>${DIALOG}</dialog_id></extraParams><reactions message_id="6744f3f61a2b3c04d5000000" user_id="9"><reaction remove="true" type="👎"/></reactions></message>`],
    ['reactions as a groupchat carbon (ignored)', `<message xmlns="jabber:client" type="groupchat" from="5-${APP_ID}@${DOMAIN}" to="${own}"><sent xmlns="urn:xmpp:carbons:2"><forwarded xmlns="urn:xmpp:forward:0"><message xmlns="jabber:client" type="groupchat" from="${ROOM}/9" id="r3"><reactions message_id="6744f4021a2b3c04d5000000" user_id="9"><reaction add="true" type="🔥"/></reactions></message></forwarded></sent></message>`],
    ['own presence echo (ignored)', `<presence xmlns="jabber:client" from="${own}" to="5-${APP_ID}@${DOMAIN}"/>`],
  ];
}

const LISTENERS = [
  'onMessageListener',
  'onSystemMessageListener',
  'onMessageErrorListener',
  'onMessageTypingListener',
  'onDeliveredStatusListener',
  'onReadStatusListener',
  'onJoinOccupant',
  'onLeaveOccupant',
  'onKickOccupant',
  'onMessageUpdateListener',
  'onMessageDeleteListener',
  'onMessageReactionsListener',
] as const;

/** Listener calls as comparable data (XML elements as their text). */
function recordListeners(chat: Record<string, unknown>, calls: unknown[][]): void {
  const plain = (value: unknown): unknown => {
    if (value && typeof value === 'object' && 'attrs' in value && 'children' in value) return String(value);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]));
    return value;
  };
  for (const name of LISTENERS) chat[name] = (...args: unknown[]) => calls.push([name, ...args.map(plain)]);
}

/** Masks generated ObjectIds and UUID stanza ids. */
function mask(text: string): string {
  return text.replace(/"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}(:[a-zA-Z_]+)?"/g, '"UUID$1"').replace(/id="[0-9a-f]{24}"/g, (match) => (match.includes('6744') ? match : 'id="OBJECTID"'));
}

let server: FakeXmppServer;
let ours: ConnectyCube;
let own = '';
let official: any;
const { oursWrites, officialWrites } = realtimePairSuite((pair) => ({ server, ours, own, official } = pair));

describe('real-time chat: same stanzas as the official SDK', () => {
  it.each(OUTGOING)('%s', async (_name, call) => {
    const theirs = officialWrites(() => call(official as Chat));
    const mine = await oursWrites(() => call(ours.chat));
    expect(mine.map(mask)).toEqual(theirs.map(mask));
    expect(mine.length).toBeGreaterThan(0);
  });

  it('returns the same message id and writes it back into the message', () => {
    const theirs = { body: 'x' };
    const mine = { body: 'x' };
    const theirId = official.send(9, theirs);
    const myId = ours.chat.send(9, mine);
    expect(theirs).toEqual({ body: 'x', id: theirId });
    expect(mine).toEqual({ body: 'x', id: myId });
    expect(myId).toMatch(/^[0-9a-f]{24}$/);
    expect(official.sendSystemMessage(9, { id: 'given' })).toBe(ours.chat.sendSystemMessage(9, { id: 'given' }));
  });
});

describe('real-time chat: same listener calls as the official SDK', () => {
  it('exports ChatEvent with the same names and values', () => {
    expect({ ...ChatEvent }).toEqual({ ...OfficialChatEvent });
  });

  it('addListener(event) sets the same listener property', () => {
    for (const event of Object.values(ChatEvent)) {
      const listener = () => undefined;
      official.addListener(event, listener);
      ours.chat.addListener(event, listener as never);
      const theirs = Object.keys(official).filter((key) => official[key] === listener);
      const mine = Object.keys(ours.chat).filter((key) => (ours.chat as unknown as Record<string, unknown>)[key] === listener);
      expect(mine).toEqual(theirs);
      official.removeListener(event);
      ours.chat.removeListener(event);
    }
  });

  it.each(incoming('OWN').map(([name]) => [name]))('%s', async (name) => {
    const [, stanza] = incoming(own).find(([candidate]) => candidate === name)!;
    const theirCalls: unknown[][] = [];
    const myCalls: unknown[][] = [];
    recordListeners(official, theirCalls);
    recordListeners(ours.chat as unknown as Record<string, unknown>, myCalls);

    const theirWrites = officialWrites(() => {
      const [element] = parseXml(stanza);
      const type = element!.attrs.type;
      if (element!.name === 'presence') official.onPresence(element);
      else if (type === 'headline') official.onSystemMessage(element);
      else if (type === 'error') official.onMessageError(element);
      else official.onMessage(element);
    });
    const myWrites = await oursWrites(() => server.socket.push(stanza));

    expect(myCalls).toEqual(theirCalls);
    expect(myWrites.map(mask)).toEqual(theirWrites.map(mask));
  });
});
