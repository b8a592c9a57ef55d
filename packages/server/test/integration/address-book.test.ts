import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, rawRequest, sessionToken, startServer, type TestServer } from '@parley/testkit';

/**
 * The address-book routes on the wire (rest.md §8, §1.3–§1.5): exact bodies, the request-wide 422s
 * the SDKs cannot produce, and the size limit (PARLEY_ADDRESS_BOOK_MAX_CONTACTS, set to 3 here) —
 * each refusal checked to leave the book as it was.
 */

const MAX = 3;
const BOOK = [
  { name: 'Ann', phone: '5550100001' },
  { name: 'Bob', phone: '5550100002' },
];

describe.each(databaseKinds)('address book on the wire on %s', (db) => {
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    server = await startServer({ db, config: { addressBookMaxContacts: String(MAX) } });
    token = await sessionToken(server.url, server.app, { login: 'ab-wire-owner', password: 'password123' });
  });
  afterAll(() => server.stop());

  const post = (body: unknown, path = '/address_book.json') => rawRequest(server.url, path, { method: 'POST', token, body });
  const book = async (query = '') => (await rawRequest(server.url, `/address_book.json${query}`, { token })).json;

  it('answers with the contract shapes, with or without .json and with an empty query', async () => {
    const created = await post({ contacts: BOOK, force: 1 }, '/address_book');
    expect(created.status).toBe(200);
    expect(created.headers.get('content-type')).toMatch(/^application\/json/);
    expect(created.text).toBe('{"deleted":0,"rejected":{},"created":2,"updated":0}');
    expect((await rawRequest(server.url, '/address_book?', { token })).json).toEqual(BOOK);
    expect((await rawRequest(server.url, '/address_book/registered_users.json?compact=1', { token })).json).toEqual({ items: [] });
  });

  it('refuses malformed uploads as a whole with 422 or 400, and changes nothing', async () => {
    await post({ contacts: BOOK, force: 1 });
    const cases: [unknown, number, unknown][] = [
      [{}, 422, { errors: { contacts: ['cannot be blank'] } }],
      [{ contacts: null, force: 1 }, 422, { errors: { contacts: ['cannot be blank'] } }],
      [{ contacts: { 0: { name: 'x', phone: '5550100009' } }, force: 1 }, 422, { errors: { contacts: ['should be an array of contacts'] } }],
      [{ contacts: 'Ann,5550100009', force: 1 }, 422, { errors: { contacts: ['should be an array of contacts'] } }],
      [[{ name: 'x', phone: '5550100009' }], 422, { errors: { contacts: ['cannot be blank'] } }],
      [{ contacts: [], force: 1, udid: ['a'] }, 422, { errors: { udid: ['should be a string'] } }],
      ['{"contacts": [', 400, { errors: { base: ['Malformed request body'] } }],
    ];
    for (const [body, status, json] of cases) {
      const response = await post(body);
      expect({ body, status: response.status, json: response.json }).toEqual({ body, status, json });
    }
    const empty = await rawRequest(server.url, '/address_book.json', { method: 'POST', token, contentType: 'application/json;charset=utf-8' });
    expect(empty).toMatchObject({ status: 422, json: { errors: { contacts: ['cannot be blank'] } } });
    expect(await book()).toEqual(BOOK);
  });

  it(`limits an upload and a book to ${String(MAX)} contacts, writing nothing past the limit`, async () => {
    await post({ contacts: BOOK, force: 1 });
    const four = ['5550100003', '5550100004', '5550100005', '5550100006'].map((phone) => ({ name: 'n', phone }));
    expect(await post({ contacts: four, force: 1 })).toMatchObject({ status: 422, json: { errors: { contacts: [`at most ${String(MAX)} contacts in one upload`] } } });
    expect(await post({ contacts: four.slice(0, 2) })).toMatchObject({ status: 422, json: { errors: { contacts: [`an address book holds at most ${String(MAX)} contacts`] } } });
    expect(await book()).toEqual(BOOK);

    // Renames and deletes count against nothing; a replace frees the old contacts.
    expect((await post({ contacts: [{ name: 'Ann B', phone: '5550100001' }, { phone: '5550100002', destroy: 1 }, ...four.slice(0, 1)] })).json).toEqual({
      deleted: 1, rejected: {}, created: 1, updated: 1,
    });
    expect((await post({ contacts: four.slice(1, 2) })).json).toEqual({ deleted: 0, rejected: {}, created: 1, updated: 0 });
    expect((await post({ contacts: four.slice(1), force: 1 })).json).toEqual({ deleted: 3, rejected: {}, created: 3, updated: 0 });
    // Other books have their own room.
    expect((await post({ contacts: four.slice(0, 3), udid: 'phone' })).json).toMatchObject({ created: 3 });
    expect(await book('?udid=phone')).toHaveLength(3);
    expect(await book()).toHaveLength(3);
  });

  it('has no other methods on its routes', async () => {
    expect((await rawRequest(server.url, '/address_book.json', { method: 'DELETE', token })).status).toBe(404);
    expect((await rawRequest(server.url, '/address_book/registered_users.json', { method: 'POST', token, body: {} })).status).toBe(404);
  });
});
