import { describe, expect, it } from 'vitest';
import { chooseMechanism, isSecureUrl } from './transport.js';

describe('SASL mechanism choice (as xmpp.js and the official SDK)', () => {
  it('takes the first offered mechanism on a secure socket, never PLAIN on an insecure one', () => {
    expect(chooseMechanism(['SCRAM-SHA-1', 'PLAIN'], true)).toBe('SCRAM-SHA-1');
    expect(chooseMechanism(['PLAIN'], true)).toBe('PLAIN');
    expect(chooseMechanism(['PLAIN'], false)).toBe('');
    expect(chooseMechanism(['PLAIN', 'SCRAM-SHA-1'], false)).toBe('SCRAM-SHA-1');
  });

  it('treats wss: and loopback hosts as secure', () => {
    expect(isSecureUrl('wss://chat.example.com/ws')).toBe(true);
    expect(isSecureUrl('ws://localhost:8080/ws')).toBe(true);
    expect(isSecureUrl('ws://127.0.0.1:8080/ws')).toBe(true);
    expect(isSecureUrl('ws://[::1]:8080/ws')).toBe(true);
    expect(isSecureUrl('ws://chat.example.com/ws')).toBe(false);
  });
});
