import { createPrivateKey, sign, type KeyObject } from 'node:crypto';

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * A compact JWS: RS256 (Google service accounts) or ES256 (APNs provider tokens, with the signature in
 * the JOSE r‖s form, not DER).
 */
export function signJwt(header: Record<string, unknown>, claims: Record<string, unknown>, key: string | KeyObject): string {
  const privateKey = typeof key === 'string' ? createPrivateKey(key) : key;
  const input = `${part(header)}.${part(claims)}`;
  const signature =
    header.alg === 'ES256'
      ? sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' })
      : sign('sha256', Buffer.from(input), privateKey);
  return `${input}.${signature.toString('base64url')}`;
}
