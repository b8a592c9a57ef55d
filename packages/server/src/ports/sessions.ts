/** Sessions and the SCRAM keys kept per session: the sessions aggregate of the store port (see store.ts for the guarantees). */

export interface ScramKeys {
  salt: string;
  iterations: number;
  storedKey: string;
  serverKey: string;
}

export interface SessionRecord {
  id: number;
  appId: number;
  userId: number | null;
  /** SHA-256 of the token: the database never holds a usable token. */
  tokenHash: string;
  nonce: number;
  ts: number;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  /** Guest sessions never slide past this instant. */
  hardExpiresAt: number | null;
  /** SCRAM-SHA-1 keys of the token with the user's salt (realtime.md §4.4); absent/null = none. */
  scram?: ScramKeys | null;
}

export type NewSession = Omit<SessionRecord, 'id'>;

export interface SessionRepository {
  create(session: NewSession): Promise<SessionRecord>;
  findByTokenHash(tokenHash: string): Promise<SessionRecord | undefined>;
  findById(appId: number, sessionId: number): Promise<SessionRecord | undefined>;
  /** Slides the expiry and stamps the bound user's last request time in one write. */
  touch(session: SessionRecord, expiresAt: number, now: number): Promise<void>;
  bindUser(appId: number, sessionId: number, userId: number | null, now: number): Promise<void>;
  delete(appId: number, sessionId: number): Promise<void>;
  deleteExpired(now: number): Promise<number>;
  /** Unexpired sessions of an application (optionally of one user), newest first, for operators. */
  listActive(appId: number, filter: { userId?: number; now: number; limit: number; offset: number }): Promise<SessionRecord[]>;
  /** SCRAM keys of the user's sessions that have them and expire after `now`, newest first. */
  scramKeysOf(appId: number, userId: number, now: number): Promise<ScramKeys[]>;
}
