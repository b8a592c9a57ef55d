// The `users` module (rest.md §3). Responses are returned as the server sends them
// (`{user}`, `{items…}`), matching the official SDK's return values.
import type { SessionState } from '../auth/session-state.js';
import type { Credentials } from '../config.js';
import { routePath } from '../http/url.js';
import type { ApiRequest } from '../http/types.js';
import { legacyRoute } from './legacy-lookup.js';
import type {
  GetUsersV2Params,
  LegacyGetParams,
  LegacyUserListParams,
  LegacyUserLookup,
  LegacyUsersPage,
  ListOnlineParams,
  OnlineCountResponse,
  OnlineUsersResponse,
  SignUpParams,
  UpdateUserParams,
  UserResponse,
  UsersV2Response,
} from './types.js';

/** What the users feature needs; it never sees fetch or URLs. */
export interface UsersDeps {
  request<T>(request: ApiRequest): Promise<T>;
  readonly session: SessionState;
  credentials(): Credentials;
}

const USERS = 'users';

export class UsersService {
  constructor(private readonly deps: UsersDeps) {}

  /**
   * Creates a user. Without a session this authenticates with the app auth key (`CB-AuthKey`);
   * with one, the session token is sent instead. Does not change the current session.
   */
  signup(user: SignUpParams, authKey?: string): Promise<UserResponse> {
    return this.deps.request({
      method: 'POST',
      path: USERS,
      data: { user },
      authKey: authKey ?? this.deps.credentials().authKey,
    });
  }

  /** Searches users; arrays are always sent as `k[]=v` on this route. */
  getV2(params: GetUsersV2Params): Promise<UsersV2Response> {
    return this.deps.request({ method: 'GET', path: routePath(USERS, 'v2'), data: params, expandArrays: true });
  }

  /** Updates the current user (`PUT /users/{id}`; `/users` when no user id is known yet). */
  update(user: UpdateUserParams = {}): Promise<UserResponse> {
    return this.deps.request({
      method: 'PUT',
      path: routePath(USERS, this.deps.session.currentUserId),
      data: { user },
    });
  }

  /** Deletes the current user; its sessions stop working. */
  delete(): Promise<string> {
    return this.deps.request({
      method: 'DELETE',
      path: routePath(USERS, this.deps.session.currentUserId),
      responseMode: 'text',
    });
  }

  resetPassword(email = ''): Promise<string> {
    return this.deps.request({
      method: 'POST',
      path: routePath(USERS, 'password', 'reset'),
      data: { email },
      responseMode: 'text',
    });
  }

  /** Users with a live chat connection. */
  listOnline(params: ListOnlineParams = {}): Promise<OnlineUsersResponse> {
    return this.deps.request({ method: 'GET', path: routePath(USERS, 'online'), data: params });
  }

  getOnlineCount(): Promise<OnlineCountResponse> {
    return this.deps.request({ method: 'GET', path: routePath(USERS, 'online'), data: { count: true } });
  }

  /**
   * V1 lookups: a number → by id; `{login}`, `{email}`, `{phone}`, `{facebook_id}`,
   * `{twitter_id}`, `{external}` → one user; `{full_name}`, `{tags}` or list params → a page.
   * @deprecated Use `getV2(params)` instead.
   */
  get(id: number): Promise<UserResponse>;
  get(lookup: LegacyUserLookup): Promise<UserResponse>;
  get(params: LegacyUserListParams): Promise<LegacyUsersPage>;
  get(params: LegacyGetParams): Promise<UserResponse | LegacyUsersPage>;
  get(params: LegacyGetParams): Promise<UserResponse | LegacyUsersPage> {
    const { path, query } = legacyRoute(params);
    return this.deps.request({ method: 'GET', path: routePath(USERS, path), data: query });
  }
}
