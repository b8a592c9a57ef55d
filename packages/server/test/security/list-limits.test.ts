import { databaseKinds, startServer, type TestServer } from '@parley/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, signedInUser } from './helpers.js';

/**
 * Finding 4: list inputs are capped (422 naming the field) instead of stalling the event loop and then
 * failing with `too many SQL variables`; lists within the cap work on both databases (chunked SQL).
 * Timing is measured by bench/event-loop.ts, never asserted here.
 */
const CAP = 1000;

describe.each(databaseKinds)('security: list inputs are capped (%s)', (db) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ db, config: { addressBookMaxContacts: '20' } });
  });
  afterAll(() => server?.stop());

  it('100,000 occupant ids get a 422 naming occupants_ids, and the server keeps serving', async () => {
    const owner = await signedInUser(server);
    const huge = Array.from({ length: 100_000 }, (_, n) => n + 1);
    const [created, health] = await Promise.all([
      api(server, owner, 'POST', '/chat/Dialog.json', { type: 2, name: 'Huge', occupants_ids: huge }),
      api(server, undefined, 'GET', '/health'),
    ]);
    expect(created.status).toBe(422);
    expect(created.json).toEqual({ errors: { occupants_ids: [`has too many items (maximum is ${CAP})`] } });
    expect(health.status).toBe(200);

    const group = ((await api(server, owner, 'POST', '/chat/Dialog.json', { type: 2, name: 'Small', occupants_ids: [owner.id] })).json as { _id: string })._id;
    const pushed = await api(server, owner, 'PUT', `/chat/Dialog/${group}.json`, { push_all: { occupants_ids: huge.join(',') } });
    expect(pushed.status).toBe(422);
    expect(pushed.json).toMatchObject({ errors: { occupants_ids: [expect.stringContaining('too many')] } });
  });

  it('in-filters over the cap get a 422 (users, dialogs, custom objects)', async () => {
    const user = await signedInUser(server);
    const ids = Array.from({ length: CAP + 1 }, (_, n) => n + 1).join(',');
    for (const path of [`/users/v2.json?id[in]=${ids}`, `/chat/Dialog.json?occupants_ids[in]=${ids}`, `/chat/Message/unread.json?chat_dialog_ids=${ids}`]) {
      const answer = await api(server, user, 'GET', path);
      expect(answer.status, path).toBe(422);
      expect(JSON.stringify(answer.json), path).toContain('too many items');
    }
  });

  it('an address-book upload over its limit gets a 422', async () => {
    const user = await signedInUser(server);
    const contacts = Array.from({ length: 21 }, (_, n) => ({ name: `C${n}`, phone: `+1555000${String(n).padStart(4, '0')}` }));
    const answer = await api(server, user, 'POST', '/address_book.json', { contacts });
    expect(answer.status).toBe(422);
    expect(JSON.stringify(answer.json)).toContain('at most 20 contacts');
  });

  it('a group with the largest allowed occupant list is created (chunked SQL) and lists them all', async () => {
    const owner = await signedInUser(server);
    const users = server.server.services.users;
    const occupants: number[] = [];
    for (let n = 0; n < CAP; n += 1) occupants.push((await users.createUser(server.app.id, { login: `bulk${db}${Date.now().toString(36)}${n}` }, false)).id);
    const created = await api(server, owner, 'POST', '/chat/Dialog.json', { type: 2, name: 'Full', occupants_ids: occupants });
    expect(created.status).toBe(201);
    expect((created.json as { occupants_ids: number[] }).occupants_ids).toHaveLength(CAP + 1);
    const dialogId = (created.json as { _id: string })._id;
    const pulled = await api(server, owner, 'PUT', `/chat/Dialog/${dialogId}.json`, { pull_all: { occupants_ids: occupants.slice(0, 600) } });
    expect(pulled.status).toBe(200);
    expect((pulled.json as { occupants_ids: number[] }).occupants_ids).toHaveLength(CAP + 1 - 600);
  }, 60_000);
});
