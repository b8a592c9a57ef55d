import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, rawRequest, sessionToken, startServer, type TestServer } from '@parley/testkit';
import { ADMIN_TOKEN, admin, validation } from './admin-helpers.js';

/**
 * The admin API's applications area and its guard: every route refuses missing/wrong tokens, bad input
 * gets a clear 422/404 and changes nothing, and settings take effect on the REST face.
 */
describe.each(databaseKinds)('admin API: applications on %s', (db) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ db, config: { adminToken: ADMIN_TOKEN } });
  });
  afterAll(() => server.stop());

  it('describes every admin route in /admin/openapi.json, and every one refuses a missing or wrong token', async () => {
    const document = (await admin(server, 'GET', '/admin/openapi.json')).json as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(document.openapi).toBe('3.1.0');
    const registered = server.server.http
      .printRoutes({ commonPrefix: false })
      .split('\n')
      .filter((line) => line.includes('/admin'));
    expect(registered.length).toBeGreaterThan(0);
    // Operator sign-in is how credentials are obtained: described, marked as needing none.
    const signIn = document.paths['/admin/session'] as Record<string, { security?: unknown[] }> | undefined;
    expect(Object.keys(signIn ?? {}).sort()).toEqual(['delete', 'get', 'post']);
    expect(Object.values(signIn ?? {}).map((operation) => operation.security)).toEqual([[], [], []]);
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods as Record<string, { security?: unknown[] }>)
        .filter(([, operation]) => operation.security === undefined)
        .map(([method]) => ({ path, method: method.toUpperCase() })),
    );
    for (const area of [
      '/admin/apps',
      '/admin/apps/{appId}/users/{userId}/password',
      '/admin/apps/{appId}/connections/kick',
      '/admin/apps/{appId}/dialogs/{dialogId}',
      '/admin/apps/{appId}/data/classes',
      '/admin/status',
      '/admin/apps/{appId}/push',
      '/admin/apps/{appId}/push/test',
      '/admin/apps/{appId}/push/deliveries',
      '/admin/apps/{appId}/meetings',
      '/admin/apps/{appId}/meetings/{meetingId}/recordings',
    ]) {
      expect(Object.keys(document.paths)).toContain(area);
    }
    const before = (await server.server.services.apps.list()).length;
    for (const { path, method } of operations) {
      const url = path.replace('{appId}', String(server.app.id)).replace('{userId}', '1').replace('{sessionId}', '1').replace('{dialogId}', 'a'.repeat(24)).replace('{name}', 'Note').replace('{meetingId}', 'b'.repeat(24));
      for (const token of ['', 'wrong-token']) {
        const response = await admin(server, method, url, method === 'GET' || method === 'DELETE' ? undefined : { name: 'x' }, token);
        expect({ method, url, status: response.status }).toEqual({ method, url, status: 401 });
      }
    }
    expect((await server.server.services.apps.list()).length).toBe(before);
    // A user session is no admin credential.
    const token = await sessionToken(server.url, server.app, { login: 'admin-probe', password: 'password123' });
    expect((await rawRequest(server.url, '/admin/apps', { token })).status).toBe(401);
  });

  it('creates, lists, shows, renames and deletes applications; refuses duplicate names unless allowed', async () => {
    const created = await admin(server, 'POST', '/admin/apps', { name: 'Shop', settings: { denySessionWithoutUser: true } });
    expect(created.status).toBe(201);
    const app = created.json as { id: number; name: string; authKey: string; authSecret: string; settings: Record<string, boolean> };
    expect(app).toMatchObject({ name: 'Shop', authKey: expect.any(String), authSecret: expect.any(String), settings: { denySessionWithoutUser: true, usersV1Enabled: true, relaxedStartWith: false } });

    const duplicate = await admin(server, 'POST', '/admin/apps', { name: 'Shop' });
    validation(duplicate, 'name');
    const list = (await admin(server, 'GET', '/admin/apps')).json as { name: string; authSecret?: string }[];
    expect(list.filter((entry) => entry.name === 'Shop')).toHaveLength(1);
    expect(list.every((entry) => entry.authSecret === undefined)).toBe(true);
    expect((await admin(server, 'POST', '/admin/apps', { name: 'Shop', allowDuplicate: true })).status).toBe(201);

    for (const body of [{}, { name: '' }, { name: 'x'.repeat(101) }, { name: 'Ok', settings: { nope: true } }, { name: 'Ok', allowDuplicate: 'yes' }, [1, 2]]) {
      expect((await admin(server, 'POST', '/admin/apps', body)).status).toBe(422);
    }
    expect((await server.server.services.apps.list()).filter((entry) => entry.name === 'Ok')).toHaveLength(0);

    expect((await admin(server, 'GET', `/admin/apps/${app.id}`)).json).toMatchObject({ id: app.id, authSecret: app.authSecret });
    expect((await admin(server, 'PATCH', `/admin/apps/${app.id}`, { name: 'Shop 2' })).json).toMatchObject({ name: 'Shop 2' });
    validation(await admin(server, 'PATCH', `/admin/apps/${app.id}`, { name: '  ' }), 'name');

    expect((await admin(server, 'DELETE', `/admin/apps/${app.id}`)).status).toBe(204);
    expect((await admin(server, 'GET', `/admin/apps/${app.id}`)).status).toBe(404);
    expect((await admin(server, 'DELETE', `/admin/apps/${app.id}`)).status).toBe(404);
    for (const id of ['abc', '0', '-1', '1.5', '99999999']) expect((await admin(server, 'GET', `/admin/apps/${id}`)).status).toBe(404);
  });

  it('reads and changes settings; bad changes are refused whole; deny-sign-up takes effect', async () => {
    const { id, authKey } = await server.createApp('Locked');
    const path = `/admin/apps/${id}/settings`;
    expect((await admin(server, 'GET', path)).json).toEqual({ usersV1Enabled: true, denySessionWithoutUser: false, relaxedStartWith: false });
    for (const body of [{ denySessionWithoutUser: 'true' }, { denySessionWithoutUser: true, typo: true }, {}, [true]]) {
      expect((await admin(server, 'PATCH', path, body)).status).toBe(422);
    }
    expect((await admin(server, 'PATCH', path, '{not json')).status).toBe(400);
    expect((await admin(server, 'GET', path)).json).toEqual({ usersV1Enabled: true, denySessionWithoutUser: false, relaxedStartWith: false });

    const session = (login: string) => rawRequest(server.url, '/session.json', { method: 'POST', body: { application_id: id, auth_key: authKey, user: { login, password: 'password123' } } });
    expect((await session('walk-in-1')).status).toBe(201);
    expect((await admin(server, 'PATCH', path, { denySessionWithoutUser: true, usersV1Enabled: false })).json).toEqual({ usersV1Enabled: false, denySessionWithoutUser: true, relaxedStartWith: false });
    expect((await session('walk-in-2')).status).toBe(401);
    expect((await session('walk-in-1')).status).toBe(201);
    const token = await sessionToken(server.url, { id, authKey }, { login: 'walk-in-1', password: 'password123' });
    expect((await rawRequest(server.url, '/users/by_login.json?login=walk-in-1', { token })).status).toBe(403);
  });

  it('deleting an application removes the bytes of its files too', async () => {
    const { id } = await server.createApp('With files');
    const owner = await server.server.services.users.signup(id, { login: 'file-owner', password: 'password123' });
    const uid = `${'ab'.repeat(16)}00`;
    const now = Date.now();
    await server.server.store.blobs.create(id, { ownerId: owner.id, uid, name: 'a.txt', contentType: 'text/plain', isPublic: false, storedSize: 5, uploadedAt: now, completedAt: now, createdAt: now, updatedAt: now });
    const file = path.join(server.server.config.dataDir, 'blobs', uid.slice(0, 2), uid);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, 'bytes');
    expect((await admin(server, 'DELETE', `/admin/apps/${id}`)).status).toBe(204);
    await expect(stat(file)).rejects.toThrow(/ENOENT/);
    expect(await server.server.store.blobs.findByUidInAnyApp(uid)).toBeUndefined();
  });

  it('rotates the auth secret and keeps the auth key', async () => {
    const { id, authKey, authSecret } = await server.createApp('Rotating');
    const rotated = (await admin(server, 'POST', `/admin/apps/${id}/rotate-secret`)).json as { authKey: string; authSecret: string };
    expect(rotated.authKey).toBe(authKey);
    expect(rotated.authSecret).not.toBe(authSecret);
    expect((await server.server.services.apps.get(id)).authSecret).toBe(rotated.authSecret);
    expect((await admin(server, 'POST', '/admin/apps/424242/rotate-secret')).status).toBe(404);
  });

  it('reports status: version, listeners, connections and database', async () => {
    const status = (await admin(server, 'GET', '/admin/status')).json as Record<string, unknown>;
    expect(status).toMatchObject({
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      listeners: expect.arrayContaining([{ name: 'http', url: server.url }]),
      connections: { total: 0, websocket: 0, tcp: 0 },
      database: { kind: db, ok: true },
    });
  });
});
