import { connect, type ClientHttp2Session } from 'node:http2';
import type { PushAppConfig, PushOutcome, PushProvider } from '../../ports/push.js';
import { retryAfterMs, trustedCas, type ProviderTlsOptions } from '../push-common/https.js';
import { signJwt } from '../push-common/jwt.js';

export interface ApnsOptions extends ProviderTlsOptions {
  /** PARLEY_PUSH_APNS_URL: production devices (https://api.push.apple.com). */
  productionUrl: string;
  /** PARLEY_PUSH_APNS_SANDBOX_URL: development devices (https://api.sandbox.push.apple.com). */
  sandboxUrl: string;
  timeoutMs: number;
}

/** Apple refuses provider tokens older than an hour and throttles renewing more than every 20 minutes. */
const PROVIDER_TOKEN_LIFETIME_MS = 50 * 60 * 1000;

type ApnsCredentials = NonNullable<PushAppConfig['apns']>;

/** Reasons (APNs response body) that mean the device token is useless. */
const INVALID_TOKEN_REASONS = new Set(['BadDeviceToken', 'Unregistered', 'DeviceTokenNotForTopic', 'ExpiredToken']);

/**
 * APNs over HTTP/2 with token-based authentication: an ES256 JWT from the .p8 key (kid = key id,
 * iss = team id), reused for 50 minutes; `apns-push-type` alert, background or voip, and a `.voip`
 * topic for VoIP pushes. One HTTP/2 connection per APNs origin, reopened when it closes.
 */
export function createApnsProvider(options: ApnsOptions): PushProvider {
  const ca = trustedCas(options);
  const sessions = new Map<string, ClientHttp2Session>();
  const tokens = new Map<string, { token: string; madeAt: number }>();

  function session(origin: string): ClientHttp2Session {
    const existing = sessions.get(origin);
    if (existing && !existing.closed && !existing.destroyed) return existing;
    const created = connect(origin, ca ? { ca } : {});
    created.on('error', () => sessions.delete(origin));
    created.on('close', () => sessions.delete(origin));
    created.on('goaway', () => sessions.delete(origin));
    created.unref();
    sessions.set(origin, created);
    return created;
  }

  function providerToken(credentials: ApnsCredentials): string {
    const key = `${credentials.teamId}:${credentials.keyId}:${credentials.privateKey}`;
    const cached = tokens.get(key);
    if (cached && Date.now() - cached.madeAt < PROVIDER_TOKEN_LIFETIME_MS) return cached.token;
    const token = signJwt({ alg: 'ES256', kid: credentials.keyId }, { iss: credentials.teamId, iat: Math.floor(Date.now() / 1000) }, credentials.privateKey);
    tokens.set(key, { token, madeAt: Date.now() });
    return token;
  }

  function post(origin: string, path: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
    return new Promise((resolve, reject) => {
      const stream = session(origin).request({ ':method': 'POST', ':path': path, ...headers });
      let status = 0;
      let responseHeaders: Record<string, unknown> = {};
      const chunks: Buffer[] = [];
      stream.setTimeout(options.timeoutMs, () => stream.close());
      stream.on('response', (received) => {
        status = Number(received[':status'] ?? 0);
        responseHeaders = received;
      });
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => (status === 0 ? reject(new Error('APNs stream ended without a response')) : resolve({ status, body: Buffer.concat(chunks).toString('utf8'), headers: responseHeaders })));
      stream.on('error', reject);
      stream.end(body);
    });
  }

  return {
    async send(subscription, message, config): Promise<PushOutcome> {
      if (!config.apns) return { kind: 'rejected', reason: 'the application has no APNs credentials' };
      const origin = (subscription.environment === 'development' ? options.sandboxUrl : options.productionUrl).replace(/\/+$/, '');
      const voip = message.pushType === 'voip';
      const topic = `${subscription.bundleId ?? config.apns.bundleId}${voip ? '.voip' : ''}`;
      const headers = {
        authorization: `bearer ${providerToken(config.apns)}`,
        'apns-topic': topic,
        'apns-push-type': message.pushType,
        // Background pushes must be sent at priority 5.
        'apns-priority': message.pushType === 'background' || !message.urgent ? '5' : '10',
        'apns-expiration': String(message.expiresAt),
        'content-type': 'application/json',
      };
      let answer;
      try {
        answer = await post(origin, `/3/device/${encodeURIComponent(subscription.token)}`, headers, JSON.stringify(message.payload));
      } catch (error) {
        return { kind: 'retry', reason: error instanceof Error ? error.message : String(error) };
      }
      if (answer.status === 200) return { kind: 'delivered' };
      let reasonCode = '';
      try {
        reasonCode = (JSON.parse(answer.body) as { reason?: string }).reason ?? '';
      } catch {
        // Judged by status alone.
      }
      const reason = `APNs ${answer.status} ${reasonCode}`.trim();
      if (answer.status === 410 || INVALID_TOKEN_REASONS.has(reasonCode)) return { kind: 'invalid-token', reason };
      if (answer.status === 403 && (reasonCode === 'ExpiredProviderToken' || reasonCode === 'InvalidProviderToken')) {
        tokens.clear();
        return { kind: 'retry', reason, retryAfterMs: 0 };
      }
      if (answer.status === 429 || answer.status >= 500) return { kind: 'retry', reason, retryAfterMs: retryAfterMs(answer.headers['retry-after'] as string | undefined) };
      return { kind: 'rejected', reason };
    },
    async close() {
      for (const open of sessions.values()) open.close();
      sessions.clear();
    },
  };
}
