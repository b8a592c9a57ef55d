import { databaseKinds } from '@parley/testkit';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { initAgainst, parleySdk, scenarioServer, type CubeLike } from '../scenarios/sdk.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the chat object is driven through its listener properties */

/**
 * @parley/sdk's real-time chat against the real server (realtime.md §3–§4, §11.3): connect with the
 * password and the session token, ping, disconnect, and reconnect after the server drops the socket.
 * Node 20 has no global WebSocket, so the `ws` class is passed in `chat.websocket`.
 */
describe.each(databaseKinds)('@parley/sdk: chat connect on %s', (db) => {
  const scenario = scenarioServer(parleySdk, db);

  function cube(chat: Record<string, unknown> = {}): CubeLike {
    const { url, app, wsUrl } = scenario.server;
    return initAgainst(parleySdk.create(), url, app, { endpoints: { api_url: url, chat: 'localhost', chat_url: wsUrl }, chat: { websocket: WebSocket, ...chat } });
  }

  it('connects with the password and with the session token, pings, is online, and disconnects', async () => {
    const client = cube();
    const session = await client.createSession({ login: scenario.unique('conn'), password: 'password123' });
    const userId = session.user_id as number;

    await expect(client.chat.connect({ userId, password: 'password123' })).resolves.toBe(true);
    const chat = client.chat as any;
    expect(chat.isConnected).toBe(true);
    expect(chat.currentUserId).toBe(userId);
    await chat.ping();
    await chat.pingWithTimeout(5000);
    const online = async () => new RegExp(`"id":${userId}[,}]`).test(JSON.stringify(await client.users.listOnline()));
    await expect.poll(online).toBe(true);
    await expect(client.chat.disconnect()).resolves.toBe(true);
    expect(chat.isConnected).toBe(false);
    await expect.poll(online).toBe(false);

    await expect(client.chat.connect({ userId, password: session.token as string })).resolves.toBe(true);
    expect(chat.isConnected).toBe(true);
    await client.chat.disconnect();
  });

  it('rejects a wrong password with the SASL condition and can connect afterwards', async () => {
    const client = cube();
    const session = await client.createSession({ login: scenario.unique('bad'), password: 'password123' });
    const userId = session.user_id as number;
    await expect(client.chat.connect({ userId, password: 'wrong-password' })).rejects.toBe('not-authorized');
    expect((client.chat as any).isConnected).toBe(false);
    await expect(client.chat.connect({ userId, password: 'password123' })).resolves.toBe(true);
    await client.chat.disconnect();
  });

  it('reconnects after the server drops the connection, with a new resource, and works again', async () => {
    const client = cube({ reconnect: { enable: true, timeInterval: 0.05 } });
    const session = await client.createSession({ login: scenario.unique('recon'), password: 'password123' });
    const userId = session.user_id as number;
    const chat = client.chat as any;
    await chat.connect({ userId, password: 'password123' });
    const firstJid: string = chat.helpers.userCurrentJid;

    let disconnects = 0;
    chat.onDisconnectedListener = () => (disconnects += 1);
    const reconnected = new Promise<void>((resolve) => (chat.onReconnectListener = resolve));
    expect(scenario.server.closeChatConnections(userId)).toBe(1);
    await reconnected;

    expect(disconnects).toBe(1);
    expect(chat.isConnected).toBe(true);
    expect(chat.helpers.userCurrentJid).not.toBe(firstJid);
    await chat.ping();
    await chat.disconnect();
  });
});
