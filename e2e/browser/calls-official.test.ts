import { describe, expect, it } from 'vitest';
import { expectMediaFlow, useCallFixtureWithTurn, waitEvent } from './call-fixture.js';

/**
 * The seed's "Make first call" and "Video Calling" chapters with the official connectycube@6.1.2 browser
 * bundle on both ends, in headless Chromium with a fake camera and microphone, against Parley: media is
 * proven by inbound bytes growing and by the selected candidate pair (host on loopback, relay through a
 * coturn this file starts on 127.0.0.1).
 */
describe('P2P calls, official SDK to official SDK (Chromium)', () => {
  const fixture = useCallFixtureWithTurn();

  it('call, accept, media both ways on a host pair, hang-up', async () => {
    const alice = await fixture.user('official');
    const bob = await fixture.user('official');
    await alice.page.evaluate((id) => window.T.call([id]), bob.id);
    await waitEvent(bob, 'call');
    await bob.page.evaluate(() => window.T.accept());
    await waitEvent(alice, 'accept', bob.id);
    await waitEvent(alice, 'remote-stream', bob.id);
    await waitEvent(bob, 'remote-stream', alice.id);
    await expectMediaFlow(bob, alice, 'host');
    await expectMediaFlow(alice, bob, 'host');
    await alice.page.evaluate(() => window.T.stop());
    await waitEvent(bob, 'stop', alice.id);
  });

  it('reject from the SDK and reject over REST (callRejectRequest) both reach the caller', async () => {
    const alice = await fixture.user('official');
    const bob = await fixture.user('official');
    const carol = await fixture.user('official');
    await alice.page.evaluate((id) => window.T.call([id]), bob.id);
    await waitEvent(bob, 'call');
    await bob.page.evaluate(() => window.T.reject({ busy: true }));
    await waitEvent(alice, 'reject', bob.id);
    const rejected = (await alice.page.evaluate(() => window.T.events)).find((event) => event.name === 'reject');
    expect(rejected?.extension).toMatchObject({ busy: 'true' });

    const sessionId = await carol.page.evaluate((id) => window.T.call([id]), bob.id);
    await waitEvent(bob, 'call');
    // The callee declines over HTTP (as from a push/CallKit context), without touching its session.
    await bob.page.evaluate(([sid, caller]) => window.T.rejectOverRest(sid, caller), [sessionId, carol.id] as const);
    await waitEvent(carol, 'reject', bob.id);
  });

  it('a callee who never connects: the caller gets onUserNotAnswerListener and the server stays well', async () => {
    const alice = await fixture.user('official', { answerTimeInterval: 4, dialingTimeInterval: 1 });
    const offline = await fixture.newAccount();
    await alice.page.evaluate((id) => window.T.call([id]), offline.id);
    await waitEvent(alice, 'not-answer', offline.id, 15_000);
    const health = await fetch(`${fixture.server.url}/health`);
    expect(health.status).toBeLessThan(500);
  });

  it('relay-only call through coturn with credentials from the TURN route (alwaysRelayCalls)', async () => {
    const alice = await fixture.user('official', { alwaysRelayCalls: true });
    const bob = await fixture.user('official', { alwaysRelayCalls: true });
    for (const user of [alice, bob]) {
      const turn = await user.page.evaluate((api) => window.T.useServerTurn(api), fixture.server.url);
      expect(turn.username).toMatch(new RegExp(`^\\d+:${user.id}$`));
    }
    await alice.page.evaluate((id) => window.T.call([id]), bob.id);
    await waitEvent(bob, 'call');
    await bob.page.evaluate(() => window.T.accept());
    await waitEvent(alice, 'remote-stream', bob.id);
    await expectMediaFlow(bob, alice, 'relay');
    await expectMediaFlow(alice, bob, 'relay');
  });
});
