import { databaseKinds } from '@parley/testkit';
import { describe, expect, it } from 'vitest';
import { initAgainst, officialSdk, scenarioServer } from '../scenarios/sdk.js';

/** Smoke test of the XMPP core: the unchanged official SDK connects, pings and disconnects (realtime.md §3–§4). */
describe.each(databaseKinds)('official SDK: chat connect on %s', (db) => {
  const scenario = scenarioServer(officialSdk, db);

  it('connects with the password and with the session token, pings, is online, and disconnects', async () => {
    const { url, app, wsUrl } = scenario.server;
    const cube = initAgainst(officialSdk.create(), url, app, { endpoints: { api_url: url, chat: 'localhost', chat_url: wsUrl } });
    const session = await cube.createSession({ login: scenario.unique('conn'), password: 'password123' });
    const userId = session.user_id as number;

    await cube.chat.connect({ userId, password: 'password123' });
    expect(cube.chat.isConnected).toBe(true);
    await cube.chat.ping();
    const online = async () => new RegExp(`"id":${userId}[,}]`).test(JSON.stringify(await cube.users.listOnline()));
    await expect.poll(online).toBe(true);
    await cube.chat.disconnect();
    expect(cube.chat.isConnected).toBe(false);
    await expect.poll(online).toBe(false);

    await cube.chat.connect({ userId, password: session.token as string });
    expect(cube.chat.isConnected).toBe(true);
    await cube.chat.disconnect();
  });

  it('rejects a wrong password with the SASL condition', async () => {
    const { url, app, wsUrl } = scenario.server;
    const cube = initAgainst(officialSdk.create(), url, app, { endpoints: { api_url: url, chat: 'localhost', chat_url: wsUrl } });
    const session = await cube.createSession({ login: scenario.unique('bad'), password: 'password123' });
    await expect(cube.chat.connect({ userId: session.user_id as number, password: 'wrong-password' })).rejects.toBe('not-authorized');
  });
});
