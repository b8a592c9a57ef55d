import { describe, expect, it } from 'vitest';
import { databaseKinds } from '@parley/testkit';
import { rejection, type ScenarioTarget, type SdkFlavour } from './sdk.js';
import { PASSWORD, pushServer, type Person } from './push-fixture.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- SDK responses are checked field by field */

/**
 * Push notifications (rest.md §7) through an SDK: subscriptions, events to ids/tags/external ids over
 * Web Push, FCM and APNs (checked by local receivers as the real providers check), chat alerts for
 * offline and inactive users, and "contact joined".
 */
export function pushScenarios(sdk: SdkFlavour, targets: ScenarioTarget[] = databaseKinds): void {
  describe.each(targets)(`${sdk.name}: push notifications on %s`, (db) => {
    const fixture = pushServer(sdk, db);
    const { person, subscribeWeb, subscribeDevice, quiet } = fixture;
    const encode = (who: Person, value: unknown) => who.cube.pushnotifications.base64Encode(JSON.stringify(value));
    const token = () => fixture.unique('tok').toLowerCase();
    const receivedSince = (start: number) => fixture.receivers.received.slice(start);

    it('subscribes, lists, updates in place, moves a device to its new user, and deletes (§7.1)', async () => {
      const alice = await person('push-sub-a');
      const bob = await person('push-sub-b');
      const { subscription: web } = await subscribeWeb(alice, 'shared-device');
      expect(web).toEqual({ subscription: { id: expect.any(Number), notification_channel: { name: 'web' }, device: { udid: 'shared-device', platform: { name: 'web' } } } });
      const apns = await subscribeDevice(alice, 'apns', token(), 'development', 'shared-device');
      expect(apns.subscription.notification_channel.name).toBe('apns');
      // Same user, udid and channel: updated, not duplicated.
      const again = await subscribeDevice(alice, 'apns', token(), 'production', 'shared-device');
      expect(again.subscription.id).toBe(apns.subscription.id);
      expect((await alice.cube.pushnotifications.subscriptions.list()).map((s: any) => s.subscription.id).sort()).toEqual([web.subscription.id, apns.subscription.id].sort());
      // The device signs in as bob: the APNs subscription moves to him.
      const moved = await subscribeDevice(bob, 'apns', token(), 'production', 'shared-device');
      expect(moved.subscription.id).toBe(apns.subscription.id);
      expect((await alice.cube.pushnotifications.subscriptions.list()).map((s: any) => s.subscription.id)).toEqual([web.subscription.id]);
      // Not yours: 403; unknown: 404; yours: 200 and gone.
      expect((await rejection(alice.cube.pushnotifications.subscriptions.delete(moved.subscription.id))).code).toBe(403);
      expect((await rejection(alice.cube.pushnotifications.subscriptions.delete(999_999_999))).code).toBe(404);
      await alice.cube.pushnotifications.subscriptions.delete(web.subscription.id);
      expect(await alice.cube.pushnotifications.subscriptions.list()).toEqual([]);
      expect(await bob.cube.pushnotifications.subscriptions.list()).toHaveLength(1);
    });

    it('refuses bad subscriptions with 422 and changes nothing; needs a user session', async () => {
      const alice = await person('push-bad');
      const create = (params: any) => rejection(alice.cube.pushnotifications.subscriptions.create(params));
      const bad = await create({ notification_channel: 'sms', push_token: { environment: 'production' }, device: { platform: 'ios', udid: 'x' } });
      expect(bad.code).toBe(422);
      expect((bad.info as any).errors.notification_channel).toBeDefined();
      const http = await create({ notification_channel: 'web', push_token: { environment: 'production', web_endpoint: 'http://push.example/x', web_auth: 'AAAAAAAAAAAAAAAAAAAAAA', web_p256dh: 'x' }, device: { platform: 'web', udid: 'w' } });
      expect(http.code).toBe(422);
      expect((http.info as any).errors['push_token.web_endpoint']).toEqual(['must be an https URL']);
      expect((await create({ notification_channel: 'gcm', push_token: { environment: 'production' }, device: { platform: 'android', udid: 'a' } })).code).toBe(422);
      expect(await alice.cube.pushnotifications.subscriptions.list()).toEqual([]);
      const app = fixture.cube();
      await app.createSession();
      expect((await rejection(app.pushnotifications.subscriptions.list())).code).toBe(403);
    });

    it('sends a universal event to user ids over Web Push, FCM and APNs, each as its provider expects (§7.2)', async () => {
      const { vapidKey, bundleId } = await fixture.configureProviders();
      fixture.receivers.expectVapidKey = vapidKey;
      const sender = await person('push-ev-s');
      const alice = await person('push-ev-a');
      const { endpointId } = await subscribeWeb(alice);
      const fcmToken = token();
      const apnsToken = token();
      await subscribeDevice(alice, 'gcm', fcmToken);
      await subscribeDevice(alice, 'apns', apnsToken);
      const start = fixture.receivers.received.length;
      const message = encode(sender, { message: 'Hello ✓', ios_badge: 3, ios_sound: 'ping.caf', order: 'A-17' });
      const [event] = await sender.cube.pushnotifications.events.create({ notification_type: 'push', environment: 'development', message, user: { ids: [alice.id] } });
      expect(event.event).toMatchObject({ id: expect.any(Number), event_type: 'one_shot', message, user_id: sender.id, kind: 'API', environment: 'development', notification_channel: { name: null } });
      // Web subscriptions are production: the development event reaches only the devices.
      await quiet();
      let got = receivedSince(start);
      expect(got.map((push) => push.provider).sort()).toEqual(['apns', 'fcm']);
      expect(got.find((push) => push.provider === 'fcm')).toMatchObject({ message: { token: fcmToken, data: { message: 'Hello ✓', ios_badge: '3', order: 'A-17' }, android: { priority: 'normal' } } });
      expect(got.find((push) => push.provider === 'apns')).toMatchObject({ token: apnsToken, pushType: 'alert', topic: bundleId, payload: { aps: { alert: 'Hello ✓', badge: 3, sound: 'ping.caf' }, order: 'A-17' } });
      // Without an environment: every subscription, the web one included (payload decrypted by the receiver).
      const second = fixture.receivers.received.length;
      await sender.cube.pushnotifications.events.create({ notification_type: 'push', message, user: { ids: String(alice.id) } });
      await quiet();
      got = receivedSince(second);
      expect(got.map((push) => push.provider).sort()).toEqual(['apns', 'fcm', 'web']);
      expect(got.find((push) => push.provider === 'web')).toEqual(expect.objectContaining({ endpointId, payload: { message: 'Hello ✓', ios_badge: 3, ios_sound: 'ping.caf', order: 'A-17' }, vapidPublicKey: vapidKey }));
      expect(fixture.receivers.violations).toEqual([]);
      // The OAuth token is cached: one exchange for both FCM sends.
      expect(fixture.receivers.tokenRequests).toBe(1);
    });

    it('selects recipients by tags (any, all, exclude) and external ids; platform-specific payloads go as written', async () => {
      await fixture.configureProviders();
      const sender = await person('push-tag-s');
      const tagged = async (tags: string, external: number) => {
        const who = await person('push-tag');
        await who.cube.users.update({ tag_list: tags, external_user_id: external });
        return { who, device: await subscribeDevice(who, 'gcm', token()) };
      };
      const base = 700_000 + Math.floor(Math.random() * 100_000);
      const tagA = fixture.unique('ta');
      const tagB = fixture.unique('tb');
      const [ab, a, b] = [await tagged(`${tagA},${tagB}`, base), await tagged(tagA, base + 1), await tagged(tagB, base + 2)];
      const recipients = async (event: any) => {
        const start = fixture.receivers.received.length;
        await sender.cube.pushnotifications.events.create({ notification_type: 'push', message: encode(sender, { message: 'x' }), ...event });
        await quiet();
        return receivedSince(start).map((push: any) => push.message.token).sort();
      };
      const tokensOf = async (...people: { who: Person }[]) => (await Promise.all(people.map(async ({ who }) => (await fixture.server.server.store.push.subscriptionsOfUser(fixture.server.app.id, who.id))[0]?.token))).sort();
      expect(await recipients({ user: { tags: { any: `${tagA},${tagB}` } } })).toEqual(await tokensOf(ab, a, b));
      expect(await recipients({ user: { tags: { all: `${tagA},${tagB}` } } })).toEqual(await tokensOf(ab));
      expect(await recipients({ user: { tags: { any: tagA, exclude: tagB } } })).toEqual(await tokensOf(a));
      expect(await recipients({ external_user: { ids: `${base + 1},${base + 2}` } })).toEqual(await tokensOf(a, b));
      // payload=<base64>: the FCM message fields as the app wrote them, to one channel.
      const start = fixture.receivers.received.length;
      const payload = `payload=${encode(sender, { notification: { title: 'T', body: 'B' }, data: { k: 'v' } })}`;
      await sender.cube.pushnotifications.events.create({ notification_type: 'push', push_type: 'gcm', message: payload, user: { ids: [a.who.id] } });
      await quiet();
      expect(receivedSince(start)).toEqual([expect.objectContaining({ message: expect.objectContaining({ notification: { title: 'T', body: 'B' }, data: { k: 'v' } }) })]);
    });

    it('refuses bad events with 422 (no recipients, bad enums, bad payload) and sends nothing', async () => {
      const sender = await person('push-bad-ev');
      const send = (event: any) => rejection(sender.cube.pushnotifications.events.create(event));
      const good = encode(sender, { message: 'x' });
      for (const event of [
        { notification_type: 'push', message: good },
        { notification_type: 'push', message: good, push_type: 'fax', user: { ids: [sender.id] } },
        { notification_type: 'push', message: good, environment: 'staging', user: { ids: [sender.id] } },
        { notification_type: 'push', message: 'not base64 json!', user: { ids: [sender.id] } },
        { notification_type: 'push', message: `payload=${good}`, user: { ids: [sender.id] } },
        { notification_type: 'push', message: good, user: { ids: 'a,b' } },
      ]) {
        expect((await send(event)).code).toBe(422);
      }
      await quiet();
    });

    it('chat alerts: an offline recipient gets one, with the template and dialog id; silent and muted give none (rest.md §4.10)', async () => {
      await fixture.configureProviders();
      expect((await fixture.admin('PUT', { chat_alert_template: '%{sender_name} in %{dialog_name}: %{message_text}' })).status).toBe(200);
      const alice = await person('push-chat-a');
      const bob = await person('push-chat-b');
      await alice.cube.users.update({ full_name: 'Alice A' });
      const apnsToken = token();
      await subscribeDevice(bob, 'apns', apnsToken);
      await alice.cube.chat.connect({ userId: alice.id, password: PASSWORD });
      await alice.cube.chat.ping();
      const dialog = await alice.cube.chat.dialog.create({ type: 3, occupants_ids: [bob.id] });
      const start = fixture.receivers.received.length;
      // XMPP, saved to history, bob has no connection.
      alice.cube.chat.send(bob.id, { type: 'chat', body: 'Lunch?', extension: { save_to_history: 1, dialog_id: dialog._id } });
      await alice.cube.chat.ping();
      await quiet();
      expect(receivedSince(start)).toEqual([expect.objectContaining({ provider: 'apns', token: apnsToken, payload: expect.objectContaining({ aps: expect.objectContaining({ alert: 'Alice A in Alice A: Lunch?' }), dialog_id: dialog._id }) })]);
      // silent: 1 → none; over REST too.
      alice.cube.chat.send(bob.id, { type: 'chat', body: 'shh', extension: { save_to_history: 1, dialog_id: dialog._id, silent: 1 } });
      await alice.cube.chat.ping();
      await alice.cube.chat.message.create({ chat_dialog_id: dialog._id, message: 'shh too', silent: 1 });
      await quiet();
      expect(receivedSince(start)).toHaveLength(1);
      // REST send: an alert too.
      await alice.cube.chat.message.create({ chat_dialog_id: dialog._id, message: 'over REST' });
      await quiet();
      expect(receivedSince(start)).toHaveLength(2);
      // Muted by bob → none.
      await bob.cube.chat.dialog.updateNotificationsSettings(dialog._id, 0);
      alice.cube.chat.send(bob.id, { type: 'chat', body: 'muted', extension: { save_to_history: 1, dialog_id: dialog._id } });
      await alice.cube.chat.ping();
      await quiet();
      expect(receivedSince(start)).toHaveLength(2);
      // A group message: every offline member, the dialog's name in the template.
      const group = await alice.cube.chat.dialog.create({ type: 2, name: 'Team Lunch', occupants_ids: [bob.id] });
      await alice.cube.chat.message.create({ chat_dialog_id: group._id, message: 'noon?' });
      await quiet();
      expect(receivedSince(start).slice(2)).toEqual([expect.objectContaining({ token: apnsToken, payload: expect.objectContaining({ aps: expect.objectContaining({ alert: 'Alice A in Team Lunch: noon?' }), dialog_id: group._id }) })]);
      await alice.cube.chat.disconnect();
    });

    it('chat alerts follow markInactive / markActive while connected, and skip senders a privacy list blocks', async () => {
      await fixture.configureProviders();
      const alice = await person('push-csi-a');
      const bob = await person('push-csi-b');
      const fcmToken = token();
      await subscribeDevice(bob, 'gcm', fcmToken);
      for (const who of [alice, bob]) {
        await who.cube.chat.connect({ userId: who.id, password: PASSWORD });
        await who.cube.chat.ping();
      }
      const dialog = await alice.cube.chat.dialog.create({ type: 3, occupants_ids: [bob.id] });
      const say = async (body: string) => {
        alice.cube.chat.send(bob.id, { type: 'chat', body, extension: { save_to_history: 1, dialog_id: dialog._id } });
        await alice.cube.chat.ping();
        await quiet();
      };
      const start = fixture.receivers.received.length;
      await say('bob is active');
      expect(receivedSince(start)).toHaveLength(0);
      bob.cube.chat.markInactive();
      await bob.cube.chat.ping();
      await say('bob is in the background');
      expect(receivedSince(start)).toEqual([expect.objectContaining({ provider: 'fcm', message: expect.objectContaining({ token: fcmToken, data: expect.objectContaining({ dialog_id: dialog._id }) }) })]);
      bob.cube.chat.markActive();
      await bob.cube.chat.ping();
      await say('bob is back');
      expect(receivedSince(start)).toHaveLength(1);
      // Bob blocks alice and goes offline: her messages are refused, and no alert is sent.
      await bob.cube.chat.privacylist.create({ name: 'nope', items: [{ user_id: alice.id, action: 'deny' }] });
      await bob.cube.chat.privacylist.setAsDefault('nope');
      await bob.cube.chat.disconnect();
      await alice.cube.chat.message.create({ chat_dialog_id: dialog._id, message: 'blocked?' }).catch(() => undefined);
      await quiet();
      expect(receivedSince(start)).toHaveLength(1);
      await alice.cube.chat.disconnect();
    });

    it('pushes address-book owners when a contact of theirs signs up, once the app enables it (§8)', async () => {
      await fixture.configureProviders();
      const owner = await person('push-book');
      const { endpointId } = await subscribeWeb(owner);
      const phone = `55${Math.floor(Math.random() * 1e8).toString().padStart(8, '0')}`;
      await owner.cube.addressbook.uploadAddressBook([{ name: 'New Friend', phone }]);
      const signup = async (login: string, withPhone: string) => {
        const app = fixture.cube();
        await app.createSession();
        await app.users.signup({ login, password: PASSWORD, phone: withPhone, full_name: 'Newcomer' });
      };
      expect((await fixture.admin('PUT', { contact_joined: false })).status).toBe(200);
      const start = fixture.receivers.received.length;
      await signup(fixture.unique('joiner'), phone);
      await quiet();
      expect(receivedSince(start)).toHaveLength(0);
      expect((await fixture.admin('PUT', { contact_joined: true })).status).toBe(200);
      await signup(fixture.unique('joiner'), `+${phone.slice(0, 2)} ${phone.slice(2)}`);
      await quiet();
      expect(receivedSince(start)).toEqual([expect.objectContaining({ provider: 'web', endpointId, payload: expect.objectContaining({ message: 'Newcomer joined', contact_joined: 1 }) })]);
      expect((await fixture.admin('PUT', { contact_joined: false })).status).toBe(200);
    });

    it('keeps apps apart: another app cannot see, delete or push to this app\'s subscriptions', async () => {
      const other = await fixture.server.createApp(fixture.unique('push-other-app'));
      const mine = await person('push-own');
      const { subscription } = await subscribeWeb(mine);
      const stranger = await person('push-stranger', other);
      expect(await stranger.cube.pushnotifications.subscriptions.list()).toEqual([]);
      expect((await rejection(stranger.cube.pushnotifications.subscriptions.delete(subscription.subscription.id))).code).toBe(404);
      const start = fixture.receivers.received.length;
      await stranger.cube.pushnotifications.events.create({ notification_type: 'push', message: encode(stranger, { message: 'x' }), user: { ids: [mine.id] } });
      await quiet();
      expect(receivedSince(start)).toHaveLength(0);
      expect(await mine.cube.pushnotifications.subscriptions.list()).toHaveLength(1);
    });
  });
}
