// Opt-in session resumption (`chat.streamManagement.resume`), driven through @xmpp/client against
// the scripted WebSocket (testing/fake-xmpp-websocket.ts).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectyCube } from '../../connectycube.js';
import { FakeXmppServer } from '../../testing/fake-xmpp-websocket.js';
import { ACK_REQUEST_EVERY } from './resumption.js';
import type { Message } from './types.js';

const APP_ID = 7;
const DOMAIN = 'chat.example.com';
const PEER = `9-${APP_ID}@${DOMAIN}`;
const SM = 'urn:xmpp:sm:3';

const clients: ConnectyCube[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((cc) => cc.chat.disconnect()));
});

async function connected(streamManagement: Record<string, unknown>) {
  const server = new FakeXmppServer();
  const cc = new ConnectyCube();
  clients.push(cc);
  cc.init(
    { appId: APP_ID, token: 'TOK' },
    { endpoints: { api_url: 'http://127.0.0.1:1', chat: DOMAIN, chat_url: 'ws://localhost/ws' }, chat: { websocket: server.WebSocket, streamManagement, reconnect: { timeInterval: 0.01 } } },
  );
  const enabled = new Promise<void>((resolve) => {
    void cc.chat.connect({ userId: 5, password: 'secret' }).then(() => cc.chat.xmppClient?.on('element', (element: { name: string }) => element.name === 'enabled' && resolve()));
  });
  await enabled;
  await vi.waitFor(() => expect(server.stanzas.length).toBeGreaterThanOrEqual(2)); // carbons, presence
  return { server, cc, chat: cc.chat };
}

const pushMessage = (server: FakeXmppServer, own: string, id: string) =>
  server.socket.push(`<message xmlns="jabber:client" from="${PEER}/r2" to="${own}" type="chat" id="${id}"><body>${id}</body></message>`);

describe('chat.streamManagement.resume', () => {
  it('asks for a resumable session, resumes it after a socket loss, re-sends what the server did not count', async () => {
    const { server, chat } = await connected({ resume: true });
    expect(server.frames).toContain(`<enable xmlns="${SM}" resume="true"/>`);
    const own = chat.helpers.userCurrentJid;
    const received: string[] = [];
    chat.onMessageListener = (_userId, message: Message) => received.push(message.body ?? '');
    let reconnects = 0;
    chat.onReconnectListener = () => (reconnects += 1);
    const statuses: string[] = [];
    chat.onChatStatusListener = (status: string) => statuses.push(status);

    pushMessage(server, own, 'in-1');
    pushMessage(server, own, 'in-2');
    await vi.waitFor(() => expect(received).toEqual(['in-1', 'in-2']));
    chat.send(9, { body: 'counted' });
    await vi.waitFor(() => expect(server.stanzas.map(String).some((s) => s.includes('counted'))).toBe(true));
    const handledBefore = server.smHandled;
    server.socket.swallow(); // dead, not noticed yet: this one never reaches the server
    chat.send(9, { body: 'lost-on-the-wire' });
    const firstSocket = server.socket;
    server.afterResumed = [`<message xmlns="jabber:client" from="${PEER}/r2" to="${own}" type="chat" id="while-down"><body>while-down</body></message>`];
    const disconnected = new Promise<void>((resolve) => (chat.onDisconnectedListener = resolve));
    firstSocket.drop();
    await disconnected;

    await vi.waitFor(() => expect(received).toEqual(['in-1', 'in-2', 'while-down']));
    expect(server.resumeRequests).toEqual([{ previd: server.smId, h: 2 }]);
    const secondSocket = server.socket;
    expect(secondSocket).not.toBe(firstSocket);
    await vi.waitFor(() => expect(secondSocket.frames.some((frame) => frame.includes('lost-on-the-wire'))).toBe(true));
    expect(secondSocket.frames.some((frame) => frame.includes('>counted<'))).toBe(false);
    expect(secondSocket.frames.some((frame) => frame.includes('bind') || frame.includes('carbons') || frame.startsWith('<presence'))).toBe(false);
    expect(server.smHandled).toBe(handledBefore + 1);
    expect(chat.helpers.userCurrentJid).toBe(own);
    expect(chat.isConnected).toBe(true);
    expect(chat.connectionStatus).toBe('online');
    expect(reconnects).toBe(0);
    expect(statuses.at(-1)).toBe('online');

    // The resumed stream goes on counting: an <r/> is answered with all three stanzas received.
    secondSocket.push(`<r xmlns="${SM}"/>`);
    await vi.waitFor(() => expect(secondSocket.frames).toContain(`<a xmlns="${SM}" h="3"/>`));
    await chat.ping();
  });

  it('asks for an ack after every few unacknowledged stanzas, so what it keeps for a resume stays short', async () => {
    const { server, chat } = await connected({ resume: true });
    const requests = () => server.frames.filter((frame) => frame === `<r xmlns="${SM}"/>`).length;
    const typings = () => server.frames.filter((frame) => frame.includes('<composing')).length;
    // Carbons and the initial presence are the first two since <enable/>.
    for (let index = 0; index < ACK_REQUEST_EVERY - 3; index += 1) chat.sendIsTypingStatus(9);
    await vi.waitFor(() => expect(typings()).toBe(ACK_REQUEST_EVERY - 3));
    expect(requests()).toBe(0);
    chat.sendIsTypingStatus(9);
    await vi.waitFor(() => expect(requests()).toBe(1));
  });

  it('falls back to a fresh login when the server refuses to resume, and reports the reconnect', async () => {
    const { server, chat } = await connected({ resume: true });
    const own = chat.helpers.userCurrentJid;
    server.acceptResume = false;
    const reconnected = new Promise<void>((resolve) => (chat.onReconnectListener = resolve));
    server.socket.drop();
    await reconnected;
    expect(server.resumeRequests).toHaveLength(1);
    expect(chat.helpers.userCurrentJid).not.toBe(own);
    const frames = server.socket.frames;
    expect(frames.some((frame) => frame.includes('urn:ietf:params:xml:ns:xmpp-bind'))).toBe(true);
    await vi.waitFor(() => expect(frames).toContain(`<enable xmlns="${SM}" resume="true"/>`));
    await vi.waitFor(() => expect(frames).toContain('<presence xmlns="jabber:client"/>'));
  });

  it('does not resume after a deliberate disconnect and connect', async () => {
    const { server, chat } = await connected({ resume: true });
    await chat.disconnect();
    await chat.connect({ userId: 5, password: 'secret' });
    expect(server.resumeRequests).toEqual([]);
  });

  it('is off by default: <enable/> without resume, and a lost connection logs in afresh', async () => {
    const { server, chat } = await connected({ enable: true });
    expect(server.frames).toContain(`<enable xmlns="${SM}"/>`);
    const reconnected = new Promise<void>((resolve) => (chat.onReconnectListener = resolve));
    server.socket.drop();
    await reconnected;
    expect(server.resumeRequests).toEqual([]);
    expect(server.frames.some((frame) => frame.includes('<resume'))).toBe(false);
  });
});
