import type { OptionDefinition } from '../option.js';

/** Where the server listens and how large a request or message may be. */
export const serverOptions = {
  host: {
    env: 'PARLEY_HOST',
    flag: '--host',
    type: { kind: 'string' },
    default: '127.0.0.1',
    description: 'Address the HTTP/WebSocket server binds to (0.0.0.0 for all interfaces).',
  },
  port: {
    env: 'PARLEY_PORT',
    flag: '--port',
    type: { kind: 'integer', min: 0, max: 65535 },
    default: '8080',
    description: 'HTTP port for REST and XMPP over WebSocket; 0 picks a free port and logs it.',
  },
  publicUrl: {
    env: 'PARLEY_PUBLIC_URL',
    flag: '--public-url',
    type: { kind: 'string', allowEmpty: true },
    default: '',
    description:
      'Base URL clients use to reach this server (printed in the ConnectyCube.init snippet; links to its /blobs/ in messages lose their token); empty = http://HOST:PORT.',
  },
  bodyLimit: {
    env: 'PARLEY_BODY_LIMIT',
    flag: '--body-limit',
    type: { kind: 'bytes', min: 1024, max: 1024 * 1024 * 1024 },
    default: '1mb',
    description: 'Largest accepted request body (JSON or form); larger ones get 413.',
  },
  messageMaxBytes: {
    env: 'PARLEY_MESSAGE_MAX_BYTES',
    flag: '--message-max-bytes',
    type: { kind: 'bytes', min: 1, max: 16 * 1024 * 1024 },
    default: '64kb',
    description: 'Largest chat message text (and its custom parameters); larger ones get 422.',
  },
  trustProxy: {
    env: 'PARLEY_TRUST_PROXY',
    flag: '--trust-proxy',
    type: { kind: 'boolean' },
    default: 'false',
    description: 'Take the client address (REST and XMPP over WebSocket; login throttling keys on it) from X-Forwarded-For (only behind a proxy you run).',
  },
} as const satisfies Record<string, OptionDefinition>;
