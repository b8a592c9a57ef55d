import { databaseKinds } from '@parley/testkit';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { initAgainst, parleySdk, scenarioServer, type CubeLike } from '../scenarios/sdk.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the chat object is driven through its listener properties */

/**
 * @parley/sdk's opt-in session resumption (`chat.streamManagement.resume`, XEP-0198) against the
 * real server: the server drops the socket without closing the stream (`closeChatConnections`
 * destroys it, so the session is parked for resumption), a peer sends while the user is away, and
 * after the reconnect the user resumes the same session (same JID, no RECONNECTED) and gets those
 * messages exactly once — neither lost nor delivered again from the offline queue later.
 */
describe.each(databaseKinds)('@parley/sdk: chat session resumption on %s', (db) => {
  const scenario = scenarioServer(parleySdk, db);

  function cube(chat: Record<string, unknown>): CubeLike {
    const { url, app, wsUrl } = scenario.server;
    return initAgainst(parleySdk.create(), url, app, { endpoints: { api_url: url, chat: 'localhost', chat_url: wsUrl }, chat: { websocket: WebSocket, ...chat } });
  }

  async function user(prefix: string, chat: Record<string, unknown>) {
    const client = cube(chat);
    const session = await client.createSession({ login: scenario.unique(prefix), password: 'password123' });
    const userId = session.user_id as number;
    await client.chat.connect({ userId, password: 'password123' });
    return { client, chat: client.chat as any, userId };
  }

  /** Sends and waits until the server acknowledged (stored and routed) the message. */
  function sendAcknowledged(chat: any, to: number, body: string): Promise<void> {
    return new Promise((resolve, reject) => {
      chat.onSentMessageCallback = (lost: unknown, sent: { body?: string } | null) => {
        if (lost) reject(new Error(`lost: ${JSON.stringify(lost)}`));
        else if (sent?.body === body) resolve();
      };
      chat.send(to, { type: 'chat', body });
    });
  }

  it('resumes after a socket loss and delivers what was sent meanwhile exactly once', async () => {
    // A long reconnect delay keeps the user away until the test lets it reconnect.
    const me = await user('resume', { streamManagement: { resume: true }, reconnect: { enable: true, timeInterval: 3600 } });
    const peer = await user('peer', { streamManagement: { enable: true } });
    const bodies: string[] = [];
    me.chat.onMessageListener = (_userId: number, message: { body: string }) => bodies.push(message.body);
    let reconnects = 0;
    me.chat.onReconnectListener = () => (reconnects += 1);
    await me.chat.ping(); // <enabled id resume/> has arrived before the ping's answer
    const jid: string = me.chat.helpers.userCurrentJid;

    await sendAcknowledged(peer.chat, me.userId, 'before');
    await expect.poll(() => bodies).toEqual(['before']);

    const disconnected = new Promise<void>((resolve) => (me.chat.onDisconnectedListener = resolve));
    expect(scenario.server.closeChatConnections(me.userId)).toBe(1);
    await disconnected;
    expect(me.chat.isConnected).toBe(false);
    await sendAcknowledged(peer.chat, me.userId, 'while away 1');
    await sendAcknowledged(peer.chat, me.userId, 'while away 2');

    // Reconnect now (the xmpp.js reconnect plugin, as after its delay).
    const reconnect = me.chat.xmppClient.reconnect;
    reconnect.delay = 0;
    reconnect.scheduleReconnect();
    await expect.poll(() => bodies).toEqual(['before', 'while away 1', 'while away 2']);
    expect(me.chat.isConnected).toBe(true);
    expect(me.chat.helpers.userCurrentJid).toBe(jid);
    expect(reconnects).toBe(0);

    // The resumed stream works both ways.
    await me.chat.ping();
    await sendAcknowledged(peer.chat, me.userId, 'after');
    await expect.poll(() => bodies).toEqual(['before', 'while away 1', 'while away 2', 'after']);
    const fromMe = new Promise<string>((resolve) => (peer.chat.onMessageListener = (_userId: number, message: { body: string }) => resolve(message.body)));
    me.chat.send(peer.userId, { type: 'chat', body: 'back' });
    await expect(fromMe).resolves.toBe('back');

    // Nothing of it waits in the offline queue: a fresh login gets only what is sent afterwards.
    await me.chat.disconnect();
    await me.chat.connect({ userId: me.userId, password: 'password123' });
    await me.chat.ping();
    await sendAcknowledged(peer.chat, me.userId, 'fresh');
    await expect.poll(() => bodies.at(-1)).toBe('fresh');
    expect(bodies).toEqual(['before', 'while away 1', 'while away 2', 'after', 'fresh']);

    await me.chat.disconnect();
    await peer.chat.disconnect();
  });
});
