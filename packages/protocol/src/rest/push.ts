/** Push notification wire objects (rest.md §7). Request bodies are decoded by the push domain. */

/** `notification_channel.name`: APNs, APNs VoIP, FCM (`gcm`) or Web Push. */
export type PushChannelWire = 'apns' | 'apns_voip' | 'gcm' | 'web';
export type PushEnvironmentWire = 'development' | 'production';

/** One subscription as `POST`/`GET /subscriptions` list it; @parley/sdk exposes it as `Subscription`. */
export interface PushSubscriptionWire {
  subscription: {
    id: number;
    notification_channel: { name: PushChannelWire };
    device: { udid: string; platform: { name: 'ios' | 'android' | 'web' } };
  };
}

/**
 * The answer to `POST /events` (rest.md §7.2); @parley/sdk exposes it as `PushEvent`. The fixed values
 * (`null`s, `occured_count`, spelling included) are the contract's.
 */
export interface PushEventWire {
  event: {
    id: number;
    event_type: string;
    message: string;
    date: null;
    period: null;
    name: null;
    occured_count: number;
    created_at: string;
    updated_at: string;
    end_date: null;
    active: boolean;
    application_id: number;
    user_id: number;
    kind: string;
    /** `null`: both environments. */
    environment: PushEnvironmentWire | null;
    tag_query: null;
    /** `null`: a universal push to every platform. */
    notification_channel: { name: PushChannelWire | null };
  };
}
