// Session and login shapes (rest.md §2).
import type { User } from '../users/types.js';

export interface Session {
  id: number;
  /** `null` for an application session (no user bound). */
  user_id: number | null;
  application_id: number;
  token: string;
  nonce?: number;
  /** Unix seconds. */
  ts: number;
  created_at: string;
  updated_at: string;
  /** Present for user sessions. */
  user?: User;
}

export type LoginProvider = 'facebook' | 'twitter' | 'firebase_phone' | 'firebase_email';

export interface ProviderKeys {
  token: string;
  secret?: string;
}

export interface FirebaseKeys {
  project_id: string | number;
  access_token: string;
}

export type LoginByLogin = { login: string; password: string };
export type LoginByEmail = { email: string; password: string };
/** Creates a throw-away guest user; `guest` is sent as given (the docs use `'1'`). */
export type LoginAsGuest = { guest: string | number | boolean; full_name?: string };
export type LoginByProvider =
  | { provider: 'facebook' | 'twitter'; keys: ProviderKeys }
  | { provider: 'firebase_phone'; firebase_phone: FirebaseKeys }
  | { provider: 'firebase_email'; firebase_email: FirebaseKeys };

/** Accepted by `createSession`; an empty object (or nothing) makes an application session. */
export type CreateSessionParams = LoginByLogin | LoginByEmail | LoginAsGuest | LoginByProvider | Record<string, never>;

/** Accepted by `login`; sent to the server unchanged. */
export type LoginParams = LoginByLogin | LoginByEmail | LoginByProvider;

/** The body of `POST /session`. */
export interface CreateSessionBody {
  application_id: number | string;
  auth_key: string;
  user?: LoginByLogin | LoginByEmail | LoginAsGuest;
  provider?: LoginProvider;
  keys?: ProviderKeys;
  firebase_phone?: FirebaseKeys;
  firebase_email?: FirebaseKeys;
}
