import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Upper-case hex of `bytes` random bytes: URL-safe (rest.md §1.1) and unguessable. */
export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('hex').toUpperCase();
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Constant-time string equality (lengths may leak, contents do not). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
