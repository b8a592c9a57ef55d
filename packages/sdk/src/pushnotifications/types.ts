// Push notification shapes (rest.md §7): the official SDK's constants and the SDK's parameters here,
// what the server sends from @parley/protocol.
import type { PushEventWire, PushSubscriptionWire } from '@parley/protocol';

export enum NotificationChannel {
  APNS = 'apns',
  VOIP = 'apns_voip',
  GCM = 'gcm',
  WEB = 'web',
}

export enum DevicePlatform {
  IOS = 'ios',
  ANDROID = 'android',
  WEB = 'web',
}

export enum PushEnvironment {
  DEV = 'development',
  PROD = 'production',
}

export type Subscription = PushSubscriptionWire;

export interface PushTokenMobileParams {
  environment: PushEnvironment | string;
  /** The device token (APNs, APNs VoIP, FCM). */
  client_identification_sequence: string;
  bundle_identifier?: string;
}

export interface PushTokenWebParams {
  environment: PushEnvironment | string;
  /** From the browser's PushSubscription: `endpoint`, `keys.auth`, `keys.p256dh`. */
  web_endpoint: string;
  web_auth: string;
  web_p256dh: string;
}

export interface SubscriptionsCreateParams {
  notification_channel: NotificationChannel | string;
  push_token: PushTokenMobileParams | PushTokenWebParams;
  device: { platform: DevicePlatform | string; udid: string };
}

export interface EventsCreateParams {
  notification_type: 'push' | string;
  /** Absent = a universal push to every platform. */
  push_type?: NotificationChannel | string;
  /** Absent = both environments. */
  environment?: PushEnvironment | string;
  event_type?: 'one_shot' | string;
  /** base64 of a JSON payload (`pushnotifications.base64Encode(JSON.stringify({message: 'Hi'}))`), or `payload=<base64>`. */
  message: string;
  user?: { ids?: string | number[]; tags?: { any?: string; all?: string; exclude?: string } };
  external_user?: { ids: string };
}

export type PushEvent = PushEventWire;
