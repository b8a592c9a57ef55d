import { decodeUtf8, saslFailure, type SaslFailure } from './failure.js';

/** RFC 4616 PLAIN message, decoded. `authzid` is `''` when the client sent none. */
export interface PlainCredentials {
  readonly authzid: string;
  readonly authcid: string;
  readonly password: string;
}

export interface PlainOptions {
  /**
   * Largest accepted message in bytes. RFC 4616 allows 255 bytes per field; the default is more generous
   * (bare-JID authzid, long session tokens) but still bounded.
   */
  readonly maxBytes?: number;
}

export const DEFAULT_PLAIN_MAX_BYTES = 4096;

/**
 * Parses `[authzid] NUL authcid NUL passwd` (already base64-decoded). Never throws. Shape errors —
 * empty or oversized input, not exactly two NULs, empty authcid or password, bytes that are not UTF-8 —
 * give `malformed-request`. Checking the identities and the password is the caller's job
 * (realtime.md §4.3: authzid must be empty, the bare JID or the local part, else `invalid-authzid`).
 */
export function parsePlain(message: Uint8Array, options: PlainOptions = {}): ({ ok: true } & PlainCredentials) | SaslFailure {
  const maxBytes = options.maxBytes ?? DEFAULT_PLAIN_MAX_BYTES;
  if (!(message instanceof Uint8Array)) return saslFailure('malformed-request', 'not a byte message');
  if (message.length === 0) return saslFailure('malformed-request', 'empty PLAIN message');
  if (message.length > maxBytes) return saslFailure('malformed-request', 'PLAIN message too large');

  const first = message.indexOf(0);
  const second = first < 0 ? -1 : message.indexOf(0, first + 1);
  if (first < 0 || second < 0) return saslFailure('malformed-request', 'PLAIN message needs two NUL separators');
  if (message.indexOf(0, second + 1) >= 0) return saslFailure('malformed-request', 'NUL inside the password');

  const authzid = decodeUtf8(message.subarray(0, first));
  const authcid = decodeUtf8(message.subarray(first + 1, second));
  const password = decodeUtf8(message.subarray(second + 1));
  if (authzid === undefined || authcid === undefined || password === undefined) {
    return saslFailure('malformed-request', 'PLAIN message is not UTF-8');
  }
  if (authcid === '') return saslFailure('malformed-request', 'empty authcid');
  if (password === '') return saslFailure('malformed-request', 'empty password');
  return { ok: true, authzid, authcid, password };
}
