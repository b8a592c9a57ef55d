// Sessions and login (rest.md §2): `createSession`, `getSession`, `destroySession`, `login`,
// `logout`, `setSession`. Methods are arrow properties so they survive being detached
// (`const { createSession } = ConnectyCube`), as in the official SDK.
import type { Credentials } from '../config.js';
import type { ApiRequest } from '../http/types.js';
import type { User } from '../users/types.js';
import { createSessionBody } from './session-body.js';
import type { SessionState } from './session-state.js';
import type { CreateSessionParams, LoginParams, Session } from './types.js';

/** What the auth feature needs; it never sees fetch or URLs. */
export interface AuthDeps {
  request<T>(request: ApiRequest): Promise<T>;
  readonly session: SessionState;
  credentials(): Credentials;
}

export class AuthService {
  constructor(private readonly deps: AuthDeps) {}

  /** Stores a session obtained elsewhere (e.g. from your backend). */
  setSession = (session: Partial<Session> | null): void => {
    this.deps.session.set(session);
  };

  /** No params → application session; login/email+password, guest or provider → user session. */
  createSession = async (params: CreateSessionParams = {}): Promise<Session> => {
    const { appId, authKey } = this.deps.credentials();
    // Refuse locally, like the official SDK: the server would answer 401 anyway.
    if (appId === '' || appId === undefined || !authKey) {
      throw new Error('Cannot create a new session without "appId" and "authKey"');
    }
    const { session } = await this.deps.request<{ session: Session }>({
      method: 'POST',
      path: 'session',
      data: createSessionBody(appId, authKey, params),
    });
    this.deps.session.set(session);
    this.deps.session.setCurrentUserId(session.user_id);
    return session;
  };

  /** Reads the current session from the server (does not replace the stored one). */
  getSession = async (): Promise<Session> => {
    const { session } = await this.deps.request<{ session: Session }>({ method: 'GET', path: 'session' });
    return session;
  };

  destroySession = async (): Promise<void> => {
    await this.deps.request<string>({ method: 'DELETE', path: 'session', responseMode: 'text' });
    this.deps.session.clear();
  };

  /** Binds a user to the current (application) session; params are sent unchanged. */
  login = async (params: LoginParams): Promise<User> => {
    const { user } = await this.deps.request<{ user: User }>({ method: 'POST', path: 'login', data: params });
    this.deps.session.setCurrentUserId(user.id);
    return user;
  };

  /** Unbinds the user; the session stays valid as an application session. */
  logout = async (): Promise<string> => {
    // Forget the user first, as the official SDK does, even if the call then fails.
    this.deps.session.setCurrentUserId(null);
    return this.deps.request<string>({ method: 'DELETE', path: 'login', responseMode: 'text' });
  };
}
