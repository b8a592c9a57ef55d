import https from 'node:https';
import type { PushAppConfig, PushOutcome, PushProvider } from '../../ports/push.js';
import { httpsRequest, isTransientStatus, retryAfterMs, trustedCas, type ProviderTlsOptions } from '../push-common/https.js';
import { signJwt } from '../push-common/jwt.js';

export interface FcmOptions extends ProviderTlsOptions {
  /** PARLEY_PUSH_FCM_URL: the FCM HTTP v1 origin (https://fcm.googleapis.com). */
  baseUrl: string;
  timeoutMs: number;
}

const SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
/** Tokens are renewed this long before Google says they expire. */
const TOKEN_MARGIN_MS = 60_000;

type FcmCredentials = NonNullable<PushAppConfig['fcm']>;

interface CachedToken {
  token: string;
  expiresAt: number;
}

/**
 * FCM HTTP v1: a JWT signed with the service account's key is exchanged at its `token_uri` for an
 * OAuth access token (cached until shortly before it expires), then `POST /v1/projects/{id}/messages:send`.
 */
export function createFcmProvider(options: FcmOptions): PushProvider {
  const agent = new https.Agent({ keepAlive: true, ca: trustedCas(options) });
  const tokens = new Map<string, Promise<CachedToken>>();
  const cacheKey = (credentials: FcmCredentials) => `${credentials.clientEmail}\n${credentials.tokenUri}\n${credentials.privateKey}`;

  async function fetchToken(credentials: FcmCredentials): Promise<CachedToken> {
    const now = Math.floor(Date.now() / 1000);
    const assertion = signJwt(
      { alg: 'RS256', typ: 'JWT' },
      { iss: credentials.clientEmail, scope: SCOPE, aud: credentials.tokenUri, iat: now, exp: now + 3600 },
      credentials.privateKey,
    );
    const answer = await httpsRequest(credentials.tokenUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
      agent,
      timeoutMs: options.timeoutMs,
    });
    const json = JSON.parse(answer.body || '{}') as { access_token?: string; expires_in?: number };
    if (answer.status !== 200 || typeof json.access_token !== 'string') throw new Error(`FCM token exchange failed (${answer.status}): ${answer.body.slice(0, 200)}`);
    return { token: json.access_token, expiresAt: Date.now() + (json.expires_in ?? 3600) * 1000 - TOKEN_MARGIN_MS };
  }

  async function accessToken(credentials: FcmCredentials): Promise<string> {
    const key = cacheKey(credentials);
    let cached = tokens.get(key);
    if (cached) {
      const value = await cached.catch(() => undefined);
      if (value && value.expiresAt > Date.now()) return value.token;
      if (tokens.get(key) === cached) tokens.delete(key);
    }
    cached = tokens.get(key);
    if (!cached) {
      cached = fetchToken(credentials);
      tokens.set(key, cached);
      cached.catch(() => tokens.delete(key));
    }
    return (await cached).token;
  }

  return {
    async send(subscription, message, config): Promise<PushOutcome> {
      if (!config.fcm) return { kind: 'rejected', reason: 'the application has no FCM credentials' };
      let token: string;
      try {
        token = await accessToken(config.fcm);
      } catch (error) {
        // Wrong or revoked credentials are fixed by the operator: keep the push until then.
        return { kind: 'retry', reason: error instanceof Error ? error.message : String(error) };
      }
      const ttlSeconds = message.expiresAt > 0 ? Math.max(0, message.expiresAt - Math.floor(Date.now() / 1000)) : undefined;
      const android = { ...((message.payload.android as object | undefined) ?? {}), priority: message.urgent ? 'high' : 'normal', ...(ttlSeconds !== undefined ? { ttl: `${ttlSeconds}s` } : {}) };
      const body = JSON.stringify({ message: { ...message.payload, token: subscription.token, android } });
      let answer;
      try {
        answer = await httpsRequest(`${options.baseUrl.replace(/\/+$/, '')}/v1/projects/${encodeURIComponent(config.fcm.projectId)}/messages:send`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' },
          body,
          agent,
          timeoutMs: options.timeoutMs,
        });
      } catch (error) {
        return { kind: 'retry', reason: error instanceof Error ? error.message : String(error) };
      }
      return outcomeOf(answer.status, answer.body, answer.headers['retry-after'], () => tokens.delete(cacheKey(config.fcm as FcmCredentials)));
    },
    async close() {
      agent.destroy();
    },
  };
}

/** FCM v1 error codes (google.firebase.fcm.v1.FcmError) → what to do with the job. */
function outcomeOf(status: number, text: string, retryAfter: string | string[] | undefined, dropToken: () => void): PushOutcome {
  if (status === 200) return { kind: 'delivered' };
  const reason = `FCM ${status}: ${text.slice(0, 200)}`;
  let errorCode = '';
  let message = '';
  try {
    const error = (JSON.parse(text) as { error?: { status?: string; message?: string; details?: { errorCode?: string }[] } }).error;
    errorCode = error?.details?.find((detail) => detail.errorCode)?.errorCode ?? error?.status ?? '';
    message = error?.message ?? '';
  } catch {
    // Not JSON: judged by the status alone.
  }
  if (status === 404 || errorCode === 'UNREGISTERED' || errorCode === 'SENDER_ID_MISMATCH') return { kind: 'invalid-token', reason };
  if (status === 400 && /registration token/i.test(message)) return { kind: 'invalid-token', reason };
  if (status === 401) {
    dropToken();
    return { kind: 'retry', reason, retryAfterMs: 0 };
  }
  if (isTransientStatus(status)) return { kind: 'retry', reason, retryAfterMs: retryAfterMs(retryAfter) };
  return { kind: 'rejected', reason };
}
