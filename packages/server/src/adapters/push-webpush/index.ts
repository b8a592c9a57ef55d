import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import webpush, { WebPushError } from 'web-push';
import { checkWebEndpoint, isPublicAddress } from '../../ports/push-endpoint.js';
import type { PushOutcome, PushProvider } from '../../ports/push.js';
import { isTransientStatus, retryAfterMs, trustedCas, type ProviderTlsOptions } from '../push-common/https.js';

export interface WebPushOptions extends ProviderTlsOptions {
  /** PARLEY_PUSH_ALLOW_PRIVATE_ENDPOINTS: let endpoints resolve to private addresses (tests, private deployments). */
  allowPrivateEndpoints: boolean;
  timeoutMs: number;
}

const FOUR_WEEKS_SECONDS = 28 * 24 * 3600;

/** VAPID keys as the web-push library makes them (P-256, base64url). */
export function generateVapidKeys(): { publicKey: string; privateKey: string } {
  return webpush.generateVAPIDKeys();
}

/**
 * Resolves like `dns.lookup` but refuses names that resolve to loopback, private or link-local
 * addresses (server-side request forgery guard, part 2). It runs inside the connection, so the address
 * checked is the address connected to (no rebinding between check and use).
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const refused = addresses.find((entry) => !isPublicAddress(entry.address));
    if (refused || addresses.length === 0) {
      const denial = Object.assign(new Error(`push endpoint ${hostname} resolves to a non-public address`), { code: 'EPUSHPRIVATE' });
      return callback(denial, '', 0);
    }
    if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
    const first = addresses[0] as LookupAddress;
    return callback(null, first.address, first.family);
  });
};

/**
 * Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payload encryption (RFC 8291), through the
 * web-push library, with the app's own VAPID keys.
 */
export function createWebPushProvider(options: WebPushOptions): PushProvider {
  const agent = new https.Agent({
    keepAlive: true,
    ca: trustedCas(options),
    ...(options.allowPrivateEndpoints ? {} : { lookup: publicOnlyLookup }),
  });
  return {
    async send(subscription, message, config): Promise<PushOutcome> {
      if (!config.vapid) return { kind: 'rejected', reason: 'the application has no VAPID keys' };
      const problem = checkWebEndpoint(subscription.token, options.allowPrivateEndpoints);
      if (problem) return { kind: 'invalid-token', reason: `endpoint ${problem}` };
      const ttl = message.expiresAt > 0 ? Math.max(0, message.expiresAt - Math.floor(Date.now() / 1000)) : FOUR_WEEKS_SECONDS;
      try {
        await webpush.sendNotification(
          { endpoint: subscription.token, keys: { auth: subscription.webAuth ?? '', p256dh: subscription.webP256dh ?? '' } },
          JSON.stringify(message.payload),
          {
            vapidDetails: { subject: config.vapid.subject, publicKey: config.vapid.publicKey, privateKey: config.vapid.privateKey },
            TTL: ttl,
            urgency: message.urgent ? 'high' : 'normal',
            contentEncoding: 'aes128gcm',
            agent,
            timeout: options.timeoutMs,
          },
        );
        return { kind: 'delivered' };
      } catch (error) {
        return outcomeOf(error);
      }
    },
    async close() {
      agent.destroy();
    },
  };
}

function outcomeOf(error: unknown): PushOutcome {
  if (error instanceof WebPushError) {
    const reason = `web push ${error.statusCode}: ${error.body.slice(0, 200)}`;
    // 404/410: the push service forgot this subscription (RFC 8030 §7.3).
    if (error.statusCode === 404 || error.statusCode === 410) return { kind: 'invalid-token', reason };
    if (isTransientStatus(error.statusCode)) return { kind: 'retry', reason, retryAfterMs: retryAfterMs(error.headers['retry-after']) };
    return { kind: 'rejected', reason };
  }
  const { code, message } = error as { code?: string; message?: string };
  if (code === 'EPUSHPRIVATE') return { kind: 'rejected', reason: message ?? 'private endpoint' };
  // Bad keys in the subscription surface as plain errors from the encryption step.
  if (code === undefined && /p256dh|auth|public key|subscription/i.test(message ?? '')) return { kind: 'invalid-token', reason: message ?? 'bad subscription keys' };
  return { kind: 'retry', reason: message ?? String(error) };
}
