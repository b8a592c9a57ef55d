import { describe, expect, it } from 'vitest';
import { phoneMatchKey } from '../../ports/address-book.js';
import { parseContactPhone, phoneLengthReason } from './phone.js';

describe('phoneMatchKey', () => {
  it('keeps the digits in order and nothing else', () => {
    expect(phoneMatchKey('+1 (555) 010-0200')).toBe('15550100200');
    expect(phoneMatchKey('15550100200')).toBe('15550100200');
    expect(phoneMatchKey('555.010.0200')).toBe('5550100200');
  });

  it('is null for no phone or a text without digits', () => {
    expect(phoneMatchKey(null)).toBeNull();
    expect(phoneMatchKey(undefined)).toBeNull();
    expect(phoneMatchKey('')).toBeNull();
    expect(phoneMatchKey('call me')).toBeNull();
  });

  it('applies no country rules: national and international forms differ', () => {
    expect(phoneMatchKey('+44 20 7946 0958')).not.toBe(phoneMatchKey('020 7946 0958'));
  });
});

describe('parseContactPhone', () => {
  it('accepts 10 to 15 digits, plain or formatted, and keeps the trimmed text', () => {
    expect(parseContactPhone('5550100200')).toEqual({ ok: true, phone: '5550100200', phoneKey: '5550100200' });
    expect(parseContactPhone('  +1 (555) 010-0200 ')).toEqual({ ok: true, phone: '+1 (555) 010-0200', phoneKey: '15550100200' });
    expect(parseContactPhone('123456789012345')).toMatchObject({ ok: true, phoneKey: '123456789012345' });
    expect(parseContactPhone(5550100200)).toEqual({ ok: true, phone: '5550100200', phoneKey: '5550100200' });
  });

  it('counts digits, not characters, against the 10–15 rule', () => {
    expect(parseContactPhone('555010020')).toEqual({ ok: false, reason: phoneLengthReason });
    expect(parseContactPhone('1234567890123456')).toEqual({ ok: false, reason: phoneLengthReason });
    expect(parseContactPhone('(555) 010-020')).toEqual({ ok: false, reason: phoneLengthReason });
  });

  it('refuses missing phones, other types, letters, a + not first, and overlong text', () => {
    for (const missing of [undefined, null, '']) expect(parseContactPhone(missing)).toEqual({ ok: false, reason: "Field 'phone' is required." });
    for (const other of [true, {}, ['5550100200'], 1.5, -5550100200]) {
      expect(parseContactPhone(other)).toEqual({ ok: false, reason: "Field 'phone' should be a string." });
    }
    expect(parseContactPhone('555-CALL-NOW1')).toMatchObject({ ok: false, reason: expect.stringContaining('only digits') });
    expect(parseContactPhone('555+0100200')).toMatchObject({ ok: false, reason: expect.stringContaining('only digits') });
    expect(parseContactPhone('5550100200;drop')).toMatchObject({ ok: false });
    expect(parseContactPhone(`5550100200${' '.repeat(30)}1`)).toMatchObject({ ok: false, reason: expect.stringContaining('at most 32') });
  });
});
