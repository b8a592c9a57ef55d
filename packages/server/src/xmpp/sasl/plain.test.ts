import { describe, expect, it } from 'vitest';
import { decodeSaslPayload, encodeSaslPayload, parsePlain, selectMechanism } from './index.js';

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

describe('parsePlain', () => {
  it('parses the SDK 6.1.2 message (empty authzid)', () => {
    expect(parsePlain(bytes('\u00005-42\u0000secret-pwd'))).toEqual({ ok: true, authzid: '', authcid: '5-42', password: 'secret-pwd' });
  });

  it('parses a bare-JID authzid (older clients)', () => {
    expect(parsePlain(bytes('5-42@chat.example\u00005-42\u0000pwd'))).toEqual({
      ok: true,
      authzid: '5-42@chat.example',
      authcid: '5-42',
      password: 'pwd',
    });
  });

  it('keeps UTF-8 passwords and spaces intact', () => {
    expect(parsePlain(bytes('\u00005-42\u0000pässwörd ✓ '))).toMatchObject({ ok: true, password: 'pässwörd ✓ ' });
  });

  it('accepts the wire form produced by base64 decoding', () => {
    const decoded = decodeSaslPayload('ADUtNDIAc2VjcmV0LXB3ZA==');
    expect(decoded.ok).toBe(true);
    if (!decoded.ok || !decoded.bytes) throw new Error('unreachable');
    expect(parsePlain(decoded.bytes)).toEqual({ ok: true, authzid: '', authcid: '5-42', password: 'secret-pwd' });
  });

  it.each([
    ['empty', ''],
    ['no NUL', '5-42secret'],
    ['one NUL', '5-42\u0000secret'],
    ['three NULs', '\u00005-42\u0000sec\u0000ret'],
    ['empty authcid', 'x\u0000\u0000secret'],
    ['empty password', '\u00005-42\u0000'],
    ['only NULs', '\u0000\u0000'],
  ])('rejects %s with malformed-request', (_name, input) => {
    expect(parsePlain(bytes(input))).toMatchObject({ ok: false, condition: 'malformed-request' });
  });

  it('rejects bytes that are not UTF-8', () => {
    expect(parsePlain(new Uint8Array([0, 0x35, 0, 0xff, 0xfe]))).toMatchObject({ ok: false, condition: 'malformed-request' });
  });

  it('rejects oversized messages (default and custom limit)', () => {
    expect(parsePlain(bytes(`\u00005-42\u0000${'x'.repeat(5000)}`))).toMatchObject({ ok: false, condition: 'malformed-request' });
    expect(parsePlain(bytes('\u00005-42\u0000secret'), { maxBytes: 8 })).toMatchObject({ ok: false, condition: 'malformed-request' });
  });

  it('never throws on non-byte input', () => {
    expect(parsePlain('\u00005-42\u0000x' as unknown as Uint8Array)).toMatchObject({ ok: false, condition: 'malformed-request' });
    expect(parsePlain(undefined as unknown as Uint8Array)).toMatchObject({ ok: false, condition: 'malformed-request' });
  });
});

describe('SASL payload helpers', () => {
  it('decodes "=" as empty and "" as no response', () => {
    expect(decodeSaslPayload('=')).toEqual({ ok: true, bytes: new Uint8Array(0) });
    expect(decodeSaslPayload('')).toEqual({ ok: true, bytes: null });
  });

  it('rejects non-canonical base64 with incorrect-encoding and huge payloads with malformed-request', () => {
    expect(decodeSaslPayload('AB C=')).toMatchObject({ ok: false, condition: 'incorrect-encoding' });
    expect(decodeSaslPayload('ABC')).toMatchObject({ ok: false, condition: 'incorrect-encoding' });
    expect(decodeSaslPayload('A'.repeat(10_000))).toMatchObject({ ok: false, condition: 'malformed-request' });
  });

  it('encodes empty messages as "="', () => {
    expect(encodeSaslPayload('')).toBe('=');
    expect(encodeSaslPayload('v=abc')).toBe(Buffer.from('v=abc').toString('base64'));
  });

  it('selectMechanism refuses what was not offered', () => {
    expect(selectMechanism('PLAIN', ['PLAIN'])).toEqual({ ok: true, mechanism: 'PLAIN' });
    expect(selectMechanism('SCRAM-SHA-1', ['PLAIN'])).toMatchObject({ ok: false, condition: 'invalid-mechanism' });
    expect(selectMechanism(undefined, ['PLAIN'])).toMatchObject({ ok: false, condition: 'invalid-mechanism' });
  });
});
