// The connection lifecycle and the listener dispatch of `chat.*`, driven through @xmpp/client
// against a scripted WebSocket (see testing/fake-xmpp-websocket.ts).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectyCube } from '../../connectycube.js';
import { FakeXmppServer } from '../../testing/fake-xmpp-websocket.js';
import { ChatEvent } from './events.js';
import { NO_WEBSOCKET_MESSAGE, NOT_CONNECTED_MESSAGE } from './realtime-chat.js';
import type { Message, MessageParams } from './types.js';

const APP_ID = 7;
const DOMAIN = 'chat.example.com';
const DIALOG = '5c094c0ce588ce6856f87422';
const ROOM = `${APP_ID}_${DIALOG}@muc.${DOMAIN}`;
const PEER = `9-${APP_ID}@${DOMAIN}`;

const clients: ConnectyCube[] = [];

function client(server: FakeXmppServer, chat: Record<string, unknown> = {}): ConnectyCube {
  const cc = new ConnectyCube();
  cc.init({ appId: APP_ID, token: 'TOK' }, { endpoints: { api_url: 'http://127.0.0.1:1', chat: DOMAIN, chat_url: 'ws://localhost/ws' }, chat: { websocket: server.WebSocket, ...chat } });
  clients.push(cc);
  return cc;
}

async function connected(chat: Record<string, unknown> = {}) {
  const server = new FakeXmppServer();
  const cc = client(server, chat);
  await expect(cc.chat.connect({ userId: 5, password: 'secret' })).resolves.toBe(true);
  // The server's <enabled/> is still on its way when connect resolves (the SDK tracks nothing before it).
  const smEnabled = new Promise<void>((resolve) => {
    cc.chat.xmppClient?.on('element', (element: { name: string }) => element.name === 'enabled' && resolve());
  });
  if (chat.streamManagement) await smEnabled;
  // Carbons and the initial presence follow `online`.
  await vi.waitFor(() => expect(server.stanzas.length).toBeGreaterThanOrEqual(2));
  return { server, cc, chat: cc.chat, own: cc.chat.helpers.userCurrentJid };
}

/** Stanzas the client sent after `from`, as strings. */
function sentSince(server: FakeXmppServer, from: number): string[] {
  return server.stanzas.slice(from).map(String);
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((cc) => cc.chat.disconnect()));
});

describe('chat.connect', () => {
  it('logs in as {userId}-{appId}, then enables carbons and sends the initial presence', async () => {
    const { server, chat, own } = await connected();
    expect(server.username).toBe(`5-${APP_ID}`);
    expect(server.socket.protocols).toEqual(['xmpp']);
    expect(server.socket.url).toBe('ws://localhost/ws');
    expect(chat.isConnected).toBe(true);
    expect(chat.connectionStatus).toBe('online');
    expect(chat.currentUserId).toBe(5);
    expect(own).toMatch(new RegExp(`^5-${APP_ID}@${DOMAIN}/fakeresource`));
    const [carbons, presence] = server.stanzas.map(String);
    expect(carbons).toMatch(new RegExp(`^<iq type="set" from="${own}" id="[0-9a-f-]{36}:enableCarbons" xmlns="jabber:client"><enable xmlns="urn:xmpp:carbons:2"/></iq>$`));
    expect(presence).toBe('<presence xmlns="jabber:client"/>');
    expect(server.frames.some((frame) => frame.includes('urn:xmpp:sm:3'))).toBe(false);
  });

  it('resolves false when already connected', async () => {
    const { chat } = await connected();
    await expect(chat.connect({ userId: 5, password: 'secret' })).resolves.toBe(false);
  });

  it('rejects with the SASL condition and does not retry', async () => {
    const server = new FakeXmppServer();
    const cc = client(server);
    const errors = vi.fn();
    cc.chat.onConnectionErrorListener = errors;
    await expect(cc.chat.connect({ userId: 5, password: 'wrong' })).rejects.toBe('not-authorized');
    expect(cc.chat.isConnected).toBe(false);
    expect(cc.chat.connectionStatus).toBe('offline');
    expect(server.sockets).toHaveLength(1);
    // A later connect with the right password works on a fresh client.
    await expect(cc.chat.connect({ userId: 5, password: 'secret' })).resolves.toBe(true);
    expect(server.sockets).toHaveLength(2);
    // The failure was reported once, through the rejection.
    expect(errors).not.toHaveBeenCalled();
  });

  it('explains how to provide a WebSocket when the runtime has none', async () => {
    const cc = new ConnectyCube();
    cc.init({ appId: APP_ID }, { endpoints: { chat: DOMAIN, chat_url: 'ws://localhost/ws' } });
    const saved = globalThis.WebSocket;
    Reflect.deleteProperty(globalThis, 'WebSocket');
    try {
      await expect(cc.chat.connect({ userId: 5, password: 'secret' })).rejects.toThrow(NO_WEBSOCKET_MESSAGE);
    } finally {
      if (saved) globalThis.WebSocket = saved;
    }
  });

  it('disconnect closes the stream, reports it, and stops', async () => {
    const { server, chat } = await connected();
    const disconnected = vi.fn();
    chat.onDisconnectedListener = disconnected;
    await expect(chat.disconnect()).resolves.toBe(true);
    expect(server.frames.at(-1)).toBe('<close xmlns="urn:ietf:params:xml:ns:xmpp-framing"/>');
    expect(disconnected).toHaveBeenCalledTimes(1);
    expect(chat.isConnected).toBe(false);
    expect(chat.helpers.userCurrentJid).toBe('');
    expect(server.socket.isOpen).toBe(false);
  });

  it('reconnects after the server drops the socket and reports onReconnectListener', async () => {
    const { server, chat } = await connected({ reconnect: { timeInterval: 0.01 } });
    const disconnected = vi.fn();
    const reconnected = new Promise<void>((resolve) => (chat.onReconnectListener = resolve));
    chat.onDisconnectedListener = disconnected;
    const before = server.stanzas.length;
    server.socket.drop();
    await reconnected;
    expect(disconnected).toHaveBeenCalledTimes(1);
    expect(server.sockets).toHaveLength(2);
    expect(chat.isConnected).toBe(true);
    expect(chat.helpers.userCurrentJid).toMatch(/fakeresource2/);
    await vi.waitFor(() => expect(server.stanzas.length).toBe(before + 2));
    expect(sentSince(server, before)[1]).toBe('<presence xmlns="jabber:client"/>');
  });

  it('with chat.ping enabled, an unanswered keep-alive ping drops the connection and reconnects', async () => {
    const { server, chat } = await connected({ ping: { enable: true, timeInterval: 0.02, timeout: 0.02 }, reconnect: { timeInterval: 0.01 } });
    const errors = vi.fn();
    chat.onConnectionErrorListener = errors;
    server.answerPings = false;
    await new Promise<void>((resolve) => (chat.onReconnectListener = resolve));
    expect(server.sockets).toHaveLength(2);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('Timed out after 20ms'));
  });

  it('with reconnect disabled, a lost connection stays down', async () => {
    const { server, chat } = await connected({ reconnect: { enable: false } });
    const disconnected = new Promise<void>((resolve) => (chat.onDisconnectedListener = resolve));
    server.socket.drop();
    await disconnected;
    expect(chat.isConnected).toBe(false);
    await vi.waitFor(() => expect(chat.connectionStatus).toBe('offline'));
    expect(server.sockets).toHaveLength(1);
  });
});

describe('chat.ping', () => {
  it('pings the chat domain', async () => {
    const { server, chat } = await connected();
    await expect(chat.ping()).resolves.toBeUndefined();
    expect(String(server.stanzas.at(-1))).toMatch(new RegExp(`^<iq id="[0-9a-f-]{36}:ping" type="get" to="${DOMAIN}" xmlns="jabber:client"><ping xmlns="urn:xmpp:ping"/></iq>$`));
  });

  it('pingWithTimeout rejects and reports when no answer comes', async () => {
    const { server, chat } = await connected();
    server.answerPings = false;
    const errors = vi.fn();
    chat.onConnectionErrorListener = errors;
    const expected = `Failed to ping chat server ws://localhost/ws. Timed out after 20ms`;
    await expect(chat.pingWithTimeout(20)).rejects.toBe(expected);
    expect(errors).toHaveBeenCalledWith(expected);
  });

  it('rejects when not connected', async () => {
    const cc = client(new FakeXmppServer());
    await expect(cc.chat.ping()).rejects.toThrow(NOT_CONNECTED_MESSAGE);
  });
});

describe('incoming stanzas', () => {
  it('reports a 1-1 message and sends the automatic delivered marker', async () => {
    const { server, chat, own } = await connected();
    const received = new Promise<[number | null, Message]>((resolve) => (chat.onMessageListener = (userId, message) => resolve([userId, message])));
    const before = server.stanzas.length;
    server.socket.push(
      `<message xmlns="jabber:client" from="${PEER}/other" to="${own}" type="chat" id="6744f3f61a2b3c04d5000000"><body>hi</body><extraParams xmlns="jabber:client"><save_to_history>1</save_to_history><dialog_id>${DIALOG}</dialog_id></extraParams></message>`,
    );
    const [userId, message] = await received;
    expect(userId).toBe(9);
    expect(message).toEqual({
      id: '6744f3f61a2b3c04d5000000',
      dialog_id: DIALOG,
      recipient_id: 5,
      is_forwarded: false,
      type: 'chat',
      body: 'hi',
      extension: { save_to_history: '1', dialog_id: DIALOG },
      delay: undefined,
    });
    await vi.waitFor(() => expect(server.stanzas.length).toBe(before + 1));
    expect(sentSince(server, before)[0]).toMatch(
      new RegExp(`^<message type="chat" from="${own}" id="[0-9a-f]{24}" to="${PEER}" xmlns="jabber:client"><received xmlns="urn:xmpp:chat-markers:0" id="6744f3f61a2b3c04d5000000"/><extraParams xmlns="jabber:client"><dialog_id>${DIALOG}</dialog_id></extraParams></message>$`),
    );
  });

  it('drops a 1-1 message whose from contains the own resource', async () => {
    const { server, chat, own } = await connected();
    const messages = vi.fn();
    chat.onMessageListener = messages;
    const typing = new Promise<void>((resolve) => (chat.onMessageTypingListener = () => resolve()));
    server.socket.push(`<message xmlns="jabber:client" from="${own}" to="${PEER}" type="chat" id="a"><body>echo</body></message>`);
    // A later stanza proves the first one was processed (and dropped).
    server.socket.push(`<message xmlns="jabber:client" from="${PEER}/x" type="chat"><composing xmlns="http://jabber.org/protocol/chatstates"/></message>`);
    await typing;
    expect(messages).not.toHaveBeenCalled();
  });

  it('dispatches typing, markers, system messages, errors and room occupants to their listeners', async () => {
    const { server, chat, own } = await connected();
    const calls: unknown[][] = [];
    const record = (name: string) => (...args: unknown[]) => calls.push([name, ...args]);
    chat.onMessageTypingListener = record('typing');
    chat.onDeliveredStatusListener = record('delivered');
    chat.onReadStatusListener = record('read');
    chat.onSystemMessageListener = record('system');
    chat.onMessageErrorListener = record('error');
    chat.onJoinOccupant = record('join');
    chat.onLeaveOccupant = record('leave');
    const done = new Promise<void>((resolve) => (chat.onKickOccupant = (...args) => (record('kick')(...args), resolve())));
    const sock = server.socket;
    sock.push(`<message xmlns="jabber:client" from="${ROOM}/9" to="${own}" type="groupchat"><composing xmlns="http://jabber.org/protocol/chatstates"/></message>`);
    sock.push(`<message xmlns="jabber:client" from="${PEER}/x" to="${own}" type="chat"><paused xmlns="http://jabber.org/protocol/chatstates"/></message>`);
    sock.push(`<message xmlns="jabber:client" type="chat" from="${PEER}/x" id="m1" to="${own}"><received xmlns="urn:xmpp:chat-markers:0" id="orig"/><extraParams xmlns="jabber:client"><dialog_id>${DIALOG}</dialog_id></extraParams></message>`);
    sock.push(`<message xmlns="jabber:client" type="chat" from="${PEER}/x" to="${own}" id="m2"><displayed xmlns="urn:xmpp:chat-markers:0" id="orig"/><extraParams xmlns="jabber:client"><dialog_id>${DIALOG}</dialog_id></extraParams></message>`);
    sock.push(`<message xmlns="jabber:client" type="headline" id="s1" from="${PEER}/x" to="${own}"><body>dialog/UPDATE</body><extraParams xmlns="jabber:client"><moduleIdentifier>SystemNotifications</moduleIdentifier><name>Ours</name></extraParams></message>`);
    sock.push(`<message xmlns="jabber:client" type="error" id="e1" from="${PEER}" to="${own}"><error code="503" type="cancel"><service-unavailable xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/><text xmlns="urn:ietf:params:xml:ns:xmpp-stanzas">Service not available.</text></error></message>`);
    sock.push(`<presence xmlns="jabber:client" from="${ROOM}/9" to="${own}"><x xmlns="http://jabber.org/protocol/muc#user"><item affiliation="member" role="participant"/></x></presence>`);
    sock.push(`<presence xmlns="jabber:client" type="unavailable" from="${ROOM}/9" to="${own}"><x xmlns="http://jabber.org/protocol/muc#user"><item affiliation="member" role="none"/></x></presence>`);
    sock.push(`<presence xmlns="jabber:client" type="unavailable" from="${ROOM}/5" to="${own}"><x xmlns="http://jabber.org/protocol/muc#user"><item affiliation="none" role="none"><actor jid="3-${APP_ID}@${DOMAIN}"/></item><status code="301"/><status code="110"/><xmlns><code>301</code></xmlns></x><item affiliation="none" role="none"><actor jid="3-${APP_ID}@${DOMAIN}"/></item></presence>`);
    await done;
    expect(calls).toEqual([
      ['typing', true, 9, DIALOG],
      ['typing', false, 9, null],
      ['delivered', 'orig', DIALOG, 9],
      ['read', 'orig', DIALOG, 9],
      ['system', { id: 's1', userId: 9, body: 'dialog/UPDATE', extension: { name: 'Ours' } }],
      ['error', 'e1', { code: 503, info: 'Service not available.' }],
      ['join', DIALOG, 9],
      ['leave', DIALOG, 9],
      ['kick', DIALOG, 3],
    ]);
  });

  it('a throwing listener does not stop later stanzas', async () => {
    const { server, chat } = await connected();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    chat.onMessageTypingListener = () => {
      throw new Error('app bug');
    };
    const delivered = new Promise<void>((resolve) => (chat.onDeliveredStatusListener = () => resolve()));
    server.socket.push(`<message xmlns="jabber:client" from="${PEER}/x" type="chat"><composing xmlns="http://jabber.org/protocol/chatstates"/></message>`);
    server.socket.push(`<message xmlns="jabber:client" type="chat" from="${PEER}/x"><received xmlns="urn:xmpp:chat-markers:0" id="o"/></message>`);
    await delivered;
    expect(errors).toHaveBeenCalled();
    errors.mockRestore();
  });

  it('addListener sets the property, its remover clears it', async () => {
    const { chat } = await connected();
    const listener = vi.fn();
    const remove = chat.addListener(ChatEvent.MESSAGE, listener);
    expect(chat.onMessageListener).toBe(listener);
    remove();
    expect(chat.onMessageListener).toBeUndefined();
    chat.onSentMessageCallback = vi.fn();
    chat.removeAllListeners();
    expect(chat.onSentMessageCallback).toBeUndefined();
  });
});

describe('chat.muc', () => {
  it('join resolves on the self-presence (id echoed), leave on the own unavailable', async () => {
    const { server, chat, own } = await connected();
    server.onStanza = (stanza, socket) => {
      if (!stanza.is('presence') || !stanza.attrs.to?.startsWith(ROOM)) return;
      const type = stanza.attrs.type === 'unavailable' ? ' type="unavailable"' : '';
      const id = stanza.attrs.id ? ` id="${stanza.attrs.id}"` : '';
      socket.push(`<presence xmlns="jabber:client"${type}${id} from="${ROOM}/5" to="${own}"><x xmlns="http://jabber.org/protocol/muc#user"><item affiliation="member" role="participant"/><status code="110"/><xmlns><code>110</code></xmlns></x></presence>`);
    };
    await chat.muc.join(DIALOG);
    expect(chat.muc.joinedRooms).toEqual({ [ROOM]: true });
    expect(String(server.stanzas.at(-1))).toMatch(
      new RegExp(`^<presence id="[0-9a-f-]{36}:join" from="${own}" to="${ROOM}/5" xmlns="jabber:client"><x xmlns="http://jabber.org/protocol/muc"><history maxstanzas="0"/></x></presence>$`),
    );
    await chat.muc.leave(DIALOG);
    expect(chat.muc.joinedRooms).toEqual({});
    expect(String(server.stanzas.at(-1))).toBe(`<presence type="unavailable" from="${own}" to="${ROOM}/5" xmlns="jabber:client"/>`);
  });

  it('join rejects with {code, message} on a room error', async () => {
    const { server, chat, own } = await connected();
    server.onStanza = (stanza, socket) => {
      if (stanza.is('presence') && stanza.attrs.id) {
        socket.push(`<presence xmlns="jabber:client" type="error" id="${stanza.attrs.id}" from="${ROOM}/5" to="${own}"><x xmlns="http://jabber.org/protocol/muc"/><error type="auth" code="407"><registration-required xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/><text xmlns="urn:ietf:params:xml:ns:xmpp-stanzas">You are not an occupant of this dialog</text></error></presence>`);
      }
    };
    await expect(chat.muc.join(DIALOG)).rejects.toEqual({ code: '407', message: 'You are not an occupant of this dialog' });
  });

  it('listOnlineUsers reads the occupant ids', async () => {
    const { server, chat, own } = await connected();
    server.onStanza = (stanza, socket) => {
      if (stanza.is('iq') && stanza.getChild('query')) {
        socket.push(`<iq xmlns="jabber:client" type="result" from="${ROOM}" to="${own}" id="${stanza.attrs.id}"><query xmlns="http://jabber.org/protocol/disco#items"><item jid="${ROOM}/5" name="5"/><item jid="${ROOM}/9" name="9"/></query></iq>`);
      }
    };
    await expect(chat.muc.listOnlineUsers(DIALOG)).resolves.toEqual([5, 9]);
  });
});

describe('sent status (chat.streamManagement.enable)', () => {
  it('enables SM after connect and reports acknowledged content messages as sent', async () => {
    const { server, chat } = await connected({ streamManagement: { enable: true } });
    expect(server.frames).toContain('<enable xmlns="urn:xmpp:sm:3"/>');
    // xmpp.js's own SM plugin stays out of it: no resume request.
    expect(server.frames.some((frame) => frame.includes('resume'))).toBe(false);
    await vi.waitFor(() => expect(server.frames.filter((f) => f.includes('carbons')).length).toBe(1));
    const sent = new Promise<[MessageParams | null, MessageParams | null]>((resolve) => (chat.onSentMessageCallback = (lost, ok) => resolve([lost, ok])));
    const message: MessageParams = { body: 'hello', extension: { save_to_history: 1 } };
    const id = chat.send(9, message);
    expect(message.id).toBe(id);
    await expect(sent).resolves.toEqual([null, message]);
    expect(server.frames).toContain('<r xmlns="urn:xmpp:sm:3"/>');
  });

  it('answers a server <r/> with the number of elements received since <enabled/>', async () => {
    const { server } = await connected({ streamManagement: { enable: true } });
    await vi.waitFor(() => expect(server.frames).toContain('<presence xmlns="jabber:client"/>'));
    server.socket.push('<r xmlns="urn:xmpp:sm:3"/>');
    await vi.waitFor(() => expect(server.frames.filter((frame) => frame.startsWith('<a '))).toEqual(['<a xmlns="urn:xmpp:sm:3" h="0"/>']));
  });

  it('reports queued messages lost when the connection drops', async () => {
    const { server, chat } = await connected({ streamManagement: { enable: true }, reconnect: { enable: false } });
    server.answerAcks = false;
    const lost = new Promise<MessageParams | null>((resolve) => (chat.onSentMessageCallback = (message) => resolve(message)));
    const message = { body: 'into the void' };
    chat.send(9, message);
    await vi.waitFor(() => expect(server.frames).toContain('<r xmlns="urn:xmpp:sm:3"/>'));
    server.socket.drop();
    await expect(lost).resolves.toBe(message);
  });
});

describe('early messages', () => {
  it('holds messages that arrive before the client is online, then reports them', async () => {
    const server = new FakeXmppServer();
    const cc = client(server);
    // A 1-1 message read before binding would be dropped (no own resource to compare `from` with yet).
    server.beforeBindResult.push(`<message xmlns="jabber:client" from="${PEER}/x" type="chat" id="early1"><body>first!</body><extraParams xmlns="jabber:client"><dialog_id>${DIALOG}</dialog_id></extraParams></message>`);
    const received = new Promise<Message>((resolve) => (cc.chat.onMessageListener = (_userId, message) => resolve(message)));
    await cc.chat.connect({ userId: 5, password: 'secret' });
    await expect(received).resolves.toMatchObject({ id: 'early1', body: 'first!', dialog_id: DIALOG });
  });
});
