import { randomBytes } from './random.js';

/** 24-hex MongoDB-style ObjectId (4-byte seconds timestamp first), the contract's id for dialogs, messages … */
export function newObjectId(now: number = Date.now()): string {
  const seconds = Math.floor(now / 1000).toString(16).padStart(8, '0');
  return seconds + toHex(randomBytes(8));
}

export function isObjectId(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{24}$/.test(value);
}

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
