import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

const PREFIX = 'enc:v1:';

/**
 * Seals per-app API keys at rest with AES-256-GCM under a key derived from PARLEY_AI_SECRET. Without a
 * secret keys are kept as given (the admin API and CLI still only ever show their last characters).
 */
export class KeyBox {
  private readonly key: Buffer | undefined;

  constructor(secret: string) {
    // A fixed salt is fine: the secret is a server key, not a user password, and must derive the same key on every node.
    this.key = secret === '' ? undefined : scryptSync(secret, 'parley-ai-key-box', 32);
  }

  get encrypts(): boolean {
    return this.key !== undefined;
  }

  seal(apiKey: string): string {
    if (!this.key || apiKey === '') return apiKey;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(apiKey, 'utf8'), cipher.final()]);
    return `${PREFIX}${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${sealed.toString('base64')}`;
  }

  /** The key in clear; undefined when it was sealed under another (or no) secret. */
  open(stored: string): string | undefined {
    if (!stored.startsWith(PREFIX)) return stored;
    if (!this.key) return undefined;
    const [iv = '', tag = '', sealed = ''] = stored.slice(PREFIX.length).split(':');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }
}

/** What may be shown of a key: its length class and last four characters, never more. */
export function keyHint(apiKey: string | undefined): string | null {
  if (apiKey === undefined || apiKey === '') return null;
  return apiKey.length <= 8 ? '…' : `…${apiKey.slice(-4)}`;
}
