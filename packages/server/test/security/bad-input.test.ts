import { connect } from 'node:net';
import { databaseKinds, rawRequest, startServer, type TestServer } from '@parley/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, signedInUser } from './helpers.js';

/**
 * Finding 7: inputs that used to give 500 — prototype property names as sort fields, thousands-deep
 * objects — get a 422; an oversized header block (431) and an undecodable path answer in the contract's
 * `{"errors": …}` shape.
 */
const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

/** One raw HTTP exchange (fetch refuses some of the inputs this needs); resolves with status and body. */
function rawHttp(port: number, request: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), body });
    });
  });
}

describe.each(databaseKinds)('security: bad input never gives a 500 (%s)', (db) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ db, config: { adminToken: 'admin-secret-token' } });
  });
  afterAll(() => server?.stop());

  it('prototype property names as sort or filter fields get a 422', async () => {
    const user = await signedInUser(server);
    const dialog = ((await api(server, user, 'POST', '/chat/Dialog.json', { type: 2, name: 'Sorted', occupants_ids: [user.id] })).json as { _id: string })._id;
    const classDefined = await rawRequest(server.url, `/admin/apps/${server.app.id}/data/classes.json`, {
      method: 'POST', headers: { Authorization: 'Bearer admin-secret-token' }, body: { name: 'Note', fields: [{ name: 'title', type: 'String' }] },
    });
    expect([200, 201]).toContain(classDefined.status);
    for (const name of PROTO_NAMES) {
      for (const path of [
        `/chat/Dialog.json?sort_asc=${name}`,
        `/chat/Message.json?chat_dialog_id=${dialog}&sort_desc=${name}`,
        `/users/v2.json?sort_asc=${name}`,
        `/data/Note.json?sort_asc=${name}`,
      ]) {
        const answer = await api(server, user, 'GET', path);
        expect(answer.status, path).toBe(422);
        expect(answer.json, path).toMatchObject({ errors: expect.anything() });
      }
      // As filter names they are unknown fields (422) or dropped by the query parser (`__proto__`), never a 500.
      for (const path of [`/data/Note.json?${name}[gt]=1`, `/chat/Dialog.json?${name}[in]=1`, `/users/v2.json?${name}[in]=1`]) {
        const answer = await api(server, user, 'GET', path);
        expect([200, 422], path).toContain(answer.status);
      }
    }
  });

  it('a 5,000-deep object in custom data, extensions or a record gets a 422, not a stack overflow', async () => {
    const user = await signedInUser(server);
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const dialog = ((await api(server, user, 'POST', '/chat/Dialog.json', { type: 2, name: 'Deep', occupants_ids: [user.id] })).json as { _id: string })._id;
    for (const [method, path, body] of [
      ['PUT', `/users/${user.id}.json`, `{"user":{"custom_data":${deep}}}`],
      ['PUT', `/chat/Dialog/${dialog}.json`, `{"extensions":${deep}}`],
      ['POST', '/chat/Message.json', `{"chat_dialog_id":"${dialog}","message":"x","extra":${deep}}`],
      ['POST', '/data/Note.json', `{"title":${deep}}`],
    ] as const) {
      const answer = await rawRequest(server.url, path, { method, token: user.token, body });
      expect(answer.status, path).toBe(422);
      expect(JSON.stringify(answer.json), path).toContain('nested too deeply');
    }
  });

  it('a NUL or control character in a path parameter gets a 422, not a database error', async () => {
    const user = await signedInUser(server);
    for (const path of ['/data/%00.json', '/users/external/a%00b.json', '/blobs/%01.json', '/users/by_login.json?login=%00']) {
      const answer = await api(server, user, 'GET', path);
      expect(answer.status, path).toBe(422);
      expect(JSON.stringify(answer.json), path).toContain('not allowed');
    }
  });

  it('431 and an undecodable path answer in the contract shape', async () => {
    const port = Number(new URL(server.url).port);
    const huge = await rawHttp(port, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`);
    expect(huge.status).toBe(431);
    expect(JSON.parse(huge.body)).toEqual({ errors: { base: ['Request headers are too large'] } });
    const badUrl = await rawHttp(port, 'GET /users/%E0%A4%A.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(badUrl.status).toBe(400);
    expect(JSON.parse(badUrl.body)).toEqual({ errors: { base: ['Malformed URL'] } });
  });
});
