import { createHash, createHmac, pbkdf2, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { ScramKeys } from '../../ports/store.js';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;
const pbkdf2Async = promisify(pbkdf2);

const KEY_LENGTH = 32;
const SCRAM_ITERATIONS = 4096;

/** `scrypt$logN$r$p$salt$hash` (base64): the cost travels with the hash, so it can change safely. */
export async function hashPassword(password: string, logN: number): Promise<string> {
  const salt = randomBytes(16);
  const N = 2 ** logN;
  const hash = await scryptAsync(password, salt, KEY_LENGTH, { N, r: 8, p: 1, maxmem: 256 * N * 8 });
  return ['scrypt', logN, 8, 1, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, logN, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const N = 2 ** Number(logN);
  const expected = Buffer.from(hash, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, {
    N,
    r: Number(r),
    p: Number(p),
    maxmem: 256 * N * Number(r),
  });
  return timingSafeEqual(actual, expected);
}

/** RFC 5802 StoredKey/ServerKey, so XMPP SCRAM-SHA-1 can authenticate without the plaintext. */
export async function scramSha1Keys(password: string, salt: Buffer = randomBytes(16), iterations = SCRAM_ITERATIONS): Promise<ScramKeys> {
  const saltedPassword = await pbkdf2Async(password, salt, iterations, 20, 'sha1');
  const clientKey = createHmac('sha1', saltedPassword).update('Client Key').digest();
  return {
    salt: salt.toString('base64'),
    iterations,
    storedKey: createHash('sha1').update(clientKey).digest('base64'),
    serverKey: createHmac('sha1', saltedPassword).update('Server Key').digest('base64'),
  };
}
