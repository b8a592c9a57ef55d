import { saslFailure, type SaslFailure } from './failure.js';

/** Canonical base64 (RFC 4648 §4, padded, no whitespace), as RFC 6120 §6.4.2 requires. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Upper bound on the base64 text of one `<auth/>` or `<response/>` (decoded ≈ ¾ of it). */
export const DEFAULT_MAX_PAYLOAD_CHARS = 8192;

/**
 * Decodes the character data of `<auth/>` / `<response/>` (RFC 6120 §6.4.2): `=` is an empty response,
 * an absent payload (empty text) is `null` ("no initial response"), anything else must be canonical base64.
 */
export function decodeSaslPayload(
  text: string,
  maxChars: number = DEFAULT_MAX_PAYLOAD_CHARS,
): { ok: true; bytes: Uint8Array | null } | SaslFailure {
  if (text.length > maxChars) return saslFailure('malformed-request', 'payload too large');
  if (text === '') return { ok: true, bytes: null };
  if (text === '=') return { ok: true, bytes: new Uint8Array(0) };
  if (!BASE64.test(text)) return saslFailure('incorrect-encoding', 'payload is not base64');
  return { ok: true, bytes: new Uint8Array(Buffer.from(text, 'base64')) };
}

/** Base64 for `<challenge/>` / `<success/>`; an empty message is sent as `=` (RFC 6120 §6.4.2). */
export function encodeSaslPayload(message: string | Uint8Array): string {
  const buf = typeof message === 'string' ? Buffer.from(message, 'utf8') : Buffer.from(message);
  return buf.length === 0 ? '=' : buf.toString('base64');
}

export function isCanonicalBase64(text: string): boolean {
  return text.length > 0 && BASE64.test(text);
}
