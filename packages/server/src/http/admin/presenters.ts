import type { ConnectionInfo } from '../../ports/connections.js';
import type { AppRecord, SessionRecord } from '../../ports/store.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** An application as the admin API and `parley app … --json` show it; the secret only where asked. */
export function adminAppWire(app: AppRecord, withSecret = true) {
  return {
    id: app.id,
    name: app.name,
    authKey: app.authKey,
    ...(withSecret ? { authSecret: app.authSecret } : {}),
    settings: app.settings,
    createdAt: iso(app.createdAt),
  };
}

/** A session without its token (only its hash is stored anyway). */
export function adminSessionWire(session: SessionRecord) {
  return {
    id: session.id,
    appId: session.appId,
    userId: session.userId,
    createdAt: iso(session.createdAt),
    expiresAt: iso(session.expiresAt),
    guest: session.hardExpiresAt !== null,
  };
}

export function adminConnectionWire(connection: ConnectionInfo) {
  return connection;
}

export const appSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    authKey: { type: 'string' },
    authSecret: { type: 'string' },
    settings: { $ref: '#/components/schemas/AppSettings' },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

export const connectionSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    appId: { type: 'integer' },
    userId: { type: 'integer' },
    resource: { type: 'string' },
    transport: { enum: ['websocket', 'tcp'] },
    secure: { type: 'boolean' },
    remoteAddress: { type: 'string' },
    available: { type: 'boolean' },
    detached: { type: 'boolean' },
  },
} as const;
