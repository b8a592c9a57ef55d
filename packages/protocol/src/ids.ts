import { randomBytes } from './random.js';

/**
 * 24-hex ObjectId laid out as MongoDB does: 4-byte seconds timestamp, 5 random bytes fixed per
 * process, 3-byte counter. Ids made by one process in the same second therefore sort in creation
 * order, which keeps "ties by _id" meaningful for messages sent within one second.
 */
const processPart = toHex(randomBytes(5));
let counter = randomBytes(3).reduce((value, byte) => (value << 8) | byte, 0);

export function newObjectId(now: number = Date.now()): string {
  counter = (counter + 1) % 0x1000000;
  const seconds = Math.floor(now / 1000).toString(16).padStart(8, '0');
  return seconds + processPart + counter.toString(16).padStart(6, '0');
}

export function isObjectId(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{24}$/.test(value);
}

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
