/** A small raw HTTP client for tests that check the wire itself (status, headers, exact bodies). */
export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  json: unknown;
}

export interface RawRequest {
  method?: string;
  token?: string;
  authKey?: string;
  /** A value is sent as JSON; a string is sent as is. */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

export async function rawRequest(baseUrl: string, path: string, request: RawRequest = {}): Promise<RawResponse> {
  const headers: Record<string, string> = { ...request.headers };
  if (request.token) headers['CB-Token'] = request.token;
  if (request.authKey) headers['CB-AuthKey'] = request.authKey;
  let body: string | undefined;
  if (request.body !== undefined) {
    body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    headers['Content-Type'] = request.contentType ?? 'application/json;charset=utf-8';
  } else if (request.contentType) {
    headers['Content-Type'] = request.contentType;
  }
  const response = await fetch(baseUrl + path, { method: request.method ?? 'GET', headers, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Creates a session (optionally for a user) and returns its token. */
export async function sessionToken(baseUrl: string, app: { id: number; authKey: string }, user?: { login: string; password: string }): Promise<string> {
  const response = await rawRequest(baseUrl, '/session.json', {
    method: 'POST',
    body: { application_id: app.id, auth_key: app.authKey, ...(user ? { user } : {}) },
  });
  if (response.status !== 201) throw new Error(`session failed: ${response.status} ${response.text}`);
  return (response.json as { session: { token: string } }).session.token;
}
