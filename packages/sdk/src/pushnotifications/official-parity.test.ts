// The official SDK is the oracle: every push call must produce its URL, method, headers, body and
// response mode byte for byte.
import { describe, it, expect, beforeAll } from 'vitest';
import OfficialConnectyCube, { DevicePlatform as OfficialPlatform, NotificationChannel as OfficialChannel, PushEnvironment as OfficialEnvironment } from 'connectycube';
import type { ConnectyCube } from '../connectycube.js';
import { initOfficial, officialWire, parleyWire } from '../testing/official-wire.js';
import { base64Encode } from './pushnotifications-service.js';
import { DevicePlatform, NotificationChannel, PushEnvironment } from './types.js';

type Push = ConnectyCube['pushnotifications'];

const WEB = {
  notification_channel: 'web',
  push_token: { environment: 'production', web_endpoint: 'https://push.example/abc', web_auth: 'AUTH', web_p256dh: 'KEY' },
  device: { platform: 'web', udid: 'browser-1' },
};
const APNS = { notification_channel: 'apns', push_token: { environment: 'development', client_identification_sequence: 'a1b2', bundle_identifier: 'com.x' }, device: { platform: 'ios', udid: 'D-1' } };

const CASES: Array<[string, (push: Push) => Promise<unknown>]> = [
  ['subscriptions.create(web)', (p) => p.subscriptions.create(WEB)],
  ['subscriptions.create(apns)', (p) => p.subscriptions.create(APNS)],
  ['subscriptions.list()', (p) => p.subscriptions.list()],
  ['subscriptions.delete(id)', (p) => p.subscriptions.delete(42)],
  ['subscriptions.delete("id")', (p) => p.subscriptions.delete('43')],
  ['events.create(ids string)', (p) => p.events.create({ notification_type: 'push', environment: 'development', message: 'eyJtZXNzYWdlIjoiaGkifQ==', user: { ids: '1,2' } })],
  ['events.create(ids array, tags)', (p) => p.events.create({ notification_type: 'push', push_type: 'gcm', message: 'x', user: { ids: [3, 4], tags: { any: 'a,b', exclude: 'c' } } })],
  ['events.create(external)', (p) => p.events.create({ notification_type: 'push', message: 'x', external_user: { ids: '77' } })],
];

describe('pushnotifications against the official SDK', () => {
  beforeAll(initOfficial);

  it.each(CASES)('%s sends the same request and reads the response the same way', async (_name, call) => {
    const theirs = await officialWire('pushnotifications', call);
    const ours = await parleyWire('pushnotifications', call);
    expect(ours).toEqual(theirs);
  });

  it('base64Encode matches, plain and URL-safe, on non-ASCII text', () => {
    const text = JSON.stringify({ message: 'Привет ✓ ~~~???>>>' });
    const official = OfficialConnectyCube.pushnotifications as unknown as { base64Encode: (t: string, u?: boolean) => string };
    for (const urlSafe of [false, true]) expect(base64Encode(text, urlSafe)).toBe(official.base64Encode(text, urlSafe));
  });

  it('exports the enums with the same keys and values', () => {
    expect({ ...NotificationChannel }).toEqual({ ...OfficialChannel });
    expect({ ...DevicePlatform }).toEqual({ ...OfficialPlatform });
    expect({ ...PushEnvironment }).toEqual({ ...OfficialEnvironment });
  });
});
