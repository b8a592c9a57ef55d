import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { newObjectId } from '@parley/protocol';
import { loginPlain, RawXmppClient, startPushReceivers, startServer, xml, type PushReceivers, type ReceivedPush, type TestServer } from '@parley/testkit';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboardIfStale } from '../../scripts/build-dashboard.mjs';
import { initAgainst, officialSdk } from '../scenarios/sdk.js';
import { launchChromium, openScreen, pageStatus, screenshot, seriousA11yViolations, signInOperator } from './browser.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- SDK responses are checked field by field */

const OPERATOR = { login: 'ops-pia', password: 'dashboard-pass-2' };
const PASSWORD = 'password123';

/** One second of a 440 Hz tone as a 16-bit mono WAV: a real file a browser can play. */
function toneWav(): Buffer {
  const rate = 8000;
  const samples = Buffer.alloc(rate * 2);
  for (let i = 0; i < rate; i += 1) samples.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 8000), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + samples.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(samples.length, 40);
  return Buffer.concat([header, samples]);
}

/**
 * The dashboard's operator screens beyond the basics, in Debian Chromium against a real server whose
 * push providers are the local receivers: push credentials, a test push and the delivery log (a
 * delivery and a failure), the app's push settings obeyed by a chat alert, meetings with a recording
 * played and downloaded, active calls on the live overview. Each screen passes axe-core and leaves a
 * screenshot; signed-out browsers and forged CSRF tokens are refused on the new routes.
 */
describe('dashboard operations in Chromium', () => {
  let server: TestServer;
  let receivers: PushReceivers;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  const cube = () => initAgainst(officialSdk.create(), server.url, server.app, { endpoints: { api_url: server.url, chat: 'localhost', chat_url: server.wsUrl } }) as any;
  const person = async (login: string) => {
    const own = cube();
    const session = await own.createSession({ login, password: PASSWORD });
    return { cube: own, id: session.user_id as number };
  };
  const accessible = async (name: string) => {
    expect(await seriousA11yViolations(page), name).toEqual([]);
    await screenshot(page, name);
  };
  const pickApp = (id: number) => page.getByRole('combobox', { name: 'Application' }).selectOption(String(id));
  const subscribeWeb = async (who: { cube: any }, udid: string) => {
    const keys = receivers.browserSubscription();
    await who.cube.pushnotifications.subscriptions.create({
      notification_channel: 'web',
      push_token: { environment: 'production', web_endpoint: keys.endpoint, web_auth: keys.keys.auth, web_p256dh: keys.keys.p256dh },
      device: { platform: 'web', udid },
    });
    return keys.id;
  };

  beforeAll(async () => {
    await buildDashboardIfStale({ quiet: true });
    receivers = await startPushReceivers();
    server = await startServer({
      config: {
        pushAllowPrivateEndpoints: 'true',
        pushCaFile: receivers.caFile,
        pushFcmUrl: receivers.origin,
        pushApnsUrl: receivers.origin,
        pushApnsSandboxUrl: receivers.origin,
        pushRetryBaseMs: '50',
      },
    });
    await server.server.services.operators.create(OPERATOR.login, OPERATOR.password);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signInOperator(page, server.url, OPERATOR);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await receivers?.close();
  });

  it('Push: sets, replaces and removes credentials (never shown back), a test push is delivered, a refused one listed as a failure', async () => {
    const pat = await person('push-pat');
    const endpointId = await subscribeWeb(pat, 'pat-browser');
    await pat.cube.pushnotifications.subscriptions.create({ notification_channel: 'gcm', push_token: { environment: 'production', client_identification_sequence: 'pat-android-token' }, device: { platform: 'android', udid: 'pat-phone' } });

    await openScreen(page, 'Push');
    await pickApp(server.app.id);
    await page.getByText('No push sent in the last week.').waitFor();
    const fcm = page.locator('.card', { has: page.getByRole('heading', { name: /FCM/ }) });
    expect(await fcm.getByText('Not set').isVisible()).toBe(true);

    const account = receivers.fcmServiceAccount('dash-project');
    await page.getByRole('button', { name: 'Set FCM credentials' }).click();
    await page.getByLabel(/Service account JSON/).fill(JSON.stringify(account));
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('FCM credentials saved').waitFor();
    await fcm.getByText('Set: project dash-project').waitFor();
    const apnsKey = receivers.apnsKey('com.example.dash');
    await page.getByRole('button', { name: 'Set APNs credentials' }).click();
    await page.getByLabel('Key id').fill(apnsKey.key_id);
    await page.getByLabel('Team id').fill(apnsKey.team_id);
    await page.getByLabel('Bundle id').fill(apnsKey.bundle_id);
    await page.getByLabel(/Auth key/).fill(apnsKey.private_key);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Set: com.example.dash').waitFor();
    // Keys go in, only fingerprints come back.
    const html = await page.content();
    for (const secret of [account.private_key, apnsKey.private_key]) expect(html).not.toContain(secret.split('\n')[1]);
    expect(html).toMatch(/sha256:[0-9a-f]{16}/);
    // A bad key is refused with the field named, and nothing changes.
    await page.getByRole('button', { name: 'Replace APNs credentials' }).click();
    for (const [label, value] of [['Key id', 'SHORT'], ['Team id', apnsKey.team_id], ['Bundle id', apnsKey.bundle_id], [/Auth key/, 'not a key']] as const) await page.getByLabel(label).fill(value);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'apns.key_id' }).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(await page.getByRole('alert').count()).toBe(0);
    expect((await server.server.store.push.getConfig(server.app.id)).apns?.keyId).toBe(apnsKey.key_id);

    await page.getByLabel('User id').fill(String(pat.id));
    await page.getByLabel('Message').fill('Hello from the operator');
    await page.getByRole('button', { name: 'Send test push' }).click();
    await page.getByText(`Queued 2 pushes for user ${pat.id}`).waitFor();
    const received = await receivers.waitFor(2);
    expect(received.find((push): push is Extract<ReceivedPush, { provider: 'web' }> => push.provider === 'web')).toMatchObject({ endpointId, payload: { message: 'Hello from the operator' } });
    expect(received.find((push) => push.provider === 'fcm')).toMatchObject({ projectId: 'dash-project', message: { data: { message: 'Hello from the operator' } } });
    const deliveries = page.getByRole('table', { name: 'Recent deliveries' });
    await expect.poll(() => deliveries.getByText('Delivered').count(), { timeout: 10_000 }).toBe(2);
    expect(receivers.violations).toEqual([]);

    // FCM refuses the next one for itself: it shows as a failure, with the provider's reason.
    receivers.refuse = (push) => (push.provider === 'fcm' ? { status: 400, body: JSON.stringify({ error: { status: 'INVALID_ARGUMENT', message: 'Message is too big' } }) } : undefined);
    await page.getByRole('button', { name: 'Send test push' }).click();
    await expect.poll(() => deliveries.getByText('Refused (failed)').count(), { timeout: 10_000 }).toBe(1);
    receivers.refuse = () => undefined;
    await page.getByLabel('Failures only').check();
    await expect.poll(() => deliveries.locator('tbody tr').count()).toBe(1);
    expect(await deliveries.textContent()).toContain('Message is too big');
    await accessible('push');

    // Unknown users and users without a device are explained, not queued.
    const nobody = await person('push-nobody');
    await page.getByLabel('User id').fill(String(nobody.id));
    await page.getByRole('button', { name: 'Send test push' }).click();
    await page.getByRole('alert').filter({ hasText: 'has no push subscription' }).waitFor();

    // Removing asks first; Cancel keeps the credentials, confirming removes them.
    await page.getByRole('button', { name: 'Remove FCM…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    expect((await server.server.store.push.getConfig(server.app.id)).fcm).not.toBeNull();
    await page.getByRole('button', { name: 'Remove FCM…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove credentials' }).click();
    await page.getByText('FCM credentials removed').waitFor();
    expect((await server.server.store.push.getConfig(server.app.id)).fcm).toBeNull();
    await fcm.getByText('Not set').waitFor();

    // The cookie alone (no CSRF token, or a forged one) changes nothing.
    const testPush = `/admin/apps/${server.app.id}/push/test`;
    const body = JSON.stringify({ user_id: pat.id, message: 'forged' });
    expect(await pageStatus(page, testPush, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })).toBe(403);
    expect(await pageStatus(page, `/admin/apps/${server.app.id}/push`, { method: 'PUT', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': 'forged' }, body: '{"apns":null}' })).toBe(403);
    expect((await server.server.store.push.getConfig(server.app.id)).apns).not.toBeNull();
  });

  it('Applications: the chat alert template and the automatic pushes set here shape the alert an offline recipient gets', async () => {
    const sender = await person('alert-sam');
    const recipient = await person('alert-rita');
    const endpointId = await subscribeWeb(recipient, 'rita-browser');
    await openScreen(page, 'Applications');
    const { name } = await server.server.services.apps.get(server.app.id);
    await page.getByRole('button', { name, exact: true }).click();
    const template = page.getByLabel('Chat alert template');
    await expect.poll(() => template.inputValue()).toBe('%{sender_name}: %{message_text}');
    await template.fill('New from %{sender_name}: %{message_text}');
    await page.getByLabel(/contact joined/).check();
    await page.getByRole('button', { name: 'Save push settings' }).click();
    await page.getByText('Push settings saved').waitFor();
    expect(await server.server.store.push.getConfig(server.app.id)).toMatchObject({ contactJoined: true, callPushes: false });
    await accessible('applications-push');

    // The recipient has no chat connection: the message becomes a push with the new text.
    const before = receivers.received.length;
    const dialog = await sender.cube.chat.dialog.create({ type: 3, occupants_ids: [recipient.id] });
    await sender.cube.chat.message.create({ chat_dialog_id: dialog._id, message: 'are you there?', recipient_id: recipient.id, send_to_chat: 1 });
    const [alert] = (await receivers.waitFor(before + 1)).slice(before);
    expect(alert).toMatchObject({ provider: 'web', endpointId, payload: { message: 'New from alert-sam: are you there?' } });

    await page.getByRole('link', { name: /Provider credentials/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Push' }).waitFor();
    expect(page.url()).toContain(`/dashboard/push?app=${server.app.id}`);
  });

  it('Meetings: lists an app’s meetings; a recording stored on the blob storage plays in the page and downloads byte for byte', async () => {
    await openScreen(page, 'Meetings');
    await pickApp(server.app.id);
    await page.getByText('No meeting yet', { exact: false }).waitFor();

    const host = await person('meet-hana');
    const guest = await person('meet-gus');
    const start = Math.floor(Date.now() / 1000);
    const meeting = await host.cube.meeting.create({ name: 'Quarterly review', start_date: start, end_date: start + 3600, attendees: [{ id: guest.id }], record: true, chat: false });
    await host.cube.meeting.create({ name: 'Stand-up', start_date: start - 86_400, end_date: start - 86_000, attendees: [] });
    // What the recording pipeline stores when a recorded room ends (Janus is not needed for this screen).
    const wav = toneWav();
    const blob = await server.server.services.blobs.storeServerFile(server.app.id, host.id, `meeting-${meeting._id}-${guest.id}.wav`, 'audio/wav', Readable.from(wav));
    const now = Date.now();
    await server.server.store.meetings.addRecording({ id: newObjectId(now), appId: server.app.id, meetingId: meeting._id, blobId: blob.id, participantIds: [host.id, guest.id], duration: 1, sizeBytes: wav.length, createdAt: now, updatedAt: now });
    // The host sees the same recording through the public API.
    expect(await host.cube.meeting.getRecordings(meeting._id)).toHaveLength(1);

    await openScreen(page, 'Live overview');
    await openScreen(page, 'Meetings');
    const table = page.getByRole('table', { name: 'Meetings' });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(2);
    expect(await table.locator('tbody tr').first().textContent()).toContain('Quarterly review');
    await page.getByRole('button', { name: 'Stand-up' }).click();
    await page.getByText('No recording: recording is off for this meeting.').waitFor();
    await page.getByRole('button', { name: 'Quarterly review' }).click();
    const audio = page.getByLabel('Recording 1 of Quarterly review');
    await expect.poll(() => audio.evaluate((element: HTMLAudioElement) => (element.readyState >= 1 ? Math.round(element.duration) : -1)), { timeout: 10_000 }).toBe(1);
    await accessible('meetings');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /^Download meeting-/ }).click()]);
    expect(download.suggestedFilename()).toBe(`meeting-${meeting._id}-${guest.id}.wav`);
    expect((await readFile(await download.path())).equals(wav)).toBe(true);
    expect(await pageStatus(page, `/admin/apps/${server.app.id}/meetings/${'c'.repeat(24)}/recordings`)).toBe(404);
  });

  it('Live overview: an answered call counts as active until it is hung up or a party disconnects', async () => {
    const caller = await person('call-cara');
    const callee = await person('call-carl');
    const online = async (who: { id: number }) => {
      const raw = await RawXmppClient.websocket(server.wsUrl);
      const jid = await loginPlain(raw, { domain: server.chatDomain, appId: server.app.id, userId: who.id, password: PASSWORD });
      raw.send(xml('presence'));
      return { raw, jid };
    };
    const [a, b] = [await online(caller), await online(callee)];
    const signal = (from: { raw: RawXmppClient }, to: string, signalType: string, sessionId = 'dash-call-1') =>
      from.raw.send(
        xml(
          'message',
          { xmlns: 'jabber:client', to, type: 'headline', id: `s-${signalType}` },
          xml(
            'extraParams',
            { xmlns: 'jabber:client' },
            xml('sessionID', {}, sessionId),
            xml('callType', {}, '1'),
            xml('callerID', {}, String(caller.id)),
            xml('opponentsIDs', {}, xml('opponentID', {}, String(callee.id))),
            ...(signalType === 'call' || signalType === 'accept' ? [xml('sdp', {}, 'v=0\r\n')] : []),
            xml('moduleIdentifier', {}, 'WebRTCVideoChat'),
            xml('signalType', {}, signalType),
            xml('platform', {}, 'web'),
          ),
        ),
      );
    try {
      await openScreen(page, 'Live overview');
      const now = async (key: string) => Number(await page.getByTestId(`now-${key}`).textContent());
      expect(await now('active_calls')).toBe(0);
      expect(await now('active_conferences')).toBe(0);
      signal(a, b.jid.split('/')[0] ?? '', 'call');
      await b.raw.next((element) => element.name === 'message');
      signal(b, a.jid.split('/')[0] ?? '', 'accept');
      await a.raw.next((element) => element.name === 'message');
      await expect.poll(() => now('active_calls'), { timeout: 12_000, interval: 500 }).toBe(1);
      await screenshot(page, 'live-overview-calls');
      signal(a, b.jid.split('/')[0] ?? '', 'hangUp');
      await b.raw.next((element) => element.name === 'message' && element.attrs.id === 's-hangUp');
      await expect.poll(() => now('active_calls'), { timeout: 12_000, interval: 500 }).toBe(0);

      // A client that vanishes without hanging up ends its call too (read from /metrics, the same gauge).
      const gauge = async () => Number(/^parley_calls_active{node="[^"]+"} (\d+)$/m.exec(await (await fetch(`${server.url}/metrics`)).text())?.[1]);
      signal(a, b.jid.split('/')[0] ?? '', 'call', 'dash-call-2');
      await b.raw.next((element) => element.name === 'message' && element.attrs.id === 's-call');
      signal(b, a.jid.split('/')[0] ?? '', 'accept', 'dash-call-2');
      await a.raw.next((element) => element.name === 'message' && element.attrs.id === 's-accept');
      expect(await gauge()).toBe(1);
      b.raw.destroy();
      await expect.poll(gauge, { timeout: 5000, interval: 100 }).toBe(0);
    } finally {
      a.raw.destroy();
      b.raw.destroy();
    }
  });

  it('new screens read at phone width and are reachable by keyboard; a signed-out browser gets nothing', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const screen of ['Meetings', 'Push']) {
      await openScreen(page, screen);
      expect({ screen, fits: await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth) }).toEqual({ screen, fits: true });
    }
    await screenshot(page, 'push-phone');
    await page.setViewportSize({ width: 1280, height: 860 });

    // From the skip link, Tab reaches every screen link in order; Enter opens it.
    await page.goto(`${server.url}/dashboard/live`);
    await page.getByRole('heading', { level: 1, name: 'Live overview' }).waitFor();
    const focused = () => page.evaluate(() => document.activeElement?.textContent ?? '');
    const seen: string[] = [];
    for (let i = 0; i < 9 && !seen.includes('Meetings'); i += 1) {
      await page.keyboard.press('Tab');
      seen.push(await focused());
    }
    expect(seen).toEqual(['Skip to content', 'Live overview', 'Applications', 'Users', 'Dialogs', 'Custom data', 'Push', 'Meetings']);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Meetings' }).waitFor();

    const stranger = await browser.newContext();
    try {
      const signedOut = await stranger.newPage();
      await signedOut.goto(`${server.url}/dashboard/push?app=${server.app.id}`);
      await signedOut.getByRole('button', { name: 'Sign in' }).waitFor();
      for (const path of [`/admin/apps/${server.app.id}/push`, `/admin/apps/${server.app.id}/push/deliveries`, `/admin/apps/${server.app.id}/meetings`]) {
        expect({ path, status: await pageStatus(signedOut, path) }).toEqual({ path, status: 401 });
      }
      expect(await pageStatus(signedOut, `/admin/apps/${server.app.id}/push/test`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"user_id":1,"message":"x"}' })).toBe(401);
    } finally {
      await stranger.close();
    }
  });
});
