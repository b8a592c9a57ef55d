import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startPushReceivers, startServer, xml, type Element, type PushReceivers, type TestServer } from '@parley/testkit';
import { XmppFixture } from './xmpp-helpers.js';

/**
 * Calls meet push (issues 10 and 11): a `call` signal over XMPP to a callee with no connection becomes a
 * VoIP push at the (local) APNs receiver, through the wiring of app.ts, once per call session.
 */
function callSignal(to: string, sessionId: string, callerId: number, calleeId: number): Element {
  return xml(
    'message',
    { xmlns: 'jabber:client', to, type: 'headline', id: `c${Math.random().toString(16).slice(2, 10)}` },
    xml(
      'extraParams',
      { xmlns: 'jabber:client' },
      xml('sessionID', {}, sessionId),
      xml('callType', {}, '1'),
      xml('callerID', {}, String(callerId)),
      xml('opponentsIDs', {}, xml('opponentID', {}, String(calleeId))),
      xml('sdp', {}, 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n'),
      xml('moduleIdentifier', {}, 'WebRTCVideoChat'),
      xml('signalType', {}, 'call'),
      xml('platform', {}, 'web'),
    ),
  );
}

describe.each(databaseKinds)('call push to an offline callee on %s', (db) => {
  let receivers: PushReceivers;
  let server: TestServer;
  const fixture = new XmppFixture(() => server);

  beforeAll(async () => {
    receivers = await startPushReceivers();
    server = await startServer({
      db,
      config: { pushAllowPrivateEndpoints: 'true', pushCaFile: receivers.caFile, pushApnsUrl: receivers.origin, pushApnsSandboxUrl: receivers.origin, pushRetryBaseMs: '20' },
    });
    await server.server.services.push.settings.update(server.app.id, { apns: receivers.apnsKey('com.example.calls'), call_pushes: true });
  });
  afterAll(async () => {
    await fixture.close();
    await server.stop();
    await receivers.close();
  });

  it('rings an offline callee through a VoIP push, once for the SDK’s repeated call signals', async () => {
    const caller = await fixture.newUser();
    const callee = await fixture.newUser();
    const appId = server.app.id;
    await server.server.store.push.upsertSubscription(
      { appId, userId: callee.id, channel: 'apns_voip', environment: 'development', platform: 'ios', udid: `iphone-${db}`, token: `voip${db}`, bundleId: null, webAuth: null, webP256dh: null },
      Date.now(),
    );
    const { raw } = await fixture.loggedIn('websocket', caller);
    const sessionId = `5e3c1a2b-0000-4000-8000-${db.padEnd(12, '0')}`;
    const to = `${callee.id}-${appId}@${server.chatDomain}`;
    for (let i = 0; i < 3; i += 1) raw.send(callSignal(to, sessionId, caller.id, callee.id));
    const [push] = await receivers.waitFor(1, 10_000);
    expect(push).toMatchObject({ provider: 'apns', token: `voip${db}`, pushType: 'voip', topic: 'com.example.calls.voip' });
    expect(push?.provider === 'apns' && push.payload).toMatchObject({ sessionID: sessionId, callType: 1, callerID: caller.id, opponentsIDs: [caller.id, callee.id] });
    // The repeats of the same call ring no more: a fresh call after them is the only next push.
    raw.send(callSignal(to, `${sessionId.slice(0, -1)}9`, caller.id, callee.id));
    const pushes = await receivers.waitFor(2, 10_000);
    expect(pushes.map((received) => received.provider === 'apns' && received.payload.sessionID)).toEqual([sessionId, `${sessionId.slice(0, -1)}9`]);
    expect(receivers.violations).toEqual([]);
  });
});
