import { newObjectId } from '@parley/protocol';
import { databaseKinds, startServer, type TestServer } from '@parley/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, signedInUser } from './helpers.js';

/**
 * Finding 3: a closed group (type 2) cannot be joined by subscribing; only broadcast (1) and public (4)
 * dialogs can (and a group answers 200 to its own occupants, idempotently). Dialog ids no longer follow
 * one another.
 */
describe.each(databaseKinds)('security: closed groups are not joinable by subscribing (%s)', (db) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ db });
  });
  afterAll(() => server?.stop());

  it('an outsider gets 403 subscribing to a group, is not added and cannot read its history', async () => {
    const [owner, member, outsider] = [await signedInUser(server), await signedInUser(server), await signedInUser(server)];
    const created = await api(server, owner, 'POST', '/chat/Dialog.json', { type: 2, name: 'Closed', occupants_ids: [member.id] });
    expect(created.status).toBe(201);
    const dialogId = (created.json as { _id: string })._id;
    expect((await api(server, owner, 'POST', '/chat/Message.json', { chat_dialog_id: dialogId, message: 'secret plans' })).status).toBe(201);

    const subscribed = await api(server, outsider, 'POST', `/chat/Dialog/${dialogId}/subscribe.json`);
    expect(subscribed.status).toBe(403);
    expect(subscribed.json).toMatchObject({ errors: expect.anything() });
    const history = await api(server, outsider, 'GET', `/chat/Message.json?chat_dialog_id=${dialogId}`);
    expect([403, 404]).toContain(history.status);
    expect(history.text).not.toContain('secret plans');
    const occupants = ((await api(server, owner, 'GET', `/chat/Dialog.json?_id=${dialogId}`)).json as { items: { occupants_ids: number[] }[] }).items[0]?.occupants_ids;
    expect(occupants).not.toContain(outsider.id);

    // An occupant subscribing changes nothing and succeeds.
    expect((await api(server, member, 'POST', `/chat/Dialog/${dialogId}/subscribe.json`)).status).toBe(200);
  });

  it('public and broadcast dialogs can still be subscribed to', async () => {
    const [owner, reader] = [await signedInUser(server), await signedInUser(server)];
    for (const type of [1, 4]) {
      const created = await api(server, owner, 'POST', '/chat/Dialog.json', { type, name: `Open ${type}` });
      expect(created.status).toBe(201);
      const dialogId = (created.json as { _id: string })._id;
      expect((await api(server, reader, 'POST', `/chat/Dialog/${dialogId}/subscribe.json`)).status).toBe(200);
    }
  });

  it('consecutive dialog ids do not give the next one away', async () => {
    const owner = await signedInUser(server);
    const ids: string[] = [];
    for (let n = 0; n < 3; n += 1) {
      ids.push(((await api(server, owner, 'POST', '/chat/Dialog.json', { type: 2, name: `G${n}`, occupants_ids: [owner.id] })).json as { _id: string })._id);
    }
    for (let n = 1; n < ids.length; n += 1) {
      // Beyond the timestamp and counter, 5 bytes are random for every id.
      expect(ids[n]!.slice(14)).not.toBe(ids[n - 1]!.slice(14));
      expect(BigInt(`0x${ids[n]}`) - BigInt(`0x${ids[n - 1]}`)).not.toBe(1n);
    }
  });
});

describe('security: ObjectIds', () => {
  it('are unique, sort in creation order within a second, and carry 40 random bits each', () => {
    const now = Date.UTC(2026, 0, 1);
    const ids = Array.from({ length: 2000 }, () => newObjectId(now));
    expect(new Set(ids).size).toBe(ids.length);
    const sorted = [...ids].sort();
    // The 3-byte counter may wrap once; apart from that, creation order is sort order.
    const wrapAt = ids.findIndex((id, n) => n > 0 && id < ids[n - 1]!);
    expect(wrapAt === -1 ? ids : [...ids.slice(wrapAt), ...ids.slice(0, wrapAt)]).toEqual(sorted);
    expect(new Set(ids.map((id) => id.slice(14))).size).toBe(ids.length);
  });
});
