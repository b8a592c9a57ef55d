import { rawRequest, type RawResponse, type TestServer } from '@parley/testkit';

export const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';

/** An admin API call with the test token (or `token: ''` for none). */
export function admin(server: TestServer, method: string, path: string, body?: unknown, token = ADMIN_TOKEN): Promise<RawResponse> {
  return rawRequest(server.url, path, {
    method,
    ...(body === undefined ? {} : { body }),
    headers: token === '' ? {} : { Authorization: `Bearer ${token}` },
  });
}

export function validation(response: RawResponse, field: string): void {
  if (response.status !== 422) throw new Error(`expected 422, got ${response.status} ${response.text}`);
  const errors = (response.json as { errors: Record<string, unknown> }).errors;
  if (!(field in errors)) throw new Error(`expected an error on ${field}: ${response.text}`);
}
