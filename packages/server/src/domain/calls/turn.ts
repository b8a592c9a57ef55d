import { createHmac } from 'node:crypto';
import type { TurnCredentialsWire } from '@parley/protocol';
import { requireUser } from '../dialogs/service.js';
import type { Actor, Clock } from '../shared/actor.js';

export interface TurnSettings {
  /** TURN (and STUN) URLs handed to clients; empty = no relay configured. */
  urls: readonly string[];
  /** coturn `static-auth-secret`. */
  secret: string;
  ttlSeconds: number;
}

/** The TURN REST convention coturn's `use-auth-secret` checks: password = base64(HMAC-SHA1(secret, username)). */
export function turnPassword(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}

/**
 * Time-limited TURN credentials for a signed-in user (rest.md §10.2): username `expiry:userId` with
 * `expiry` in Unix seconds, so coturn refuses them once it has passed, without asking Parley.
 */
export class TurnCredentialService {
  constructor(
    private readonly settings: TurnSettings,
    private readonly clock: Clock,
  ) {}

  get enabled(): boolean {
    return this.settings.urls.length > 0 && this.settings.secret !== '';
  }

  issue(actor: Actor): TurnCredentialsWire {
    const userId = requireUser(actor);
    if (!this.enabled) return { username: '', password: '', ttl: 0, uris: [], iceServers: [] };
    const { ttlSeconds, secret } = this.settings;
    const expiry = Math.floor(this.clock() / 1000) + ttlSeconds;
    const username = `${expiry}:${userId}`;
    const password = turnPassword(secret, username);
    const uris = [...this.settings.urls];
    const turn = uris.filter((uri) => /^turns?:/i.test(uri));
    const stun = uris.filter((uri) => /^stun:/i.test(uri));
    const iceServers: TurnCredentialsWire['iceServers'] = [];
    if (stun.length > 0) iceServers.push({ urls: stun });
    if (turn.length > 0) iceServers.push({ urls: turn, username, credential: password });
    return { username, password, ttl: ttlSeconds, uris, iceServers };
  }
}
