/** The REST calls more than one benchmark makes, as load requests (each reads its whole body). */

/** The server the timed phases talk to, wherever it runs. */
export interface ApiTarget {
  url: string;
  app: { id: number; authKey: string };
}

export const JSON_HEADERS = { 'Content-Type': 'application/json;charset=utf-8' };

export interface SessionResponse {
  status: number;
  ok: boolean;
  /** The session token; only for an ok response. Parsed on demand, so callers that drop it pay nothing. */
  token(): string;
}

/** POST /session.json as a user (login/password) of the target's application. */
export async function createUserSession(target: ApiTarget, login: string, password: string, signal: AbortSignal): Promise<SessionResponse> {
  const { url, app } = target;
  const response = await fetch(`${url}/session.json`, {
    method: 'POST',
    headers: JSON_HEADERS,
    body: JSON.stringify({ application_id: app.id, auth_key: app.authKey, user: { login, password } }),
    signal,
  });
  const text = await response.text();
  return { status: response.status, ok: response.ok, token: () => (JSON.parse(text) as { session: { token: string } }).session.token };
}

/** GET `pathAndQuery` with a session token; resolves to the HTTP status. */
export async function getWithToken(target: ApiTarget, token: string, pathAndQuery: string, signal: AbortSignal): Promise<number> {
  const response = await fetch(`${target.url}${pathAndQuery}`, { headers: { 'CB-Token': token }, signal });
  await response.arrayBuffer();
  return response.status;
}
