// Login shapes the SDK accepts (rest.md §2); the session the server sends is declared in @parley/protocol.
import type { SessionWire } from '@parley/protocol';

export type Session = SessionWire;

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
