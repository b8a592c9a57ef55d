import { execFileSync } from 'node:child_process';
import { createECDH, createHmac, createDecipheriv, createPublicKey, generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createSecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import os from 'node:os';
import path from 'node:path';

/**
 * Local stand-ins for the push providers, checking what the real ones check: Web Push (VAPID JWT
 * signature and audience, aes128gcm payload decrypted with the browser keys the test made), FCM HTTP v1
 * (OAuth JWT-bearer exchange signed by the service account, bearer token on sends) and APNs (HTTP/2,
 * ES256 provider token with kid/iss, push type, topic, priority). One HTTPS server (HTTP/2 and 1.1) on a
 * free loopback port, with a certificate from a throwaway CA the server under test is told to trust.
 */

export type ReceivedPush =
  | { provider: 'web'; endpointId: string; payload: unknown; urgency: string | undefined; ttl: string | undefined; vapidPublicKey: string }
  | { provider: 'fcm'; projectId: string; message: Record<string, unknown> }
  | { provider: 'apns'; token: string; pushType: string; topic: string; priority: string; expiration: string; payload: Record<string, unknown> };

/** What a receiver answers instead of success (an outage, an invalid token …); undefined = success. */
export type Refusal = { status: number; body?: string; headers?: Record<string, string> } | undefined;

export interface BrowserSubscription {
  endpoint: string;
  keys: { auth: string; p256dh: string };
  /** Stands for the browser's private key (kept by the receiver to decrypt). */
  id: string;
}

export interface FcmServiceAccount {
  type: 'service_account';
  project_id: string;
  client_email: string;
  private_key: string;
  token_uri: string;
}

export interface ApnsKey {
  key_id: string;
  team_id: string;
  bundle_id: string;
  private_key: string;
}

export interface PushReceivers {
  /** https://127.0.0.1:port */
  origin: string;
  /** The CA certificate file to trust (PARLEY_PUSH_CA_FILE). */
  caFile: string;
  received: ReceivedPush[];
  /** Problems found in requests (bad signature, wrong audience …): a passing test expects none. */
  violations: string[];
  tokenRequests: number;
  /** Every request, refused ones included. */
  attempts: number;
  /** Decides each push's answer (FCM token exchanges are never refused). */
  refuse: (push: ReceivedPush) => Refusal;
  /** Makes browser-side keys and an endpoint, as `pushManager.subscribe` would. */
  browserSubscription(): BrowserSubscription;
  fcmServiceAccount(projectId?: string): FcmServiceAccount;
  apnsKey(bundleId?: string): ApnsKey;
  /** Resolves once `count` pushes were received (accepted). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedPush[]>;
  /** The VAPID public key every web push must be signed with ('' = not checked). */
  expectVapidKey: string;
  close(): Promise<void>;
}

function makeCertificates(dir: string): { ca: string; key: string; cert: string } {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Parley test push CA');
  run('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'ext.cnf');
  return { ca: path.join(dir, 'ca.pem'), key: readFileSync(path.join(dir, 'server.key'), 'utf8'), cert: readFileSync(path.join(dir, 'server.pem'), 'utf8') };
}

const hmac = (key: Buffer, data: Buffer) => createHmac('sha256', key).update(data).digest();

/** RFC 8291 / RFC 8188: decrypts one aes128gcm record with the receiver's key pair and auth secret. */
export function decryptAes128gcm(body: Buffer, receiver: { privateKey: Buffer; publicKey: Buffer }, authSecret: Buffer): Buffer {
  const salt = body.subarray(0, 16);
  const idLength = body.readUInt8(20);
  const senderPublic = body.subarray(21, 21 + idLength);
  const ciphertext = body.subarray(21 + idLength);
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(receiver.privateKey);
  const shared = ecdh.computeSecret(senderPublic);
  const prkKey = hmac(authSecret, shared);
  const ikm = hmac(prkKey, Buffer.concat([Buffer.from('WebPush: info\0'), receiver.publicKey, senderPublic, Buffer.from([1])]));
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0\x01')).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0\x01')).subarray(0, 12);
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end -= 1;
  if (padded[end] !== 2) throw new Error('aes128gcm: last record must end with the 0x02 delimiter');
  return padded.subarray(0, end);
}

function decodeJwt(jwt: string): { header: Record<string, unknown>; claims: Record<string, unknown>; input: Buffer; signature: Buffer } {
  const [header = '', claims = '', signature = ''] = jwt.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown>,
    claims: JSON.parse(Buffer.from(claims, 'base64url').toString()) as Record<string, unknown>,
    input: Buffer.from(`${header}.${claims}`),
    signature: Buffer.from(signature, 'base64url'),
  };
}

function p256Key(raw: Buffer): KeyObject {
  return createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33, 65).toString('base64url') }, format: 'jwk' });
}

const readBody = (request: Http2ServerRequest): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });

export async function startPushReceivers(): Promise<PushReceivers> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'parley-push-'));
  const tls = makeCertificates(dir);
  const browsers = new Map<string, { privateKey: Buffer; publicKey: Buffer; auth: Buffer }>();
  const accounts = new Map<string, { publicKey: KeyObject; tokenUri: string }>();
  const apnsKeys = new Map<string, { publicKey: KeyObject; teamId: string }>();
  const issuedTokens = new Set<string>();
  const waiters: { count: number; resolve: () => void }[] = [];
  let origin = '';

  const receivers: PushReceivers = {
    origin: '',
    caFile: tls.ca,
    received: [],
    violations: [],
    tokenRequests: 0,
    attempts: 0,
    refuse: () => undefined,
    expectVapidKey: '',
    browserSubscription() {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const id = randomBytes(8).toString('hex');
      const auth = randomBytes(16);
      browsers.set(id, { privateKey: ecdh.getPrivateKey(), publicKey: ecdh.getPublicKey(), auth });
      return { id, endpoint: `${origin}/wp/${id}`, keys: { auth: auth.toString('base64url'), p256dh: ecdh.getPublicKey().toString('base64url') } };
    },
    fcmServiceAccount(projectId = 'parley-test') {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const email = `push-${randomBytes(4).toString('hex')}@${projectId}.iam.gserviceaccount.com`;
      const tokenUri = `${origin}/token`;
      accounts.set(email, { publicKey, tokenUri });
      return { type: 'service_account', project_id: projectId, client_email: email, private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, token_uri: tokenUri };
    },
    apnsKey(bundleId = 'com.example.parley') {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      const keyId = randomBytes(5).toString('hex').toUpperCase();
      const teamId = randomBytes(5).toString('hex').toUpperCase();
      apnsKeys.set(keyId, { publicKey, teamId });
      return { key_id: keyId, team_id: teamId, bundle_id: bundleId, private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
    },
    waitFor(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`expected ${count} pushes, received ${receivers.received.length}: ${JSON.stringify(receivers.received)}`)), timeoutMs);
        const done = () => {
          clearTimeout(timer);
          resolve(receivers.received);
        };
        if (receivers.received.length >= count) done();
        else waiters.push({ count, resolve: done });
      });
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };

  function accept(push: ReceivedPush, response: Http2ServerResponse, status: number, body = ''): void {
    const refusal = receivers.refuse(push);
    if (refusal) {
      response.writeHead(refusal.status, refusal.headers ?? {}).end(refusal.body ?? '');
      return;
    }
    receivers.received.push(push);
    response.writeHead(status, { 'content-type': 'application/json' }).end(body);
    for (const waiter of [...waiters]) {
      if (receivers.received.length >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  const violation = (response: Http2ServerResponse, status: number, text: string) => {
    receivers.violations.push(text);
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: text, reason: text }));
  };

  async function webPush(request: Http2ServerRequest, response: Http2ServerResponse, id: string): Promise<void> {
    const browser = browsers.get(id);
    if (!browser) return violation(response, 404, `unknown endpoint ${id}`);
    const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(String(request.headers.authorization ?? ''));
    if (!match) return violation(response, 401, 'web push without a VAPID authorization');
    const [, jwt = '', key = ''] = match;
    const { header, claims, input, signature } = decodeJwt(jwt);
    const publicKey = Buffer.from(key, 'base64url');
    if (header.alg !== 'ES256' || !verify('sha256', input, { key: p256Key(publicKey), dsaEncoding: 'ieee-p1363' }, signature)) return violation(response, 403, 'VAPID JWT signature does not verify');
    if (claims.aud !== origin) return violation(response, 403, `VAPID audience ${String(claims.aud)} is not ${origin}`);
    const now = Math.floor(Date.now() / 1000);
    if (typeof claims.exp !== 'number' || claims.exp < now || claims.exp > now + 24 * 3600) return violation(response, 403, 'VAPID exp outside the next 24 hours');
    if (typeof claims.sub !== 'string' || !/^(mailto:|https:)/.test(claims.sub)) return violation(response, 403, 'VAPID sub must be mailto: or https:');
    if (receivers.expectVapidKey !== '' && key !== receivers.expectVapidKey) return violation(response, 403, 'signed with another VAPID key');
    if (request.headers['content-encoding'] !== 'aes128gcm') return violation(response, 400, 'payload is not aes128gcm');
    let payload: unknown;
    try {
      payload = JSON.parse(decryptAes128gcm(await readBody(request), browser, browser.auth).toString('utf8'));
    } catch (error) {
      return violation(response, 400, `payload does not decrypt: ${(error as Error).message}`);
    }
    const push: ReceivedPush = { provider: 'web', endpointId: id, payload, urgency: request.headers.urgency as string | undefined, ttl: request.headers.ttl as string | undefined, vapidPublicKey: key };
    accept(push, response, 201);
  }

  async function fcmToken(request: Http2ServerRequest, response: Http2ServerResponse): Promise<void> {
    receivers.tokenRequests += 1;
    const form = new URLSearchParams((await readBody(request)).toString());
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return violation(response, 400, 'wrong grant_type');
    const { header, claims, input, signature } = decodeJwt(form.get('assertion') ?? '..');
    const account = accounts.get(String(claims.iss));
    if (!account) return violation(response, 400, 'unknown service account');
    if (header.alg !== 'RS256' || !verify('sha256', input, account.publicKey, signature)) return violation(response, 400, 'assertion signature does not verify');
    if (claims.aud !== account.tokenUri) return violation(response, 400, 'assertion audience is not the token_uri');
    if (claims.scope !== 'https://www.googleapis.com/auth/firebase.messaging') return violation(response, 400, 'wrong scope');
    if (typeof claims.iat !== 'number' || typeof claims.exp !== 'number' || claims.exp - claims.iat > 3600) return violation(response, 400, 'assertion lifetime over an hour');
    const token = `ya29.${randomBytes(12).toString('hex')}`;
    issuedTokens.add(token);
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: token, expires_in: 3599, token_type: 'Bearer' }));
  }

  async function fcmSend(request: Http2ServerRequest, response: Http2ServerResponse, projectId: string): Promise<void> {
    const bearer = /^Bearer (\S+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
    if (!bearer || !issuedTokens.has(bearer)) return violation(response, 401, 'FCM send without a valid access token');
    const body = JSON.parse((await readBody(request)).toString()) as { message?: Record<string, unknown> };
    const message = body.message;
    if (!message || typeof message.token !== 'string') return violation(response, 400, 'FCM message without a token');
    const data = message.data as Record<string, unknown> | undefined;
    if (data && Object.values(data).some((value) => typeof value !== 'string')) return violation(response, 400, 'FCM data values must be strings');
    accept({ provider: 'fcm', projectId, message }, response, 200, JSON.stringify({ name: `projects/${projectId}/messages/${randomBytes(6).toString('hex')}` }));
  }

  async function apns(request: Http2ServerRequest, response: Http2ServerResponse, token: string): Promise<void> {
    if (request.httpVersion !== '2.0') return violation(response, 400, 'APNs needs HTTP/2');
    const jwt = /^bearer (\S+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
    if (!jwt) return violation(response, 403, 'MissingProviderToken');
    const { header, claims, input, signature } = decodeJwt(jwt);
    const key = apnsKeys.get(String(header.kid));
    if (!key || header.alg !== 'ES256' || !verify('sha256', input, { key: key.publicKey, dsaEncoding: 'ieee-p1363' }, signature)) return violation(response, 403, 'InvalidProviderToken');
    if (claims.iss !== key.teamId || typeof claims.iat !== 'number' || Math.abs(claims.iat - Date.now() / 1000) > 3600) return violation(response, 403, 'InvalidProviderToken');
    const pushType = String(request.headers['apns-push-type'] ?? '');
    const topic = String(request.headers['apns-topic'] ?? '');
    const priority = String(request.headers['apns-priority'] ?? '10');
    if (!['alert', 'background', 'voip'].includes(pushType)) return violation(response, 400, 'InvalidPushType');
    if (pushType === 'voip' && !topic.endsWith('.voip')) return violation(response, 400, 'TopicDisallowed');
    if (pushType === 'background' && priority !== '5') return violation(response, 400, 'BadPriority');
    const payload = JSON.parse((await readBody(request)).toString()) as Record<string, unknown>;
    if (pushType !== 'voip' && (typeof payload.aps !== 'object' || payload.aps === null)) return violation(response, 400, 'PayloadEmpty');
    accept({ provider: 'apns', token, pushType, topic, priority, expiration: String(request.headers['apns-expiration'] ?? ''), payload }, response, 200);
  }

  const server = createSecureServer({ key: tls.key, cert: tls.cert, allowHTTP1: true }, (request, response) => {
    receivers.attempts += 1;
    const url = request.url ?? '';
    const handle = async () => {
      let match: RegExpExecArray | null;
      if (request.method !== 'POST') return violation(response, 405, `${request.method} ${url}`);
      if ((match = /^\/wp\/(\w+)$/.exec(url))) return webPush(request, response, match[1] as string);
      if (url === '/token') return fcmToken(request, response);
      if ((match = /^\/v1\/projects\/([\w-]+)\/messages:send$/.exec(url))) return fcmSend(request, response, match[1] as string);
      if ((match = /^\/3\/device\/([\w.:-]+)$/.exec(url))) return apns(request, response, match[1] as string);
      return violation(response, 404, `no receiver at ${url}`);
    };
    handle().catch((error: unknown) => violation(response, 500, String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  receivers.origin = origin;
  return receivers;
}
