import type { DialogRecord } from './dialogs.js';

/** Dashboard operators: people who sign in to /dashboard and act through the admin API. */
export interface OperatorRecord {
  id: number;
  login: string;
  /** `scrypt$…` (domain/users/passwords.ts). */
  passwordHash: string;
  createdAt: number;
}

/** A signed-in browser: the cookie carries the token, only its SHA-256 is stored. */
export interface OperatorSessionRecord {
  tokenHash: string;
  operatorId: number;
  /** Sent back in the X-CSRF-Token header of every state-changing call. */
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
}

export interface OperatorRepository {
  /** Throws on a duplicate login (the domain checks first). */
  create(login: string, passwordHash: string, createdAt: number): Promise<OperatorRecord>;
  findByLogin(login: string): Promise<OperatorRecord | undefined>;
  findById(id: number): Promise<OperatorRecord | undefined>;
  setPassword(id: number, passwordHash: string): Promise<void>;
  count(): Promise<number>;
  createSession(session: OperatorSessionRecord): Promise<void>;
  findSession(tokenHash: string): Promise<OperatorSessionRecord | undefined>;
  deleteSession(tokenHash: string): Promise<void>;
  /** All sessions of one operator (a password change signs everyone out). */
  deleteSessionsOf(operatorId: number): Promise<void>;
  purgeExpiredSessions(now: number): Promise<number>;
}

/** Dialog custom fields (rest.md §4.12): declared per app in the dashboard or admin API. */
export interface DialogFieldRepository {
  /** Declared names, oldest first. */
  list(appId: number): Promise<string[]>;
  /** False when the name was already declared. */
  add(appId: number, name: string, createdAt: number): Promise<boolean>;
  /** Drops the declaration and the field's value from every dialog of the app; false when not declared. */
  remove(appId: number, name: string): Promise<boolean>;
}

/** Every dialog of an app, as operators search them (not limited to one member's list). */
export interface DialogSearch {
  /** Case-insensitive substring of the name. */
  name?: string;
  type?: number;
  limit: number;
  offset: number;
}

export interface DialogDirectoryRepository {
  /** Newest activity first. */
  search(appId: number, query: DialogSearch): Promise<{ total: number; dialogs: DialogRecord[] }>;
}
