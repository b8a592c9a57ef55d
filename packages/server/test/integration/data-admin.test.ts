import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, rawRequest, sessionToken, startServer, type TestServer } from '@parley/testkit';

/**
 * The admin API for custom-object classes: off (404) without PARLEY_ADMIN_TOKEN, 401 without the right
 * bearer token, and class definitions validated (error and nothing changed). Then the raw REST edges the
 * SDK scenarios cannot reach: app sessions, malformed bodies, `PUT /data/{class}` without an id.
 */

const TOKEN = 'admin-secret-for-tests';
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('admin routes without an admin token or dashboard operators', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ config: { dashboard: 'false' } });
  });
  afterAll(() => server.stop());

  it('do not exist', async () => {
    const list = await rawRequest(server.url, `/admin/apps/${server.app.id}/data/classes`, { headers: bearer('') });
    expect(list.status).toBe(404);
    expect(list.json).toEqual({ errors: { base: [expect.stringMatching(/^No route for GET/)] } });
    const create = await rawRequest(server.url, `/admin/apps/${server.app.id}/data/classes`, { method: 'POST', headers: bearer('anything'), body: { name: 'Note' } });
    expect(create.status).toBe(404);
    expect(await server.server.services.dataClasses.list(server.app.id)).toEqual([]);
  });
});

describe.each(databaseKinds)('custom-object admin API and raw edges on %s', (db) => {
  let server: TestServer;
  const base = () => `/admin/apps/${server.app.id}/data/classes`;

  beforeAll(async () => {
    server = await startServer({ db, config: { adminToken: TOKEN } });
  });
  afterAll(() => server.stop());

  it('refuses a missing or wrong token with 401 and changes nothing', async () => {
    for (const headers of [{}, bearer('wrong'), bearer(`${TOKEN}x`), { Authorization: TOKEN }]) {
      const response = await rawRequest(server.url, base(), { method: 'POST', headers, body: { name: 'Sneaky', fields: [] } });
      expect(response.status).toBe(401);
      expect(response.json).toEqual({ errors: { base: ['Admin token is missing or wrong'] } });
    }
    expect(await server.server.services.dataClasses.list(server.app.id)).toEqual([]);
    // A user session is no admin credential.
    const token = await sessionToken(server.url, server.app, { login: 'admin-probe', password: 'password123' });
    expect((await rawRequest(server.url, base(), { token })).status).toBe(401);
  });

  it('defines, shows, changes and deletes a class', async () => {
    const created = await rawRequest(server.url, base(), {
      method: 'POST',
      headers: bearer(TOKEN),
      body: { name: 'Note', fields: [{ name: 'title', type: 'String' }, { name: 'score', type: 'integer', indexed: true }], permissions: { read: { access: 'owner', level: 'class' } } },
    });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      name: 'Note',
      fields: [{ name: 'title', type: 'String', indexed: false }, { name: 'score', type: 'Integer', indexed: true }],
      permissions: {
        create: { access: 'open' },
        read: { access: 'owner', level: 'class' },
        update: { access: 'owner', level: 'record' },
        delete: { access: 'owner', level: 'record' },
      },
      created_at: expect.any(Number),
      updated_at: expect.any(Number),
    });
    const list = await rawRequest(server.url, base(), { headers: bearer(TOKEN) });
    expect(list.json).toEqual([created.json]);

    const changed = await rawRequest(server.url, `${base()}/Note`, { method: 'PUT', headers: bearer(TOKEN), body: { fields: [{ name: 'title', type: 'String', indexed: true }, { name: 'score', type: 'Integer' }, { name: 'tags', type: 'Array' }] } });
    expect(changed.status).toBe(200);
    expect((changed.json as { fields: unknown }).fields).toEqual([
      { name: 'title', type: 'String', indexed: true },
      { name: 'score', type: 'Integer', indexed: false },
      { name: 'tags', type: 'Array', indexed: false },
    ]);
    const retype = await rawRequest(server.url, `${base()}/Note`, { method: 'PUT', headers: bearer(TOKEN), body: { fields: [{ name: 'title', type: 'Integer' }] } });
    expect(retype.status).toBe(422);
    expect(((await rawRequest(server.url, `${base()}/Note`, { headers: bearer(TOKEN) })).json as { fields: unknown[] }).fields).toHaveLength(3);

    expect((await rawRequest(server.url, `${base()}/Note`, { method: 'DELETE', headers: bearer(TOKEN) })).status).toBe(200);
    expect((await rawRequest(server.url, `${base()}/Note`, { headers: bearer(TOKEN) })).json).toEqual({ errors: { base: ['Class not found'] } });
    expect((await rawRequest(server.url, `${base()}/Note`, { method: 'DELETE', headers: bearer(TOKEN) })).status).toBe(404);
  });

  it('refuses bad definitions with a 422 naming each problem, and creates nothing', async () => {
    const cases: [unknown, string][] = [
      [{ name: "Bad'; drop table data_classes;--", fields: [] }, 'name'],
      [{ name: 'Ok1', fields: [{ name: "x') or 1=1--", type: 'String' }] }, 'fields.0.name'],
      [{ name: 'Ok2', fields: [{ name: 'title', type: 'Text' }] }, 'fields.0.type'],
      [{ name: 'Ok3', fields: [{ name: '_id', type: 'String' }] }, 'fields.0.name'],
      [{ name: 'Ok4', fields: [{ name: 'tags', type: 'Array', indexed: true }] }, 'fields.0.indexed'],
      [{ name: 'Ok5', fields: [{ name: 'a', type: 'String' }, { name: 'a', type: 'Integer' }] }, 'fields.1.name'],
      [{ name: 'Ok6', permissions: { read: { access: 'everyone' } } }, 'permissions.read.access'],
      [{ name: 'Ok7', permissions: { create: { access: 'owner' } } }, 'permissions.create.access'],
      [{ name: 'Ok8', permissions: { update: { access: 'open_for_users_ids' } } }, 'permissions.update.ids'],
    ];
    for (const [body, field] of cases) {
      const response = await rawRequest(server.url, base(), { method: 'POST', headers: bearer(TOKEN), body });
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(Object.keys((response.json as { errors: Record<string, unknown> }).errors)).toContain(field);
    }
    expect(await server.server.services.dataClasses.list(server.app.id)).toEqual([]);
    const duplicate = async () => rawRequest(server.url, base(), { method: 'POST', headers: bearer(TOKEN), body: { name: 'Once' } });
    expect((await duplicate()).status).toBe(201);
    expect((await duplicate()).json).toEqual({ errors: { name: ['has already been taken'] } });
    expect((await rawRequest(server.url, '/admin/apps/999999/data/classes', { headers: bearer(TOKEN) })).json).toEqual({ errors: { base: ['Application not found'] } });
    await server.server.services.dataClasses.remove(server.app.id, 'Once');
  });

  it('lets an application session read open records only, and needs a user to write', async () => {
    await server.server.services.dataClasses.define(server.app.id, { name: 'Board', fields: [{ name: 'title', type: 'String' }] });
    const user = await sessionToken(server.url, server.app, { login: 'board-user', password: 'password123' });
    const open = await rawRequest(server.url, '/data/Board.json', { method: 'POST', token: user, body: { title: 'open' } });
    await rawRequest(server.url, '/data/Board.json', { method: 'POST', token: user, body: { title: 'private', permissions: { read: { access: 'owner' } } } });
    const appToken = await sessionToken(server.url, server.app);
    const listed = await rawRequest(server.url, '/data/Board.json?', { token: appToken });
    expect((listed.json as { items: { title: string }[] }).items.map((item) => item.title)).toEqual(['open']);
    const write = await rawRequest(server.url, '/data/Board.json', { method: 'POST', token: appToken, body: { title: 'x' } });
    expect(write.status).toBe(403);
    expect(write.json).toEqual({ errors: { base: ['Forbidden. Need user.'] } });
    const noToken = await rawRequest(server.url, '/data/Board.json');
    expect(noToken.status).toBe(401);

    const malformed = await rawRequest(server.url, '/data/Board.json', { method: 'POST', token: user, body: '{"title":' });
    expect(malformed.status).toBe(400);
    const noId = await rawRequest(server.url, '/data/Board.json', { method: 'PUT', token: user, body: { title: 'x' } });
    expect(noId.status).toBe(422);
    const noCriteria = await rawRequest(server.url, '/data/Board/by_criteria.json', { method: 'PUT', token: user, body: { title: 'x' } });
    expect(noCriteria.json).toEqual({ errors: { search_criteria: ['must be an object of conditions'] } });
    const emptyDelete = await rawRequest(server.url, '/data/Board/by_criteria.json', { method: 'DELETE', token: user, contentType: 'application/x-www-form-urlencoded; charset=UTF-8' });
    expect(emptyDelete.json).toEqual({ errors: { search_criteria: ['cannot be blank'] } });
    // Criteria may also come in the query string (the Flutter SDK puts them there).
    const byQuery = await rawRequest(server.url, '/data/Board/by_criteria.json?title=open', { method: 'DELETE', token: user });
    expect(byQuery.json).toEqual({ total_deleted: 1 });
    const remaining = await rawRequest(server.url, '/data/Board.json?count=1', { token: user });
    expect(remaining.json).toEqual({ class_name: 'Board', count: 1 });
    expect((open.json as { _id: string })._id).toMatch(/^[0-9a-f]{24}$/);
  });
});
