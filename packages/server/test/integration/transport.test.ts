import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, rawRequest, sessionToken, startServer, type TestServer } from '@parley/testkit';

/** Transport conventions (rest.md §1) and bad input: each rule's answer, and that nothing changed. */
describe.each(databaseKinds)('REST transport on %s', (db) => {
  let server: TestServer;
  let userToken: string;

  beforeAll(async () => {
    server = await startServer({ db });
    userToken = await sessionToken(server.url, server.app, { login: 'transport-user', password: 'password123' });
  });
  afterAll(() => server.stop());

  const countUsers = async () => (await server.server.store.users.query(server.app.id, { conditions: [], limit: 1, offset: 0 })).total;

  it('serves routes with and without the .json suffix, and tolerates a doubled slash', async () => {
    for (const path of ['/session.json', '/session', '//session.json']) {
      const response = await rawRequest(server.url, path, { token: userToken });
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    }
  });

  it('answers CORS pre-flights with 204 and exposes the expiration header', async () => {
    const response = await rawRequest(server.url, '/users/v2.json', {
      method: 'OPTIONS',
      headers: { Origin: 'http://app.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'CB-Token, CB-SDK, Content-Type' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toContain('DELETE');
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('cb-token');
    const real = await rawRequest(server.url, '/session.json', { token: userToken, headers: { Origin: 'http://app.example' } });
    expect(real.headers.get('access-control-expose-headers')).toContain('CB-Token-ExpirationDate');
    expect(real.headers.get('cb-token-expirationdate')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
  });

  it('accepts an empty body with a JSON content type', async () => {
    const response = await rawRequest(server.url, '/session.json', { method: 'POST', body: '' });
    expect(response.status).toBe(422);
    expect(response.json).toEqual({ errors: { application_id: ['cannot be blank'], auth_key: ['cannot be blank'] } });
  });

  it('answers malformed JSON with 400 in the contract body, creating nothing', async () => {
    const before = await countUsers();
    const response = await rawRequest(server.url, '/users.json', { method: 'POST', authKey: server.app.authKey, body: '{"user": {"login": "x",' });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ errors: { base: [expect.any(String)] } });
    expect(await countUsers()).toBe(before);
  });

  it('answers a wrong type with 422 naming the field, creating nothing', async () => {
    const before = await countUsers();
    const response = await rawRequest(server.url, '/users.json', {
      method: 'POST',
      authKey: server.app.authKey,
      body: { user: { login: 'typed-user', password: 'password123', timezone: 'not a number' } },
    });
    expect(response.status).toBe(422);
    expect(Object.keys((response.json as { errors: object }).errors)).toEqual(['timezone']);
    expect(await countUsers()).toBe(before);
  });

  it('answers a body over the limit with 413, creating nothing', async () => {
    const before = await countUsers();
    const response = await rawRequest(server.url, '/users.json', {
      method: 'POST',
      authKey: server.app.authKey,
      body: { user: { login: 'big-user', password: 'password123', custom_data: 'x'.repeat(1024 * 1024 + 10) } },
    });
    expect(response.status).toBe(413);
    expect(response.json).toEqual({ errors: { base: ['Request body is too large'] } });
    expect(await countUsers()).toBe(before);
  });

  it('answers an unknown route with a JSON 404', async () => {
    const response = await rawRequest(server.url, '/no/such/route.json', { token: userToken });
    expect(response.status).toBe(404);
    expect(response.json).toEqual({ errors: { base: [expect.stringContaining('/no/such/route')] } });
  });

  it('stores SQL and HTML metacharacters verbatim', async () => {
    const nasty = `Robert'); DROP TABLE users;-- <script>alert("x")</script> %_\\`;
    const created = await rawRequest(server.url, '/users.json', {
      method: 'POST',
      authKey: server.app.authKey,
      body: { user: { login: 'meta-user', password: 'password123', full_name: nasty, custom_data: nasty } },
    });
    expect(created.status).toBe(201);
    const { user } = created.json as { user: { id: number; full_name: string; custom_data: string } };
    expect(user.full_name).toBe(nasty);
    const fetched = await rawRequest(server.url, `/users/v2.json?id=${user.id}`, { token: userToken });
    expect((fetched.json as { items: { custom_data: string }[] }).items[0]?.custom_data).toBe(nasty);
    const search = await rawRequest(server.url, `/users/v2.json?full_name[start_with]=${encodeURIComponent("Robert'); DROP")}`, { token: userToken });
    expect((search.json as { items: unknown[] }).items).toHaveLength(1);
  });

  it('answers an unsupported content type with 415', async () => {
    const response = await rawRequest(server.url, '/users.json', { method: 'POST', authKey: server.app.authKey, body: '<user/>', contentType: 'application/xml' });
    expect(response.status).toBe(415);
    expect(response.json).toEqual({ errors: { base: ['Unsupported content type'] } });
  });

  it('never leaks a stack trace', async () => {
    const responses = await Promise.all([
      rawRequest(server.url, '/users.json', { method: 'POST', authKey: server.app.authKey, body: '{"user":' }),
      rawRequest(server.url, '/users/v2.json?id[in][a][b][c][d][e][f]=1', { token: userToken }),
      rawRequest(server.url, '/users/v2.json?created_at=%ZZ', { token: userToken }),
      rawRequest(server.url, '/session.json', { method: 'POST', body: { application_id: { $gt: 0 }, auth_key: [] } }),
    ]);
    for (const response of responses) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(response.text).not.toMatch(/at .*\.(ts|js):\d+/);
      expect(response.json).toHaveProperty('errors');
    }
  });

  it('serves /health and Prometheus /metrics', async () => {
    const health = await rawRequest(server.url, '/health');
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({ status: 'ok', store: { kind: db, ok: true } });
    const metrics = await rawRequest(server.url, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/parley_http_requests_total\{method="GET",route="\/health",status="200",node="[^"]+"\} \d+/);
    expect(metrics.text).toContain('parley_http_request_duration_seconds_bucket');
  });
});
