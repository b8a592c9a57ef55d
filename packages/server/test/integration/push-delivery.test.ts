import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, loadConfig, type ParleyServer } from '@parley/server';
import { createTestDatabase, databaseKinds, provideTestPostgres, startPushReceivers, type PushReceivers, type TestDatabaseKind } from '@parley/testkit';
import { universalMessage } from '../../src/domain/push/payload.js';
import type { PushChannel } from '../../src/ports/push.js';

/**
 * The delivery queue end to end against local provider receivers: exactly once across a restart with a
 * half-sent queue (the rest behind an outage), a poison push failing alone, invalid tokens removing their
 * subscription, and call pushes (VoIP / high priority) for an offline callee.
 */
describe.each(databaseKinds)('push delivery on %s', (db: TestDatabaseKind) => {
  let receivers: PushReceivers;
  let dataDir: string;
  let databaseUrl = '';
  let dropDatabase: (() => Promise<void>) | undefined;
  let stopPostgres: (() => Promise<void>) | undefined;
  let server: ParleyServer;
  let appId: number;

  /** A server on the same store every time (a restart is close + open). */
  async function open(): Promise<ParleyServer> {
    const config = loadConfig(
      {
        port: '0',
        host: '127.0.0.1',
        dataDir,
        databaseUrl,
        logLevel: 'silent',
        passwordHashCost: '10',
        pushAllowPrivateEndpoints: 'true',
        pushCaFile: receivers.caFile,
        pushFcmUrl: receivers.origin,
        pushApnsUrl: receivers.origin,
        pushApnsSandboxUrl: receivers.origin,
        pushRetryBaseMs: '20',
      },
      {},
    );
    return createServer(config);
  }

  beforeAll(async () => {
    receivers = await startPushReceivers();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-push-delivery-'));
    if (db === 'postgres') {
      const postgres = await provideTestPostgres();
      const database = await createTestDatabase(postgres.adminUrl);
      databaseUrl = database.url;
      dropDatabase = () => database.drop();
      stopPostgres = () => postgres.stop();
    }
    server = await open();
    appId = (await server.services.apps.ensureDefault()).app.id;
    const settings = server.services.push.settings;
    await settings.update(appId, { fcm: { service_account: receivers.fcmServiceAccount() }, apns: receivers.apnsKey('com.example.calls') });
  });
  afterAll(async () => {
    await server.close();
    await receivers.close();
    await dropDatabase?.();
    await stopPostgres?.();
    await rm(dataDir, { recursive: true, force: true });
  });

  let serial = 0;
  async function userWith(channel: PushChannel, environment: 'development' | 'production' = 'production', udid = `udid-${(serial += 1)}`) {
    const user = await server.services.users.signup(appId, { login: `push-delivery-${db}-${(serial += 1)}`, password: 'password123' });
    const browser = receivers.browserSubscription();
    const token = channel === 'web' ? browser.endpoint : `token${db}${(serial += 1)}`;
    const subscription = await server.store.push.upsertSubscription(
      { appId, userId: user.id, channel, environment, platform: channel === 'gcm' ? 'android' : channel === 'web' ? 'web' : 'ios', udid, token, bundleId: null, webAuth: browser.keys.auth, webP256dh: browser.keys.p256dh },
      Date.now(),
    );
    return { user, subscription, token, endpointId: browser.id };
  }

  /** Queued pushes settle: nothing pending any more (each answered, retried to success, or failed). */
  async function drained(target: ParleyServer = server): Promise<void> {
    await target.services.push.settled();
    while ((await target.store.push.pendingCount(appId)) > 0) {
      if ((await target.pushDelivery.deliverDue()) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('delivers each push exactly once across a restart with the queue half sent and the provider down', async () => {
    const { user, token } = await userWith('gcm');
    const total = 12;
    const half = 6;
    const start = receivers.received.length;
    receivers.refuse = () => (receivers.received.length - start >= half ? { status: 503, body: '{"error":{"status":"UNAVAILABLE"}}' } : undefined);
    for (let index = 0; index < total; index += 1) {
      await server.services.push.outbox.queue(appId, [user.id], () => universalMessage('gcm', { message: `n${index}` }));
    }
    await receivers.waitFor(start + half);
    // The outage has been met (refused attempts), and nothing was dropped.
    while (receivers.attempts - start <= half) await new Promise((resolve) => setTimeout(resolve, 10));
    await server.close();
    expect(await countPending()).toBe(total - half);
    receivers.refuse = () => undefined;
    server = await open();
    await receivers.waitFor(start + total);
    await drained();
    const texts = receivers.received.slice(start).map((push) => (push.provider === 'fcm' ? (push.message.data as Record<string, string>).message : '') as string);
    expect(texts.sort()).toEqual(Array.from({ length: total }, (_, index) => `n${index}`).sort());
    expect(receivers.received.slice(start).every((push) => push.provider === 'fcm' && push.message.token === token)).toBe(true);
    expect(receivers.violations).toEqual([]);

    async function countPending(): Promise<number> {
      const probe = await open();
      try {
        return await probe.store.push.pendingCount(appId);
      } finally {
        await probe.close();
      }
    }
  });

  it('fails a poison push alone and keeps delivering the others', async () => {
    const { user } = await userWith('apns');
    const start = receivers.received.length;
    receivers.refuse = (push) => (push.provider === 'apns' && push.payload.poison === 1 ? { status: 400, body: '{"reason":"PayloadTooLarge"}' } : undefined);
    for (const poison of [0, 1, 0]) await server.services.push.outbox.queue(appId, [user.id], (subscription) => universalMessage(subscription.channel, { message: 'hi', poison }));
    await drained();
    receivers.refuse = () => undefined;
    expect(receivers.received.slice(start)).toHaveLength(2);
    expect(await server.store.push.pendingCount(appId)).toBe(0);
    expect(await server.store.push.subscriptionsOfUser(appId, user.id)).toHaveLength(1);
  });

  it.each([
    ['web', { status: 410, body: 'gone' }],
    ['gcm', { status: 404, body: '{"error":{"status":"NOT_FOUND","details":[{"errorCode":"UNREGISTERED"}]}}' }],
    ['apns', { status: 410, body: '{"reason":"Unregistered"}' }],
  ] as const)('removes a %s subscription whose token the provider reports invalid', async (channel, refusal) => {
    const { user } = await userWith(channel);
    receivers.refuse = () => refusal;
    await server.services.push.outbox.queue(appId, [user.id], (subscription) => universalMessage(subscription.channel, { message: 'bye' }));
    await drained();
    receivers.refuse = () => undefined;
    expect(await server.store.push.subscriptionsOfUser(appId, user.id)).toEqual([]);
  });

  it('sends an incoming call as a VoIP push (APNs) and a high-priority push (FCM), once the app turns call pushes on', async () => {
    const caller = await server.services.users.signup(appId, { login: `caller-${db}`, password: 'password123', full_name: 'Carol Caller' });
    const voip = await userWith('apns_voip', 'development', `phone-${db}`);
    const calleeId = voip.user.id;
    // The same iPhone's alert subscription is skipped (it has a VoIP one); an Android device gets FCM.
    await server.store.push.upsertSubscription({ ...voip.subscription, channel: 'apns', token: `alert${db}` }, Date.now());
    await server.store.push.upsertSubscription({ ...voip.subscription, channel: 'gcm', platform: 'android', udid: `android-${db}`, token: `fcm${db}` }, Date.now());
    const notice = { appId, callerId: caller.id, calleeId, sessionId: 'b7c9f5a0-1c2d-4e5f-8a9b-0c1d2e3f4a5b', callType: 1, opponentsIds: [calleeId], userInfo: { room: 'blue' } };
    const start = receivers.received.length;
    await server.services.push.callPushes.notifyIncomingCall(notice);
    await drained();
    expect(receivers.received.slice(start)).toEqual([]);
    await server.services.push.settings.update(appId, { call_pushes: true });
    await server.services.push.callPushes.notifyIncomingCall(notice);
    await drained();
    const got = receivers.received.slice(start);
    expect(got).toHaveLength(2);
    const apns = got.find((push) => push.provider === 'apns');
    expect(apns).toMatchObject({ token: voip.token, pushType: 'voip', topic: 'com.example.calls.voip', priority: '10' });
    expect(apns?.provider === 'apns' && apns.payload).toMatchObject({ sessionID: notice.sessionId, callType: 1, callerID: caller.id, opponentsIDs: [calleeId], userInfo: { room: 'blue' }, caller_name: 'Carol Caller', signal_type: 'startCall' });
    expect(Number(apns?.provider === 'apns' && apns.expiration)).toBeGreaterThan(Date.now() / 1000);
    const fcm = got.find((push) => push.provider === 'fcm');
    expect(fcm).toMatchObject({ message: { token: `fcm${db}`, android: { priority: 'high' }, data: { session_id: notice.sessionId, call_type: '1', call_opponents: String(calleeId) } } });
    // A callee whose default privacy list blocks the caller gets nothing.
    const callee = { appId, userId: calleeId, sessionId: 0 };
    await server.services.privacy.replace(callee, 'block', [{ type: 'jid', value: `${caller.id}-${appId}@localhost`, action: 'deny', order: 1, stanzas: [] }]);
    await server.services.privacy.setDefault(callee, 'block');
    expect(await server.services.privacy.verdict(appId, caller.id, calleeId, 'message')).toBe('blocked-by-recipient');
    const beforeBlocked = receivers.received.length;
    await server.services.push.callPushes.notifyIncomingCall(notice);
    await drained();
    expect(receivers.received.length).toBe(beforeBlocked);
    expect(receivers.violations).toEqual([]);
  });
});
