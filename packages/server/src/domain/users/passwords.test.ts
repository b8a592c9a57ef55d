import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { hashPassword, scramSha1Keys, verifyPassword } from './passwords.js';

/** Low scrypt costs keep these fast; the cost is a parameter, not a constant. */
const COST = 10;

describe('hashPassword / verifyPassword', () => {
  it('verifies the password it hashed', async () => {
    const hash = await hashPassword('correct horse battery staple', COST);
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
  });

  it('refuses a wrong password, including near misses', async () => {
    const hash = await hashPassword('password123', COST);
    for (const attempt of ['password124', 'Password123', 'password123 ', '', 'password12']) {
      expect(await verifyPassword(attempt, hash), attempt).toBe(false);
    }
  });

  it('records the scheme and its cost in the hash: scrypt$logN$r$p$salt$hash', async () => {
    const hash = await hashPassword('pw', COST);
    const [scheme, logN, r, p, salt, key, ...rest] = hash.split('$');
    expect([scheme, logN, r, p]).toEqual(['scrypt', String(COST), '8', '1']);
    expect(Buffer.from(salt ?? '', 'base64')).toHaveLength(16);
    expect(Buffer.from(key ?? '', 'base64')).toHaveLength(32);
    expect(rest).toEqual([]);
    expect((await hashPassword('pw', COST + 1)).split('$')[1]).toBe(String(COST + 1));
  });

  it('verifies with the cost recorded in the hash, whatever the current setting', async () => {
    const cheap = await hashPassword('same password', COST);
    const dearer = await hashPassword('same password', COST + 1);
    expect(await verifyPassword('same password', cheap)).toBe(true);
    expect(await verifyPassword('same password', dearer)).toBe(true);
    // The recorded cost is used: claiming another cost yields another key, which does not match.
    expect(await verifyPassword('same password', cheap.replace(`scrypt$${COST}$`, `scrypt$${COST + 1}$`))).toBe(false);
  });

  it('salts every hash', async () => {
    const first = await hashPassword('same password', COST);
    const second = await hashPassword('same password', COST);
    expect(first).not.toBe(second);
    expect(first.split('$')[4]).not.toBe(second.split('$')[4]);
  });

  it('refuses hashes of another scheme or without salt and key', async () => {
    expect(await verifyPassword('pw', 'bcrypt$10$8$1$c2FsdA==$aGFzaA==')).toBe(false);
    expect(await verifyPassword('pw', 'scrypt$10$8$1$$')).toBe(false);
    expect(await verifyPassword('pw', '')).toBe(false);
  });
});

describe('scramSha1Keys', () => {
  // RFC 5802 §5: user "user", password "pencil".
  const rfc = {
    password: 'pencil',
    salt: 'QSXCR+Q6sek8bf92',
    iterations: 4096,
    clientFirstBare: 'n=user,r=fyko+d2lbbFgONRv9qkxdawL',
    serverFirst: 'r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096',
    clientFinalWithoutProof: 'c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j',
    clientProof: 'v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=',
    serverSignature: 'rmF9pqV8S7suAoZWja4dJRkFsKQ=',
  };
  const authMessage = `${rfc.clientFirstBare},${rfc.serverFirst},${rfc.clientFinalWithoutProof}`;

  it('keeps the salt and iteration count', async () => {
    const keys = await scramSha1Keys(rfc.password, Buffer.from(rfc.salt, 'base64'), rfc.iterations);
    expect(keys.salt).toBe(rfc.salt);
    expect(keys.iterations).toBe(4096);
  });

  it('derives a ServerKey that reproduces the RFC 5802 server signature', async () => {
    const keys = await scramSha1Keys(rfc.password, Buffer.from(rfc.salt, 'base64'), rfc.iterations);
    const serverSignature = createHmac('sha1', Buffer.from(keys.serverKey, 'base64')).update(authMessage).digest('base64');
    expect(serverSignature).toBe(rfc.serverSignature);
  });

  it('derives a StoredKey that accepts the RFC 5802 client proof', async () => {
    const keys = await scramSha1Keys(rfc.password, Buffer.from(rfc.salt, 'base64'), rfc.iterations);
    const storedKey = Buffer.from(keys.storedKey, 'base64');
    // The server's check (RFC 5802 §3): ClientKey = ClientProof XOR HMAC(StoredKey, AuthMessage); H(ClientKey) = StoredKey.
    const clientSignature = createHmac('sha1', storedKey).update(authMessage).digest();
    const proof = Buffer.from(rfc.clientProof, 'base64');
    const clientKey = Buffer.from(proof.map((byte, i) => byte ^ (clientSignature[i] ?? 0)));
    expect(createHash('sha1').update(clientKey).digest('base64')).toBe(keys.storedKey);
  });

  it('matches the RFC 5802 definitions computed step by step', async () => {
    const keys = await scramSha1Keys(rfc.password, Buffer.from(rfc.salt, 'base64'), rfc.iterations);
    const saltedPassword = pbkdf2Sync(rfc.password, Buffer.from(rfc.salt, 'base64'), rfc.iterations, 20, 'sha1');
    const clientKey = createHmac('sha1', saltedPassword).update('Client Key').digest();
    expect(keys.storedKey).toBe(createHash('sha1').update(clientKey).digest('base64'));
    expect(keys.serverKey).toBe(createHmac('sha1', saltedPassword).update('Server Key').digest('base64'));
    expect(Buffer.from(keys.storedKey, 'base64')).toHaveLength(20);
    expect(Buffer.from(keys.serverKey, 'base64')).toHaveLength(20);
  });

  it('defaults to a fresh 16-byte salt and 4096 iterations', async () => {
    const first = await scramSha1Keys('pencil');
    const second = await scramSha1Keys('pencil');
    expect(first.iterations).toBe(4096);
    expect(Buffer.from(first.salt, 'base64')).toHaveLength(16);
    expect(first.salt).not.toBe(second.salt);
    expect(first.storedKey).not.toBe(second.storedKey);
  });

  it('derives different keys for a different password', async () => {
    const salt = Buffer.from(rfc.salt, 'base64');
    const right = await scramSha1Keys('pencil', salt, 4096);
    const wrong = await scramSha1Keys('pencils', salt, 4096);
    expect(wrong.storedKey).not.toBe(right.storedKey);
    expect(wrong.serverKey).not.toBe(right.serverKey);
  });
});
