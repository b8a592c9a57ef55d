import { rawRequest, sessionToken, type RawResponse, type TestServer } from '@parley/testkit';

/** A signed-up user of the server's app (or another app) with a session token. */
export interface SignedInUser {
  id: number;
  login: string;
  password: string;
  appId: number;
  token: string;
}

let serial = 0;

export async function signedInUser(server: TestServer, app = server.app, password = 'secret-pwd'): Promise<SignedInUser> {
  const login = `sec${Date.now().toString(36)}${(serial += 1)}`;
  const user = await server.server.services.users.signup(app.id, { login, password });
  const token = await sessionToken(server.url, app, { login, password });
  return { id: user.id, login, password, appId: app.id, token };
}

export function api(server: TestServer, user: { token: string } | undefined, method: string, path: string, body?: unknown): Promise<RawResponse> {
  return rawRequest(server.url, path, { method, ...(user ? { token: user.token } : {}), ...(body !== undefined ? { body } : {}) });
}
