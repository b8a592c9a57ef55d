import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, rawRequest, sessionToken, startServer, type RawResponse, type TestServer } from '@parley/testkit';
import { ADMIN_TOKEN, admin, validation } from './admin-helpers.js';

/**
 * Dashboard operators on the admin API: cookie sign-in with a CSRF token on every state-changing call,
 * throttled failures, real sign-out, the admin token still working; the routes the dashboard added
 * (dialog custom fields, dialog creation, custom-object records, live overview).
 */
describe.each(databaseKinds)('dashboard operators and admin additions on %s', (db) => {
  let server: TestServer;
  const cookieOf = (response: RawResponse) => (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const signIn = (login: string, password: string) => rawRequest(server.url, '/admin/session', { method: 'POST', body: { login, password } });
  const asOperator = (method: string, path: string, cookie: string, csrf?: string, body?: unknown) =>
    rawRequest(server.url, path, { method, ...(body === undefined ? {} : { body }), headers: { Cookie: cookie, ...(csrf === undefined ? {} : { 'X-CSRF-Token': csrf }) } });

  beforeAll(async () => {
    server = await startServer({ db, config: { adminToken: ADMIN_TOKEN, loginMaxFailures: '3' } });
    await server.server.services.operators.create('ops-anna', 'correct horse battery');
  });
  afterAll(async () => {
    await server.stop();
  });

  it('signs in with an HttpOnly SameSite=Strict cookie, needs the CSRF token to change anything, and signs out for real', async () => {
    const response = await signIn('ops-anna', 'correct horse battery');
    expect(response.status).toBe(201);
    expect(response.headers.get('set-cookie')).toMatch(/^parley_operator=[0-9A-F]{64}; Path=\/admin; HttpOnly; SameSite=Strict/);
    const cookie = cookieOf(response);
    const { csrf_token: csrf } = response.json as { csrf_token: string };
    expect((await asOperator('GET', '/admin/session', cookie)).json).toMatchObject({ login: 'ops-anna', csrf_token: csrf });
    expect((await asOperator('GET', '/admin/apps', cookie)).status).toBe(200);

    const create = { name: 'csrf-app' };
    expect((await asOperator('POST', '/admin/apps', cookie, undefined, create)).status).toBe(403);
    expect((await asOperator('POST', '/admin/apps', cookie, 'forged', create)).json).toEqual({ errors: { base: ['CSRF token is missing or wrong'] } });
    expect((await admin(server, 'GET', '/admin/apps')).json).not.toContainEqual(expect.objectContaining({ name: 'csrf-app' }));
    expect((await asOperator('POST', '/admin/apps', cookie, csrf, create)).status).toBe(201);

    expect((await asOperator('DELETE', '/admin/session', cookie, 'forged')).status).toBe(403);
    const out = await asOperator('DELETE', '/admin/session', cookie, csrf);
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^parley_operator=; .*Expires=Thu, 01 Jan 1970/);
    // The old cookie, replayed, opens nothing.
    expect((await asOperator('GET', '/admin/apps', cookie)).status).toBe(401);
    expect((await asOperator('GET', '/admin/session', cookie)).status).toBe(401);
  });

  it('a new password (parley admin passwd) ends the operator\'s sessions; PARLEY_DASHBOARD=false closes operator sign-in', async () => {
    await server.server.services.operators.create('ops-bert', 'first password 1');
    const signedIn = await signIn('ops-bert', 'first password 1');
    const cookie = cookieOf(signedIn);
    expect((await asOperator('GET', '/admin/apps', cookie)).status).toBe(200);
    await server.server.services.operators.setPassword('ops-bert', 'second password 2');
    expect((await asOperator('GET', '/admin/apps', cookie)).status).toBe(401);
    expect((await signIn('ops-bert', 'first password 1')).status).toBe(401);
    expect((await signIn('ops-bert', 'second password 2')).status).toBe(201);

    const closed = await startServer({ db, config: { dashboard: 'false' } });
    try {
      await closed.server.services.operators.create('ops-bert', 'first password 1');
      expect((await rawRequest(closed.url, '/admin/session', { method: 'POST', body: { login: 'ops-bert', password: 'first password 1' } })).status).toBe(404);
      expect((await rawRequest(closed.url, '/admin/apps')).status).toBe(404);
      expect((await rawRequest(closed.url, '/dashboard')).status).toBe(404);
    } finally {
      await closed.stop();
    }
  });

  it('every admin operation refuses an operator cookie without its CSRF token, a forged cookie and a user session', async () => {
    const document = (await admin(server, 'GET', '/admin/openapi.json')).json as { paths: Record<string, Record<string, unknown>>; components: { securitySchemes: Record<string, unknown> } };
    expect(Object.keys(document.components.securitySchemes)).toEqual(['adminToken', 'operatorSession']);
    await server.server.services.operators.create('ops-probe', 'probe password 1');
    const signedIn = await signIn('ops-probe', 'probe password 1');
    const cookie = cookieOf(signedIn);
    const userToken = await sessionToken(server.url, server.app, { login: 'csrf-probe', password: 'password123' });
    const before = (await server.server.services.apps.list()).length;
    // Sign-in itself (security: []) is covered by the sign-in tests below.
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods as Record<string, { security?: unknown[] }>)
        .filter(([, operation]) => operation.security === undefined)
        .map(([method]) => ({ path, method: method.toUpperCase() })),
    );
    expect(operations.some(({ path }) => path === '/admin/apps/{appId}/push/test')).toBe(true);
    for (const { path, method } of operations) {
      const url = path.replace('{appId}', String(server.app.id)).replace('{userId}', '1').replace('{sessionId}', '1').replace('{dialogId}', 'a'.repeat(24)).replace('{name}', 'Note').replace('{className}', 'Note').replace('{id}', 'a'.repeat(24)).replace('{meetingId}', 'a'.repeat(24));
      const body = method === 'GET' || method === 'DELETE' ? undefined : { name: 'x' };
      if (method !== 'GET') {
        const forged = await asOperator(method, url, cookie, 'forged', body);
        expect({ method, url, status: forged.status }).toEqual({ method, url, status: 403 });
      }
      const stranger = await asOperator(method, url, `parley_operator=${'B'.repeat(64)}`, undefined, body);
      expect({ method, url, status: stranger.status }).toEqual({ method, url, status: 401 });
      const user = await rawRequest(server.url, url, { method, token: userToken, ...(body ? { body } : {}) });
      expect({ method, url, status: user.status }).toEqual({ method, url, status: 401 });
    }
    expect((await server.server.services.apps.list()).length).toBe(before);
  });

  it('refuses strangers: no cookie, a made-up cookie, a user session token; throttles failed sign-ins', async () => {
    expect((await rawRequest(server.url, '/admin/apps')).status).toBe(401);
    expect((await asOperator('GET', '/admin/apps', `parley_operator=${'A'.repeat(64)}`)).status).toBe(401);
    const userToken = await sessionToken(server.url, server.app);
    expect((await rawRequest(server.url, '/admin/apps', { token: userToken })).status).toBe(401);
    expect((await signIn('ops-anna', 'wrong password')).json).toEqual({ errors: { base: ['Unknown login or wrong password'] } });
    expect((await signIn('nobody-here', 'whatever1')).status).toBe(401);
    validation(await rawRequest(server.url, '/admin/session', { method: 'POST', body: '[1]' }), 'base');
    const form = await rawRequest(server.url, '/admin/session', { method: 'POST', body: 'login=ops-anna&password=x', contentType: 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    await signIn('ops-anna', 'wrong password');
    await signIn('ops-anna', 'wrong password');
    const blocked = await signIn('ops-anna', 'correct horse battery');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // The admin token (automation) is unaffected.
    expect((await admin(server, 'GET', '/admin/apps')).status).toBe(200);
  });

  it('declares dialog custom fields: only declared keys are kept; removing one clears it from dialogs', async () => {
    const base = `/admin/apps/${server.app.id}`;
    const owner = (await admin(server, 'POST', `${base}/users`, { login: 'fields-owner', password: 'password123' })).json as { id: number };
    const before = (await admin(server, 'POST', `${base}/dialogs`, { owner_id: owner.id, type: 1, name: 'Open', extensions: { anything: 'x' } })).json as { extensions: Record<string, string> };
    expect(before.extensions).toEqual({ anything: 'x' });
    expect((await admin(server, 'POST', `${base}/dialog-fields`, { name: 'location' })).json).toEqual({ fields: ['location'] });
    validation(await admin(server, 'POST', `${base}/dialog-fields`, { name: 'bad name' }), 'name');
    validation(await admin(server, 'POST', `${base}/dialog-fields`, { name: 'location' }), 'name');
    const created = await admin(server, 'POST', `${base}/dialogs`, { owner_id: owner.id, type: 1, name: 'News', extensions: { location: 'Sun bar', other: 'dropped' } });
    expect(created.status).toBe(201);
    const dialog = created.json as { _id: string; type: number; extensions: Record<string, string> };
    expect(dialog).toMatchObject({ type: 1, extensions: { location: 'Sun bar' } });
    validation(await admin(server, 'POST', `${base}/dialogs`, { type: 1, name: 'No owner' }), 'owner_id');
    expect((await admin(server, 'POST', `${base}/dialogs`, { owner_id: 999999, type: 1, name: 'x' })).status).toBe(404);
    expect((await admin(server, 'DELETE', `${base}/dialog-fields/location`)).json).toEqual({ fields: [] });
    expect(((await admin(server, 'GET', `${base}/dialogs/${dialog._id}`)).json as { extensions: unknown }).extensions).toBeNull();
    expect((await admin(server, 'DELETE', `${base}/dialog-fields/location`)).status).toBe(404);
    const other = await server.createApp('fields-other');
    expect((await admin(server, 'GET', `/admin/apps/${other.id}/dialog-fields`)).json).toEqual({ fields: [] });
    expect((await admin(server, 'GET', '/admin/apps/999999/dialog-fields')).status).toBe(404);
  });

  it('searches every dialog of an app by name and type; other apps and bad input are refused', async () => {
    const base = `/admin/apps/${server.app.id}`;
    const owner = (await admin(server, 'POST', `${base}/users`, { login: 'search-owner', password: 'password123' })).json as { id: number };
    for (const name of ['Sales 100%', 'sales_team', 'Support']) await admin(server, 'POST', `${base}/dialogs`, { owner_id: owner.id, type: 2, name, occupants_ids: [] });
    await admin(server, 'POST', `${base}/dialogs`, { owner_id: owner.id, type: 1, name: 'Sales news' });
    const names = async (query: string) => ((await admin(server, 'GET', `${base}/dialogs${query}`)).json as { items: { name: string }[] }).items.map((item) => item.name).sort();
    expect(await names('?name=SALES')).toEqual(['Sales 100%', 'Sales news', 'sales_team']);
    expect(await names('?name=sales&type=1')).toEqual(['Sales news']);
    expect(await names(`?name=${encodeURIComponent('100%')}`)).toEqual(['Sales 100%']);
    expect(await names('?name=le_')).toEqual([]);
    expect(await names('?name=s_t')).toEqual(['sales_team']);
    const page = (await admin(server, 'GET', `${base}/dialogs?name=sales&limit=2`)).json as { total: number; items: unknown[] };
    expect(page).toMatchObject({ total: 3, items: [expect.anything(), expect.anything()] });
    validation(await admin(server, 'GET', `${base}/dialogs?type=9`), 'type');
    validation(await admin(server, 'GET', `${base}/dialogs?limit=0`), 'limit');
    const other = await server.createApp('search-other');
    expect((await admin(server, 'GET', `/admin/apps/${other.id}/dialogs?name=sales`)).json).toMatchObject({ total: 0, items: [] });
    expect((await admin(server, 'GET', '/admin/apps/999999/dialogs')).status).toBe(404);
  });

  it('lists, filters, edits and deletes custom-object records whatever their permissions', async () => {
    const base = `/admin/apps/${server.app.id}`;
    await admin(server, 'POST', `${base}/data/classes`, { name: 'Report', fields: [{ name: 'status', type: 'String' }, { name: 'reason', type: 'String' }] });
    const token = await sessionToken(server.url, server.app, { login: 'reporter-1', password: 'password123' }).catch(async () => {
      await admin(server, 'POST', `${base}/users`, { login: 'reporter-1', password: 'password123' });
      return sessionToken(server.url, server.app, { login: 'reporter-1', password: 'password123' });
    });
    for (const reason of ['spam', 'abuse']) await rawRequest(server.url, '/data/Report', { method: 'POST', token, body: { status: 'open', reason } });
    const list = (await admin(server, 'GET', `${base}/data/Report/records?reason=spam`)).json as { total_entries: number; items: { _id: string; status: string }[] };
    expect(list.total_entries).toBe(1);
    const id = list.items[0]?._id ?? '';
    expect((await admin(server, 'PUT', `${base}/data/Report/records/${id}`, { status: 'closed' })).json).toMatchObject({ _id: id, status: 'closed' });
    validation(await admin(server, 'PUT', `${base}/data/Report/records/${id}`, { status: { bad: 1 } }), 'status');
    expect((await admin(server, 'DELETE', `${base}/data/Report/records/${id}`)).status).toBe(204);
    expect((await admin(server, 'DELETE', `${base}/data/Report/records/${id}`)).status).toBe(404);
    expect((await admin(server, 'GET', `${base}/data/Nope/records`)).status).toBe(404);
    // Another application has no such class: its records route is a 404, and so is a record id of this one.
    const other = await server.createApp('records-other');
    expect((await admin(server, 'GET', `/admin/apps/${other.id}/data/Report/records`)).status).toBe(404);
    const kept = ((await admin(server, 'GET', `${base}/data/Report/records`)).json as { items: { _id: string }[] }).items[0]?._id ?? '';
    expect((await admin(server, 'DELETE', `/admin/apps/${other.id}/data/Report/records/${kept}`)).status).toBe(404);
    expect((await admin(server, 'GET', `${base}/data/Report/records`, undefined, '')).status).toBe(401);
    validation(await admin(server, 'GET', `${base}/data/Report/records?limit=abc`), 'limit');
    expect(((await admin(server, 'GET', `${base}/data/Report/records`)).json as { total_entries: number }).total_entries).toBe(1);
  });

  it('reports live figures: messages per minute follow stored messages', async () => {
    const live = async () => ((await admin(server, 'GET', '/admin/live')).json as { points: { messages_per_minute: number; users_online: number }[] }).points.at(-1);
    const before = (await live())?.messages_per_minute ?? 0;
    const base = `/admin/apps/${server.app.id}`;
    const author = { login: 'live-author', password: 'password123' };
    const user = (await admin(server, 'POST', `${base}/users`, author)).json as { id: number };
    const dialog = (await admin(server, 'POST', `${base}/dialogs`, { owner_id: user.id, type: 2, name: 'Live', occupants_ids: [] })).json as { _id: string };
    const token = await sessionToken(server.url, server.app, author);
    const sent = await rawRequest(server.url, '/chat/Message', { method: 'POST', token, body: { chat_dialog_id: dialog._id, message: 'hello' } });
    expect(sent.status).toBe(201);
    expect((await live())?.messages_per_minute).toBe(before + 1);
  });
});
