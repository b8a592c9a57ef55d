import type { OptionDefinition } from '../option.js';

/** Operators: the admin API, metrics, the dashboard and logs. */
export const opsOptions = {
  adminToken: {
    env: 'PARLEY_ADMIN_TOKEN',
    flag: '--admin-token',
    type: { kind: 'string', allowEmpty: true },
    default: '',
    description: 'Secret for the admin API under /admin (Authorization: Bearer TOKEN), for automation and the CLI commands that ask the running server (status, connections); empty = only signed-in dashboard operators reach /admin (nobody when PARLEY_DASHBOARD is false: 404).',
    secret: true,
  },
  metricsToken: {
    env: 'PARLEY_METRICS_TOKEN',
    flag: '--metrics-token',
    type: { kind: 'string', allowEmpty: true },
    default: '',
    description: 'When set, GET /metrics needs Authorization: Bearer TOKEN (Prometheus: authorization.credentials); empty = open.',
    secret: true,
  },
  metricsPort: {
    env: 'PARLEY_METRICS_PORT',
    flag: '--metrics-port',
    type: { kind: 'integer', min: 0, max: 65535 },
    default: '0',
    description: 'Serve /metrics on this separate port (on PARLEY_METRICS_HOST) instead of the HTTP port; 0 = on the HTTP port.',
  },
  metricsHost: {
    env: 'PARLEY_METRICS_HOST',
    flag: '--metrics-host',
    type: { kind: 'string' },
    default: '127.0.0.1',
    description: 'Address of the separate metrics listener (PARLEY_METRICS_PORT).',
  },
  dashboard: {
    env: 'PARLEY_DASHBOARD',
    flag: '--dashboard',
    type: { kind: 'boolean' },
    default: 'true',
    description: 'Serve the operator dashboard at /dashboard and let signed-in operators (parley admin create) use the admin API; false = only PARLEY_ADMIN_TOKEN opens /admin.',
  },
  operatorSessionTtl: {
    env: 'PARLEY_OPERATOR_SESSION_TTL',
    flag: '--operator-session-ttl',
    type: { kind: 'duration', minSeconds: 60, maxSeconds: 30 * 24 * 3600 },
    default: '12h',
    description: 'A dashboard sign-in lasts this long (not extended by use); signing out ends it at once.',
  },
  logLevel: {
    env: 'PARLEY_LOG_LEVEL',
    flag: '--log-level',
    type: { kind: 'enum', values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
    default: 'info',
    description: 'Log verbosity. Logs are JSON lines (pino) on stdout; the start-up banner and warnings go to stderr.',
  },
} as const satisfies Record<string, OptionDefinition>;
