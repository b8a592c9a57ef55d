import { describe, expect, it } from 'vitest';
import { DomainFailure } from '../shared/failure.js';
import { TurnCredentialService, turnPassword } from './turn.js';

describe('TURN credentials (TURN REST convention)', () => {
  const urls = ['stun:turn.example:3478', 'turn:turn.example:3478?transport=udp', 'turn:turn.example:3478?transport=tcp'];

  it('password is base64 HMAC-SHA1 of the username with the shared secret (vector from Python hmac)', () => {
    expect(turnPassword('north-secret', '1700086400:42')).toBe('UWXoDjwZ9B4odP04PG9KxJWLns0=');
  });

  it('username is expiry:userId with expiry = now + ttl in Unix seconds; iceServers split STUN and TURN', () => {
    const service = new TurnCredentialService({ urls, secret: 'north-secret', ttlSeconds: 86_400 }, () => 1_700_000_000_500);
    const issued = service.issue({ appId: 7, userId: 42, sessionId: 1 });
    expect(issued).toEqual({
      username: '1700086400:42',
      password: 'UWXoDjwZ9B4odP04PG9KxJWLns0=',
      ttl: 86_400,
      uris: urls,
      iceServers: [
        { urls: ['stun:turn.example:3478'] },
        { urls: ['turn:turn.example:3478?transport=udp', 'turn:turn.example:3478?transport=tcp'], username: '1700086400:42', credential: 'UWXoDjwZ9B4odP04PG9KxJWLns0=' },
      ],
    });
  });

  it('refuses an application session, and hands out nothing when no TURN is configured', () => {
    const service = new TurnCredentialService({ urls, secret: 's', ttlSeconds: 60 }, () => 0);
    expect(() => service.issue({ appId: 7, userId: null, sessionId: 1 })).toThrow(DomainFailure);
    const off = new TurnCredentialService({ urls: [], secret: '', ttlSeconds: 60 }, () => 0);
    expect(off.enabled).toBe(false);
    expect(off.issue({ appId: 7, userId: 1, sessionId: 1 })).toEqual({ username: '', password: '', ttl: 0, uris: [], iceServers: [] });
  });
});
