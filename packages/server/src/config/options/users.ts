import type { OptionDefinition } from '../option.js';

/** Sessions, passwords, the login throttle and address books. */
export const userOptions = {
  sessionTtl: {
    env: 'PARLEY_SESSION_TTL',
    flag: '--session-ttl',
    type: { kind: 'duration', minSeconds: 60, maxSeconds: 90 * 24 * 3600 },
    default: '2h',
    description: 'A session token expires this long after its last use (sliding).',
  },
  guestSessionTtl: {
    env: 'PARLEY_GUEST_SESSION_TTL',
    flag: '--guest-session-ttl',
    type: { kind: 'duration', minSeconds: 60, maxSeconds: 90 * 24 * 3600 },
    default: '1d',
    description: 'Lifetime of a guest session; afterwards the guest user is deleted.',
  },
  addressBookMaxContacts: {
    env: 'PARLEY_ADDRESS_BOOK_MAX_CONTACTS',
    flag: '--address-book-max-contacts',
    type: { kind: 'integer', min: 1, max: 1_000_000 },
    default: '10000',
    description: 'Most contacts one address book (global or per device) holds, and one upload carries; more get 422.',
  },
  passwordHashCost: {
    env: 'PARLEY_PASSWORD_HASH_COST',
    flag: '--password-hash-cost',
    type: { kind: 'integer', min: 10, max: 20 },
    default: '14',
    description: 'log2 of the scrypt cost N for new password hashes (each hash records its own cost).',
  },
  passwordMinLength: {
    env: 'PARLEY_PASSWORD_MIN_LENGTH',
    flag: '--password-min-length',
    type: { kind: 'integer', min: 1, max: 128 },
    default: '8',
    description: 'Shortest password accepted at sign-up and password change.',
  },
  loginMaxFailures: {
    env: 'PARLEY_LOGIN_MAX_FAILURES',
    flag: '--login-max-failures',
    type: { kind: 'integer', min: 1, max: 100000 },
    default: '10',
    description: 'Failed logins allowed per application, login and client address within the failure window.',
  },
  loginFailureWindow: {
    env: 'PARLEY_LOGIN_FAILURE_WINDOW',
    flag: '--login-failure-window',
    type: { kind: 'duration', minSeconds: 1, maxSeconds: 24 * 3600 },
    default: '15m',
    description: 'Window over which failed logins are counted; the 429 Retry-After is when it ends.',
  },
} as const satisfies Record<string, OptionDefinition>;
