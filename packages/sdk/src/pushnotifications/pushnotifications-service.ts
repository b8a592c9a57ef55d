// The `pushnotifications` module (rest.md §7): device subscriptions and push events.
import { routePath } from '../http/url.js';
import type { ApiRequest } from '../http/types.js';
import type { EventsCreateParams, PushEvent, Subscription, SubscriptionsCreateParams } from './types.js';

/** What the push module needs; it never sees fetch or URLs. */
export interface PushNotificationsDeps {
  request<T>(request: ApiRequest): Promise<T>;
}

const SUBSCRIPTIONS = 'subscriptions';
const EVENTS = 'events';

/** UTF-8 text → base64 (URL-safe when asked), as the official SDK's `base64Encode` (js-base64). */
export function base64Encode(text: string, urlSafe = false): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  const encoded = btoa(binary);
  return urlSafe ? encoded.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') : encoded;
}

export class SubscriptionsService {
  constructor(private readonly deps: PushNotificationsDeps) {}

  /** Subscribes this device; the same device and channel again updates the subscription. Resolves to a one-item array. */
  create(params: SubscriptionsCreateParams): Promise<Subscription[]> {
    return this.deps.request({ method: 'POST', path: SUBSCRIPTIONS, data: params });
  }

  list(): Promise<Subscription[]> {
    return this.deps.request({ method: 'GET', path: SUBSCRIPTIONS });
  }

  delete(id: string | number): Promise<string> {
    return this.deps.request({ method: 'DELETE', path: routePath(SUBSCRIPTIONS, String(id)), responseMode: 'text' });
  }
}

export class EventsService {
  constructor(private readonly deps: PushNotificationsDeps) {}

  /** Sends a push to users (ids, tags, external ids); resolves to a one-item array of the event. */
  create(event: EventsCreateParams): Promise<PushEvent[]> {
    return this.deps.request({ method: 'POST', path: EVENTS, data: { event } });
  }
}

export class PushNotificationsService {
  readonly subscriptions: SubscriptionsService;
  readonly events: EventsService;
  readonly base64Encode = base64Encode;

  constructor(private readonly deps: PushNotificationsDeps) {
    this.subscriptions = new SubscriptionsService(deps);
    this.events = new EventsService(deps);
  }

  /**
   * Parley addition: the Web Push application server key (VAPID public key, base64url) to pass to
   * `registration.pushManager.subscribe({ applicationServerKey })`.
   */
  async getWebPushPublicKey(): Promise<string> {
    const { public_key: key } = await this.deps.request<{ public_key: string }>({ method: 'GET', path: routePath('push', 'vapid_public_key') });
    return key;
  }
}
