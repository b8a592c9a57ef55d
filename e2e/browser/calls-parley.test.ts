import { describe, expect, it } from 'vitest';
import { expectMediaFlow, waitEvent, useCallFixtureWithTurn, type CallUser } from './call-fixture.js';

/**
 * @parley/sdk's videochat in headless Chromium (bundled for the page like the official browser build),
 * calling the official SDK and called by it, rejecting inside onCallListener, a 4-party mesh of both SDKs,
 * and a relay-only call whose TURN credentials the SDK fetched by itself.
 */
describe('P2P calls with @parley/sdk (Chromium)', () => {
  const fixture = useCallFixtureWithTurn({ parleySdk: true });

  async function connectedCall(caller: CallUser, callee: CallUser): Promise<void> {
    await caller.page.evaluate((id) => window.T.call([id]), callee.id);
    await waitEvent(callee, 'call');
    await callee.page.evaluate(() => window.T.accept());
    await waitEvent(caller, 'accept', callee.id);
    await waitEvent(caller, 'remote-stream', callee.id);
    await waitEvent(callee, 'remote-stream', caller.id);
  }

  it('@parley/sdk calls the official SDK: media both ways, hang-up reaches the official side', async () => {
    const alice = await fixture.user('parley');
    const bob = await fixture.user('official');
    await connectedCall(alice, bob);
    await expectMediaFlow(bob, alice, 'host');
    await expectMediaFlow(alice, bob, 'host');
    await alice.page.evaluate(() => window.T.stop());
    await waitEvent(bob, 'stop', alice.id);
  });

  it('the official SDK calls @parley/sdk: media both ways, hang-up reaches the Parley side', async () => {
    const alice = await fixture.user('official');
    const bob = await fixture.user('parley');
    await connectedCall(alice, bob);
    await expectMediaFlow(bob, alice, 'host');
    await expectMediaFlow(alice, bob, 'host');
    await bob.page.evaluate(() => window.T.stop());
    await waitEvent(alice, 'stop', bob.id);
    await waitEvent(bob, 'close');
  });

  it('reject() called synchronously inside onCallListener reaches the caller; REST reject too', async () => {
    const alice = await fixture.user('official');
    const bob = await fixture.user('parley');
    await bob.page.evaluate(() => {
      window.T.autoReject = true;
    });
    await alice.page.evaluate((id) => window.T.call([id]), bob.id);
    await waitEvent(alice, 'reject', bob.id);
    const rejected = (await alice.page.evaluate(() => window.T.events)).find((event) => event.name === 'reject');
    expect(rejected?.extension).toMatchObject({ busy: 'true' });

    const carol = await fixture.user('parley');
    await bob.page.evaluate(() => {
      window.T.autoReject = false;
    });
    const sessionId = await carol.page.evaluate((id) => window.T.call([id]), bob.id);
    await waitEvent(bob, 'call');
    await bob.page.evaluate(([sid, caller]) => window.T.rejectOverRest(sid, caller), [sessionId, carol.id] as const);
    await waitEvent(carol, 'reject', bob.id);
  });

  it('no answer: @parley/sdk reports onUserNotAnswerListener for a callee who never connects', async () => {
    const alice = await fixture.user('parley', { answerTimeInterval: 3, dialingTimeInterval: 1 });
    const offline = await fixture.newAccount();
    await alice.page.evaluate((id) => window.T.call([id]), offline.id);
    await waitEvent(alice, 'not-answer', offline.id, 15_000);
    await waitEvent(alice, 'close');
  });

  it('a 4-party audio mesh of both SDKs: every participant receives every other', async () => {
    const users = [await fixture.user('parley'), await fixture.user('official'), await fixture.user('parley'), await fixture.user('official')];
    const [initiator, ...callees] = users as [CallUser, ...CallUser[]];
    for (const callee of callees) await callee.page.evaluate(() => {
      window.T.autoAccept = true;
    });
    await initiator.page.evaluate((ids) => window.T.call(ids, { audioOnly: true }), callees.map((user) => user.id));
    for (const receiver of users) {
      for (const sender of users) {
        if (receiver !== sender) await waitEvent(receiver, 'remote-stream', sender.id, 30_000);
      }
    }
    for (const receiver of users) {
      const flows = await Promise.all(users.filter((sender) => sender !== receiver).map((sender) => receiver.page.evaluate((id) => window.T.flow(id, 3000), sender.id)));
      for (const flow of flows) {
        expect(flow.after).toBeGreaterThan(flow.before);
        expect(flow.candidateType).toBe('host');
      }
    }
  });

  it('in-call controls: bandwidth cap, mute, update, camera switch, screen sharing, ICE restart, stats', async () => {
    const alice = await fixture.user('parley', { statsReportTimeInterval: 1 });
    const bob = await fixture.user('parley');
    await alice.page.evaluate((id) => window.T.call([id], { additional: { bandwidth: 256 } }), bob.id);
    await waitEvent(bob, 'call');
    await bob.page.evaluate(() => window.T.accept());
    await waitEvent(bob, 'remote-stream', alice.id);
    await expectMediaFlow(bob, alice, 'host');
    const sender = () => alice.page.evaluate((id) => window.T.sender(id, 'video'), bob.id);
    expect((await sender())?.maxBitrate).toBe(256_000);
    await alice.page.evaluate(() => window.T.setMaxBandwidth(100));
    expect((await sender())?.maxBitrate).toBe(100_000);
    await alice.page.evaluate(() => window.T.setMaxBandwidth(0));
    expect((await sender())?.maxBitrate).toBeUndefined();

    await alice.page.evaluate(() => window.T.mute('video'));
    expect((await sender())?.enabled).toBe(false);
    await alice.page.evaluate(() => window.T.unmute('video'));
    expect((await sender())?.enabled).toBe(true);

    await alice.page.evaluate(() => window.T.update({ note: 'raised-hand' }));
    await waitEvent(bob, 'update', alice.id);
    expect((await bob.page.evaluate(() => window.T.events)).find((event) => event.name === 'update')?.extension).toEqual({ note: 'raised-hand' });

    const camera = (await sender())!.trackId;
    await alice.page.evaluate(() => window.T.switchCamera());
    expect((await sender())!.trackId).not.toBe(camera);
    await expectMediaFlow(bob, alice, 'host');

    const restart = await alice.page.evaluate((id) => window.T.iceRestart(id), bob.id);
    expect(restart.restarted).toBe(true);
    expect(restart.after).not.toBe(restart.before);
    await expectMediaFlow(bob, alice, 'host');

    const screen = await alice.page.evaluate(() => window.T.shareScreen());
    expect(screen).toHaveLength(1);
    await expect.poll(async () => (await sender())!.label, { timeout: 5000 }).toBe(screen[0]);
    await expectMediaFlow(bob, alice, 'host');

    const stats = (await alice.page.evaluate(() => window.T.events)).filter((event) => event.name === 'stats');
    expect(stats.length).toBeGreaterThan(0);
    expect(stats.at(-1)).toMatchObject({ userId: bob.id, candidateType: 'host' });
  });

  it('alwaysRelayCalls: @parley/sdk fetches TURN credentials itself and media goes through coturn', async () => {
    const alice = await fixture.user('parley', { alwaysRelayCalls: true });
    const bob = await fixture.user('parley', { alwaysRelayCalls: true });
    await connectedCall(alice, bob);
    await expectMediaFlow(bob, alice, 'relay');
    await expectMediaFlow(alice, bob, 'relay');
  });
});
