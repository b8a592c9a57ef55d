import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { decodeUtf8, saslFailure, type SaslFailure } from './failure.js';
import { isCanonicalBase64 } from './payload.js';

/**
 * One set of RFC 5802 keys the client may prove knowledge of (all base64, as produced by
 * `scramSha1Keys`). `id` is opaque to the mechanism and is handed back when this candidate matched
 * (e.g. `'password'` or a session-token id).
 */
export interface ScramCredential {
  readonly id: string;
  readonly salt: string;
  readonly iterations: number;
  readonly storedKey: string;
  readonly serverKey: string;
}

/**
 * Returns every credential of `username` (the decoded SCRAM username, e.g. `5-42`); `[]` for an unknown
 * user. It may reject: the exchange then fails with `temporary-auth-failure`.
 */
export type ScramCredentialLookup = (username: string) => Promise<readonly ScramCredential[]>;

export interface ScramSha1ServerOptions {
  readonly lookup: ScramCredentialLookup;
  /** Server nonce part; printable ASCII without `,`. Default: 18 random bytes, base64 (24 chars). */
  readonly nonce?: () => string;
  /** Largest client message in bytes (each of the two). Default 4096. */
  readonly maxMessageBytes?: number;
  /**
   * Secret for the decoy salt of unknown users (so that the challenge does not reveal whether a user
   * exists and stays the same across attempts). Default: a random per-process secret.
   */
  readonly decoySecret?: Uint8Array;
  /** Iteration count announced for unknown users. Default 4096. */
  readonly decoyIterations?: number;
}

export interface ScramChallenge {
  readonly ok: true;
  /** server-first-message, to be base64-encoded into `<challenge/>`. */
  readonly serverFirst: string;
}

export interface ScramSuccess {
  readonly ok: true;
  /** Decoded SCRAM username (the authcid). */
  readonly username: string;
  /** Decoded `a=` authzid, `''` when absent; the caller validates it (`invalid-authzid`). */
  readonly authzid: string;
  /** `id` of the candidate whose StoredKey matched. */
  readonly credentialId: string;
  /** server-final-message `v=<ServerSignature>`, to be base64-encoded into `<success/>`. */
  readonly serverFinal: string;
}

export const DEFAULT_SCRAM_MAX_MESSAGE_BYTES = 4096;
const SHA1_BYTES = 20;
const MAX_ITERATIONS = 1_000_000;
const PRINTABLE_NO_COMMA = /^[\x21-\x2b\x2d-\x7e]+$/;
const ATTR_VALUE = /^[A-Za-z]=/;
const processDecoySecret = randomBytes(32);
const DECOY_CANDIDATE: ParsedCredential = { id: '', storedKey: randomBytes(SHA1_BYTES), serverKey: randomBytes(SHA1_BYTES) };

type State =
  | { readonly stage: 'initial' }
  | {
      readonly stage: 'challenged';
      readonly gs2Header: string;
      readonly clientFirstBare: string;
      readonly serverFirst: string;
      readonly nonce: string;
      readonly username: string;
      readonly authzid: string;
      readonly candidates: readonly ParsedCredential[];
    }
  | { readonly stage: 'done' };

interface ParsedCredential {
  readonly id: string;
  readonly storedKey: Buffer;
  readonly serverKey: Buffer;
}

/**
 * Server side of SCRAM-SHA-1 (RFC 5802) without channel binding, free of sockets: feed it the decoded
 * `<auth/>` payload (`start`) and the decoded `<response/>` payload (`finish`). Neither method throws;
 * every refusal is a `SaslFailure` and ends the exchange (later calls fail with `malformed-request`).
 *
 * Several credentials per user (password + session tokens, realtime.md §4.1/§4.4): the server must
 * announce one salt before it knows which secret the client holds, and the client can answer only that
 * salt. The salt and iteration count of the FIRST valid candidate returned by `lookup` are announced, and
 * the proof is checked against every candidate with that same salt and count (each with a constant-time
 * StoredKey comparison); candidates with another salt or count can never match and are ignored. Callers
 * therefore keep one salt and iteration count per user and derive all of that user's keys with it.
 *
 * Channel binding: none is offered (no `-PLUS` mechanism), so gs2 flag `n` and `y` are accepted and `p=`
 * is refused with `malformed-request`. Unknown users get a deterministic decoy salt and fail at `finish`
 * with `not-authorized`, exactly like a wrong password.
 */
export class ScramSha1Server {
  readonly name = 'SCRAM-SHA-1';
  private state: State = { stage: 'initial' };
  private readonly options: ScramSha1ServerOptions;

  constructor(options: ScramSha1ServerOptions) {
    this.options = options;
  }

  /** Step 1: client-first-message → server-first-message. */
  async start(clientFirst: Uint8Array): Promise<ScramChallenge | SaslFailure> {
    if (this.state.stage !== 'initial') return this.fail('malformed-request', 'unexpected client-first-message');
    this.state = { stage: 'done' };
    const text = this.decode(clientFirst);
    if (typeof text !== 'string') return text;
    const parsed = parseClientFirst(text);
    if (!parsed.ok) return parsed;

    let snonce: string;
    try {
      snonce = (this.options.nonce ?? defaultNonce)();
    } catch {
      return saslFailure('temporary-auth-failure', 'nonce generator failed');
    }
    if (typeof snonce !== 'string' || !PRINTABLE_NO_COMMA.test(snonce)) {
      return saslFailure('temporary-auth-failure', 'invalid server nonce');
    }

    let found: readonly ScramCredential[];
    try {
      found = await this.options.lookup(parsed.username);
    } catch {
      return saslFailure('temporary-auth-failure', 'credential lookup failed');
    }

    const valid = (Array.isArray(found) ? found : []).filter(isValidCredential);
    const first = valid[0];
    const salt = first ? first.salt : this.decoySalt(parsed.username);
    const iterations = first ? first.iterations : (this.options.decoyIterations ?? 4096);
    const candidates = valid
      .filter((c) => c.salt === salt && c.iterations === iterations)
      .map((c) => ({ id: c.id, storedKey: Buffer.from(c.storedKey, 'base64'), serverKey: Buffer.from(c.serverKey, 'base64') }));

    const nonce = parsed.cnonce + snonce;
    const serverFirst = `r=${nonce},s=${salt},i=${iterations}`;
    this.state = {
      stage: 'challenged',
      gs2Header: parsed.gs2Header,
      clientFirstBare: parsed.clientFirstBare,
      serverFirst,
      nonce,
      username: parsed.username,
      authzid: parsed.authzid,
      candidates,
    };
    return { ok: true, serverFirst };
  }

  /** Step 2: client-final-message → server-final-message (`v=…`) or a failure. */
  finish(clientFinal: Uint8Array): ScramSuccess | SaslFailure {
    const state = this.state;
    if (state.stage !== 'challenged') return this.fail('malformed-request', 'unexpected client-final-message');
    this.state = { stage: 'done' };
    const text = this.decode(clientFinal);
    if (typeof text !== 'string') return text;

    const parts = text.split(',');
    if (parts.length < 3) return saslFailure('malformed-request', 'client-final-message too short');
    const [cAttr, rAttr] = parts as [string, string];
    const pAttr = parts[parts.length - 1] as string;
    if (!cAttr.startsWith('c=')) return saslFailure('malformed-request', 'missing channel-binding attribute');
    if (!rAttr.startsWith('r=')) return saslFailure('malformed-request', 'missing nonce attribute');
    if (!pAttr.startsWith('p=')) return saslFailure('malformed-request', 'missing proof attribute');
    for (const ext of parts.slice(2, -1)) {
      if (!ATTR_VALUE.test(ext) || ext.startsWith('p=')) return saslFailure('malformed-request', 'bad attribute');
    }

    const cbind = cAttr.slice(2);
    if (!isCanonicalBase64(cbind)) return saslFailure('malformed-request', 'channel binding is not base64');
    if (!Buffer.from(cbind, 'base64').equals(Buffer.from(state.gs2Header, 'utf8'))) {
      return saslFailure('not-authorized', 'channel binding does not match the gs2 header');
    }
    if (rAttr.slice(2) !== state.nonce) return saslFailure('not-authorized', 'nonce mismatch');

    const proofText = pAttr.slice(2);
    if (!isCanonicalBase64(proofText)) return saslFailure('malformed-request', 'proof is not base64');
    const proof = Buffer.from(proofText, 'base64');
    if (proof.length !== SHA1_BYTES) return saslFailure('malformed-request', 'proof has the wrong length');

    const clientFinalWithoutProof = text.slice(0, text.length - pAttr.length - 1);
    const authMessage = `${state.clientFirstBare},${state.serverFirst},${clientFinalWithoutProof}`;

    let matched: ParsedCredential | undefined;
    // Unknown users (no candidates) still pay for one comparison, so timing does not reveal them.
    const candidates = state.candidates.length > 0 ? state.candidates : [DECOY_CANDIDATE];
    for (const candidate of candidates) {
      const clientSignature = hmac(candidate.storedKey, authMessage);
      const clientKey = xor(proof, clientSignature);
      const ok = timingSafeEqual(createHash('sha1').update(clientKey).digest(), candidate.storedKey);
      if (ok && !matched) matched = candidate;
    }
    if (!matched || matched === DECOY_CANDIDATE) return saslFailure('not-authorized', 'proof not verified');

    const serverSignature = hmac(matched.serverKey, authMessage).toString('base64');
    return {
      ok: true,
      username: state.username,
      authzid: state.authzid,
      credentialId: matched.id,
      serverFinal: `v=${serverSignature}`,
    };
  }

  private fail(condition: SaslFailure['condition'], text: string): SaslFailure {
    this.state = { stage: 'done' };
    return saslFailure(condition, text);
  }

  private decode(message: Uint8Array): string | SaslFailure {
    const max = this.options.maxMessageBytes ?? DEFAULT_SCRAM_MAX_MESSAGE_BYTES;
    if (!(message instanceof Uint8Array)) return saslFailure('malformed-request', 'not a byte message');
    if (message.length === 0) return saslFailure('malformed-request', 'empty SCRAM message');
    if (message.length > max) return saslFailure('malformed-request', 'SCRAM message too large');
    const text = decodeUtf8(message);
    if (text === undefined) return saslFailure('malformed-request', 'SCRAM message is not UTF-8');
    return text;
  }

  private decoySalt(username: string): string {
    const secret = this.options.decoySecret ?? processDecoySecret;
    return createHmac('sha256', secret).update(username, 'utf8').digest().subarray(0, 16).toString('base64');
  }
}

interface ClientFirst {
  readonly ok: true;
  readonly gs2Header: string;
  readonly clientFirstBare: string;
  readonly authzid: string;
  readonly username: string;
  readonly cnonce: string;
}

/** client-first-message = gs2-header client-first-message-bare (RFC 5802 §7). */
export function parseClientFirst(text: string): ClientFirst | SaslFailure {
  const parts = text.split(',');
  if (parts.length < 4) return saslFailure('malformed-request', 'client-first-message too short');
  const [flag, authzAttr] = parts as [string, string];
  if (flag.startsWith('p=')) return saslFailure('malformed-request', 'channel binding is not supported');
  if (flag !== 'n' && flag !== 'y') return saslFailure('malformed-request', 'bad gs2 channel-binding flag');

  let authzid = '';
  if (authzAttr !== '') {
    if (!authzAttr.startsWith('a=')) return saslFailure('malformed-request', 'bad gs2 authzid');
    const decoded = decodeSaslName(authzAttr.slice(2));
    if (decoded === undefined || decoded === '') return saslFailure('malformed-request', 'bad authzid');
    authzid = decoded;
  }

  const bare = parts.slice(2);
  const [nAttr, rAttr] = bare as [string, string];
  if (nAttr.startsWith('m=')) return saslFailure('malformed-request', 'mandatory extensions are not supported');
  if (!nAttr.startsWith('n=')) return saslFailure('malformed-request', 'missing username');
  if (!rAttr.startsWith('r=')) return saslFailure('malformed-request', 'missing nonce');
  for (const ext of bare.slice(2)) {
    if (!ATTR_VALUE.test(ext)) return saslFailure('malformed-request', 'bad extension');
  }
  const username = decodeSaslName(nAttr.slice(2));
  if (username === undefined || username === '') return saslFailure('malformed-request', 'bad username');
  const cnonce = rAttr.slice(2);
  if (!PRINTABLE_NO_COMMA.test(cnonce)) return saslFailure('malformed-request', 'bad client nonce');

  return {
    ok: true,
    gs2Header: `${flag},${authzAttr},`,
    clientFirstBare: bare.join(','),
    authzid,
    username,
    cnonce,
  };
}

/** RFC 5802 saslname: `=2C` → `,`, `=3D` → `=`; any other `=` is an error (SASLprep itself is not applied). */
export function decodeSaslName(value: string): string | undefined {
  if (/=(?!2C|3D)/.test(value)) return undefined;
  return value.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

function isValidCredential(c: unknown): c is ScramCredential {
  if (typeof c !== 'object' || c === null) return false;
  const { id, salt, iterations, storedKey, serverKey } = c as Record<string, unknown>;
  return (
    typeof id === 'string' &&
    typeof salt === 'string' &&
    isCanonicalBase64(salt) &&
    typeof iterations === 'number' &&
    Number.isSafeInteger(iterations) &&
    iterations >= 1 &&
    iterations <= MAX_ITERATIONS &&
    typeof storedKey === 'string' &&
    isCanonicalBase64(storedKey) &&
    Buffer.from(storedKey, 'base64').length === SHA1_BYTES &&
    typeof serverKey === 'string' &&
    isCanonicalBase64(serverKey) &&
    Buffer.from(serverKey, 'base64').length === SHA1_BYTES
  );
}

function defaultNonce(): string {
  return randomBytes(18).toString('base64');
}

function hmac(key: Buffer, message: string): Buffer {
  return createHmac('sha1', key).update(message, 'utf8').digest();
}

function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] as number) ^ (b[i] as number);
  return out;
}
