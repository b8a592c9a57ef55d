import type { OptionDefinition } from '../option.js';

/** Push notifications: the providers' addresses and retries. */
export const pushOptions = {
  pushAllowPrivateEndpoints: {
    env: 'PARLEY_PUSH_ALLOW_PRIVATE_ENDPOINTS',
    flag: '--push-allow-private-endpoints',
    type: { kind: 'boolean' },
    default: 'false',
    description: 'Let Web Push endpoints be loopback, private or link-local addresses (tests and private deployments only: otherwise a subscription could make the server call internal services).',
  },
  pushCaFile: {
    env: 'PARLEY_PUSH_CA_FILE',
    flag: '--push-ca-file',
    type: { kind: 'string', allowEmpty: true },
    default: '',
    description: 'PEM file of extra certificate authorities trusted for push provider connections, besides the system ones and NODE_EXTRA_CA_CERTS (certificates are always verified).',
  },
  pushFcmUrl: {
    env: 'PARLEY_PUSH_FCM_URL',
    flag: '--push-fcm-url',
    type: { kind: 'string' },
    default: 'https://fcm.googleapis.com',
    description: 'Origin of the FCM HTTP v1 API (the OAuth token URL comes from each service account\'s token_uri).',
  },
  pushApnsUrl: {
    env: 'PARLEY_PUSH_APNS_URL',
    flag: '--push-apns-url',
    type: { kind: 'string' },
    default: 'https://api.push.apple.com',
    description: 'APNs origin for subscriptions with environment production.',
  },
  pushApnsSandboxUrl: {
    env: 'PARLEY_PUSH_APNS_SANDBOX_URL',
    flag: '--push-apns-sandbox-url',
    type: { kind: 'string' },
    default: 'https://api.sandbox.push.apple.com',
    description: 'APNs origin for subscriptions with environment development.',
  },
  pushRetryBaseMs: {
    env: 'PARLEY_PUSH_RETRY_BASE_MS',
    flag: '--push-retry-base-ms',
    type: { kind: 'integer', min: 10, max: 3_600_000 },
    default: '5000',
    description: 'First retry delay (ms) of a push the provider could not take; it doubles per attempt up to 15 minutes. Pushes are retried until delivered, never dropped for an outage.',
  },
} as const satisfies Record<string, OptionDefinition>;
