import type { PushChannel, PushMessage } from '../../ports/push.js';

/**
 * The universal push payload (rest.md §7.2: base64 JSON with `message`, `ios_*`, `android_fcm_notification`,
 * `expiration` and custom keys) shaped for each channel, or a platform-specific payload passed through.
 */

const UNIVERSAL_KEYS = new Set([
  'message',
  'ios_badge',
  'ios_sound',
  'ios_content_available',
  'ios_mutable_content',
  'ios_category',
  'ios_voip',
  'ios_push_type',
  'ios_thread_id',
  'ios_loc_data',
  'expiration',
  'android_fcm_notification',
]);

const truthy = (value: unknown) => value === 1 || value === '1' || value === true || value === 'true';

function expiresAt(content: Record<string, unknown>): number {
  const value = Number(content.expiration);
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/** Which channels a universal push goes to: VoIP subscriptions only get pushes marked `ios_voip`. */
export function universalChannels(content: Record<string, unknown>): PushChannel[] {
  return truthy(content.ios_voip) ? ['apns_voip', 'gcm', 'web'] : ['apns', 'gcm', 'web'];
}

/** FCM data values must be strings. */
function stringValues(content: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(content).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]));
}

function apnsPayload(content: Record<string, unknown>): Record<string, unknown> {
  const aps: Record<string, unknown> = {};
  const text = content.message;
  if (typeof text === 'string' && text !== '') aps.alert = content.ios_loc_data && typeof content.ios_loc_data === 'object' ? { body: text, ...(content.ios_loc_data as object) } : text;
  if (content.ios_badge !== undefined && Number.isInteger(Number(content.ios_badge))) aps.badge = Number(content.ios_badge);
  if (typeof content.ios_sound === 'string') aps.sound = content.ios_sound;
  if (truthy(content.ios_content_available)) aps['content-available'] = 1;
  if (truthy(content.ios_mutable_content)) aps['mutable-content'] = 1;
  if (typeof content.ios_category === 'string') aps.category = content.ios_category;
  if (typeof content.ios_thread_id === 'string') aps['thread-id'] = content.ios_thread_id;
  const custom = Object.fromEntries(Object.entries(content).filter(([key]) => !UNIVERSAL_KEYS.has(key) && key !== 'aps'));
  return { ...custom, aps };
}

function apnsPushType(channel: PushChannel, payload: Record<string, unknown>, requested: unknown): PushMessage['pushType'] {
  if (channel === 'apns_voip') return 'voip';
  if (requested === 'background' || requested === 'alert') return requested;
  const aps = (payload.aps ?? {}) as Record<string, unknown>;
  return aps['content-available'] === 1 && aps.alert === undefined && aps.sound === undefined && aps.badge === undefined ? 'background' : 'alert';
}

/** A universal payload for one channel. `urgent` marks calls (VoIP / high priority). */
export function universalMessage(channel: PushChannel, content: Record<string, unknown>, urgent = false): PushMessage {
  const expires = expiresAt(content);
  switch (channel) {
    case 'web':
      return { payload: content, pushType: 'alert', urgent, expiresAt: expires };
    case 'gcm': {
      const fcm: Record<string, unknown> = { data: stringValues(content) };
      if (truthy(content.android_fcm_notification) && typeof content.message === 'string') fcm.notification = { body: content.message };
      return { payload: fcm, pushType: 'alert', urgent: urgent || truthy(content.ios_voip), expiresAt: expires };
    }
    default: {
      const payload = channel === 'apns_voip' ? Object.fromEntries(Object.entries(content).filter(([key]) => key !== 'ios_voip')) : apnsPayload(content);
      const pushType = apnsPushType(channel, payload, content.ios_push_type);
      return { payload, pushType, urgent: urgent || pushType !== 'background', expiresAt: expires };
    }
  }
}

/** A platform-specific payload (`payload=<base64>`): the provider body as the app wrote it. */
export function platformMessage(channel: PushChannel, payload: Record<string, unknown>): PushMessage {
  const pushType = channel === 'apns' || channel === 'apns_voip' ? apnsPushType(channel, payload, undefined) : 'alert';
  return { payload, pushType, urgent: pushType !== 'background', expiresAt: 0 };
}
