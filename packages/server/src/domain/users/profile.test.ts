import { describe, it, expect } from 'vitest';
import { DomainFailure } from '../shared/failure.js';
import { MAX_TAGS, parseProfileFields, throwIfErrors, validatePassword } from './profile.js';

/** Sign-up and update field rules (rest.md §3.1, §3.2, [A-2], [A-41]). */

describe('parseProfileFields', () => {
  it('maps wire names to profile fields and leaves unsent keys absent', () => {
    const { change, errors } = parseProfileFields({
      login: 'dacia',
      email: 'dacia_k@domain.com',
      full_name: 'Dacia Kail',
      phone: '+6110797757',
      website: 'https://example.com',
      custom_data: '{"a":1}',
      avatar: 'uid-1',
      blob_id: 7,
      external_user_id: 8,
      external_id: 'ext',
      facebook_id: 'fb',
      twitter_id: 'tw',
      timezone: 180,
      tag_list: ['vip', 'accountant'],
    });
    expect(errors).toEqual({});
    expect(change).toEqual({
      login: 'dacia',
      email: 'dacia_k@domain.com',
      fullName: 'Dacia Kail',
      phone: '+6110797757',
      website: 'https://example.com',
      customData: '{"a":1}',
      avatar: 'uid-1',
      blobId: 7,
      externalUserId: 8,
      externalId: 'ext',
      facebookId: 'fb',
      twitterId: 'tw',
      timezone: 180,
      tags: ['vip', 'accountant'],
    });
    expect(parseProfileFields({ full_name: 'Only' })).toEqual({ change: { fullName: 'Only' }, errors: {} });
    expect(parseProfileFields({})).toEqual({ change: {}, errors: {} });
  });

  it('clears a field sent as null or as an empty string', () => {
    expect(parseProfileFields({ login: null, email: '', phone: null, website: '', blob_id: null, timezone: null }).change).toEqual({
      login: null,
      email: null,
      phone: null,
      website: null,
      blobId: null,
      timezone: null,
    });
  });

  it('turns numeric external, facebook and twitter ids into strings', () => {
    expect(parseProfileFields({ external_id: 12, facebook_id: 34, twitter_id: 56 }).change).toEqual({ externalId: '12', facebookId: '34', twitterId: '56' });
  });

  describe('login', () => {
    it('accepts 3 to 70 characters', () => {
      for (const login of ['abc', 'a'.repeat(70)]) expect(parseProfileFields({ login })).toEqual({ change: { login }, errors: {} });
    });

    it('rejects shorter or longer logins', () => {
      for (const login of ['ab', 'a'.repeat(71)]) {
        expect(parseProfileFields({ login }).errors, login).toEqual({ login: ['is invalid, length must be 3 to 70 characters'] });
      }
    });
  });

  describe('email', () => {
    it('accepts an address and trims it', () => {
      expect(parseProfileFields({ email: '  user@example.com ' })).toEqual({ change: { email: 'user@example.com' }, errors: {} });
    });

    it('rejects malformed addresses', () => {
      for (const email of ['plainaddress', 'user@host', '@example.com', 'user@', 'us er@example.com', 'a@b@c.com']) {
        expect(parseProfileFields({ email }).errors, email).toEqual({ email: ['is invalid'] });
      }
    });

    it('rejects an address longer than 255 characters', () => {
      const local = 'a'.repeat(64);
      const ok = `${local}@${'b'.repeat(255 - 64 - 1 - 4)}.com`;
      expect(ok).toHaveLength(255);
      expect(parseProfileFields({ email: ok }).errors).toEqual({});
      expect(parseProfileFields({ email: `a${ok}` }).errors).toEqual({ email: ['is invalid'] });
    });
  });

  describe('text fields', () => {
    it('accept up to 255 characters and reject longer ones', () => {
      for (const field of ['full_name', 'phone', 'website', 'avatar', 'external_id', 'facebook_id', 'twitter_id'] as const) {
        expect(parseProfileFields({ [field]: 'x'.repeat(255) }).errors, field).toEqual({});
        expect(parseProfileFields({ [field]: 'x'.repeat(256) }).errors, field).toEqual({ [field]: ['is too long (maximum is 255 characters)'] });
      }
    });

    it('custom_data accepts up to 65536 characters', () => {
      expect(parseProfileFields({ custom_data: 'x'.repeat(65536) }).errors).toEqual({});
      expect(parseProfileFields({ custom_data: 'x'.repeat(65537) }).errors).toEqual({ custom_data: ['is too long (maximum is 65536 characters)'] });
    });
  });

  describe('tag_list', () => {
    it('accepts an array or a comma-separated string, trimming and de-duplicating', () => {
      expect(parseProfileFields({ tag_list: ['a', 'b'] }).change.tags).toEqual(['a', 'b']);
      expect(parseProfileFields({ tag_list: 'a, b' }).change.tags).toEqual(['a', 'b']);
      expect(parseProfileFields({ tag_list: 'a,b,a' }).change.tags).toEqual(['a', 'b']);
      expect(parseProfileFields({ tag_list: '' }).change.tags).toEqual([]);
    });

    it('takes at most 5 tags', () => {
      expect(MAX_TAGS).toBe(5);
      expect(parseProfileFields({ tag_list: 'a,b,c,d,e' }).errors).toEqual({});
      expect(parseProfileFields({ tag_list: 'a,b,c,d,e,a' }).errors).toEqual({});
      expect(parseProfileFields({ tag_list: ['a', 'b', 'c', 'd', 'e', 'f'] }).errors).toEqual({ tag_list: ['must have at most 5 tags'] });
    });

    it('takes tags of at most 64 characters', () => {
      expect(parseProfileFields({ tag_list: ['t'.repeat(64)] }).errors).toEqual({});
      expect(parseProfileFields({ tag_list: ['t'.repeat(65)] }).errors).toEqual({ tag_list: ['tags must be at most 64 characters'] });
    });
  });

  it('collects every field error at once', () => {
    const { errors } = parseProfileFields({ login: 'x', email: 'nope', phone: 'p'.repeat(300), tag_list: ['1', '2', '3', '4', '5', 'u'.repeat(65)] });
    expect(errors).toEqual({
      login: ['is invalid, length must be 3 to 70 characters'],
      email: ['is invalid'],
      phone: ['is too long (maximum is 255 characters)'],
      tag_list: ['must have at most 5 tags', 'tags must be at most 64 characters'],
    });
  });
});

describe('validatePassword', () => {
  const check = (password: string | undefined, minLength = 8): Record<string, string[]> => {
    const errors: Record<string, string[]> = {};
    validatePassword(password, minLength, errors);
    return errors;
  };

  it('requires a password', () => {
    expect(check(undefined)).toEqual({ password: ['cannot be blank'] });
    expect(check('')).toEqual({ password: ['cannot be blank'] });
  });

  it('enforces the configured minimum length', () => {
    expect(check('1234567')).toEqual({ password: ['is too short (minimum is 8 characters)'] });
    expect(check('12345678')).toEqual({});
    expect(check('123', 3)).toEqual({});
    expect(check('123', 4)).toEqual({ password: ['is too short (minimum is 4 characters)'] });
  });

  it('caps the length at 1024 characters', () => {
    expect(check('p'.repeat(1024))).toEqual({});
    expect(check('p'.repeat(1025))).toEqual({ password: ['is too long (maximum is 1024 characters)'] });
  });

  it('adds to the errors already collected', () => {
    const errors: Record<string, string[]> = { login: ['is invalid'] };
    validatePassword('short', 8, errors);
    expect(errors).toEqual({ login: ['is invalid'], password: ['is too short (minimum is 8 characters)'] });
  });
});

describe('throwIfErrors', () => {
  it('does nothing without errors', () => {
    expect(() => throwIfErrors({})).not.toThrow();
  });

  it('throws VALIDATION_FAILED carrying every field message', () => {
    const fields = { login: ['is invalid'], password: ['cannot be blank'] };
    let thrown: unknown;
    try {
      throwIfErrors(fields);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainFailure);
    expect((thrown as DomainFailure).code).toBe('VALIDATION_FAILED');
    expect((thrown as DomainFailure).detail.fields).toEqual(fields);
  });
});
