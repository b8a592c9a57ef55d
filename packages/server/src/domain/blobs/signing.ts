import { createHmac } from 'node:crypto';
import { safeEqual } from '../shared/secrets.js';

/**
 * Signed blob URLs (rest.md §5.3, §5.6). The key is derived from the application's auth secret, so
 * there is no extra secret to keep, every node of a cluster agrees, and rotating the app secret
 * revokes every outstanding URL. A purpose prefix keeps an upload signature from opening a download.
 */
export type SignedPurpose = 'upload' | 'download';

function urlKey(appSecret: string): Buffer {
  return createHmac('sha256', appSecret).update('parley blob url v1').digest();
}

export function signBlobUrl(appSecret: string, purpose: SignedPurpose, uid: string, expiresSeconds: number): string {
  return createHmac('sha256', urlKey(appSecret)).update(`${purpose}\n${uid}\n${expiresSeconds}`).digest('base64url');
}

export function verifyBlobUrl(appSecret: string, purpose: SignedPurpose, uid: string, expiresSeconds: number, signature: string): boolean {
  return safeEqual(signBlobUrl(appSecret, purpose, uid, expiresSeconds), signature);
}
