import { describe, it, expect } from 'vitest';
import { createSessionBody } from './session-body.js';

describe('createSessionBody', () => {
  it('makes an application session from no params', () => {
    expect(createSessionBody(7, 'KEY')).toEqual({ application_id: 7, auth_key: 'KEY' });
    expect(createSessionBody('7', 'KEY', {})).toEqual({ application_id: '7', auth_key: 'KEY' });
  });

  it('wraps login/email credentials in `user`, dropping other keys', () => {
    expect(createSessionBody(7, 'K', { login: 'ann', password: 'pw', full_name: 'Ann' })).toEqual({
      application_id: 7,
      auth_key: 'K',
      user: { login: 'ann', password: 'pw' },
    });
    expect(createSessionBody(7, 'K', { email: 'a@b.c', password: 'pw' }).user).toEqual({ email: 'a@b.c', password: 'pw' });
  });

  it('passes guest params through as given', () => {
    expect(createSessionBody(7, 'K', { guest: '1', full_name: 'Ann' }).user).toEqual({ guest: '1', full_name: 'Ann' });
  });

  it('copies provider keys to the top level', () => {
    const firebase_phone = { project_id: 'p', access_token: 't' };
    expect(createSessionBody(7, 'K', { provider: 'firebase_phone', firebase_phone })).toEqual({
      application_id: 7,
      auth_key: 'K',
      provider: 'firebase_phone',
      firebase_phone,
    });
  });

  it('falls back to an application session for unrecognised shapes', () => {
    expect(createSessionBody(7, 'K', { login: 'ann' })).toEqual({ application_id: 7, auth_key: 'K' });
  });
});
