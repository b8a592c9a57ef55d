import { randomBytes } from './random.js';

/**
 * 24-hex ObjectId: 4-byte seconds timestamp, 3-byte counter (random start per process), then 5 random
 * bytes drawn anew for every id. Ids made by one process in the same second therefore still sort in
 * creation order (the counter comes before the random part), which keeps "ties by _id" meaningful for
 * messages sent within one second, while seeing one id no longer tells the next ones: MongoDB's fixed
 * per-process bytes and a bare counter made new dialog ids guessable in a handful of tries. Access
 * checks never rely on this; it only stops ids from making guessing easy.
 */
let counter = randomBytes(3).reduce((value, byte) => (value << 8) | byte, 0);
/** Random bytes are drawn in batches: one crypto call per 800 ids, not one per id. */
const POOL_BYTES = 4000;
let pool: Uint8Array = new Uint8Array(0);
let poolAt = 0;

export function newObjectId(now: number = Date.now()): string {
  counter = (counter + 1) % 0x1000000;
  const seconds = Math.floor(now / 1000).toString(16).padStart(8, '0');
  return seconds + counter.toString(16).padStart(6, '0') + toHex(nextRandom(5));
}

export function isObjectId(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{24}$/.test(value);
}

function nextRandom(length: number): Uint8Array {
  if (poolAt + length > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolAt = 0;
  }
  const bytes = pool.subarray(poolAt, poolAt + length);
  poolAt += length;
  return bytes;
}

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
