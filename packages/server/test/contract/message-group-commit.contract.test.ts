import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DialogRecord } from '../../src/ports/dialogs.js';
import type { NewMessage } from '../../src/ports/messages.js';
import { UniqueViolation, type Store } from '../../src/ports/store.js';
import { createTestApp, openStore, storeKinds, type OpenedStore } from './stores.js';

/**
 * The group-committing message writer seen through the port: creates made in one event-loop turn are
 * written together, yet each caller gets its own outcome, every dialog keeps submission order, and the
 * counters stay exactly what one-by-one writes would leave.
 */

const T0 = 1_700_000_000_123;
const S0 = 1_700_000_000;

let idCounter = 0;
function nextId(): string {
  idCounter += 1;
  return `6600${idCounter.toString(16).padStart(20, '0')}`;
}

let userCounter = 50_000;
function users(count: number): number[] {
  return Array.from({ length: count }, () => (userCounter += 1));
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to be rejected');
}

describe.each(storeKinds)('Group-committed message writes on %s', (kind) => {
  let opened: OpenedStore | undefined;
  let store: Store;
  let appId: number;

  beforeAll(async () => {
    opened = await openStore(kind);
    store = opened.store;
    await store.migrate();
    appId = await createTestApp(store, 'group-commit');
  });
  afterAll(async () => {
    await opened?.dispose();
  });

  function makeDialog(members: number[]): Promise<DialogRecord> {
    const id = nextId();
    return store.dialogs.create(
      {
        id,
        appId,
        type: 2,
        ownerId: members[0] ?? 0,
        name: `group ${id}`,
        description: null,
        photo: null,
        occupantIds: members,
        adminIds: [],
        pinnedMessageIds: [],
        extensions: null,
        permissions: null,
        createdAt: T0,
        updatedAt: T0,
      },
      members,
      T0,
    );
  }

  function message(dialog: DialogRecord, senderId: number, n: number, id = nextId()): NewMessage {
    // date_sent ties and reversals on purpose: the last message is the greatest (date_sent, id), not the last written.
    return { id, appId, dialogId: dialog.id, senderId, recipientId: 0, body: `m${n}`, dateSent: S0 + ((n * 7) % 13), attachments: [], custom: {}, markable: true, createdAt: T0 + n, updatedAt: T0 + n };
  }

  it('N concurrent sends from different users into one dialog: each stored once, in submission order, counters exact', async () => {
    const members = users(6);
    const dialog = await makeDialog(members);
    const [quiet = 0] = members;
    await store.dialogs.hideFor(appId, dialog.id, quiet);
    const sent = Array.from({ length: 300 }, (_, n) => message(dialog, members[n % 5] ?? 0, n));
    // All handed in within one turn: the writer batches them (up to its count and byte bounds).
    const results = await Promise.all(sent.map((record) => store.messages.create(record)));

    expect(results.every((result) => result.created)).toBe(true);
    const seqs = results.map((result) => result.message.seq);
    expect(seqs.every((seq, index) => index === 0 || seq > (seqs[index - 1] ?? 0)), 'seq follows submission order').toBe(true);
    expect(results.map((result) => result.message.id)).toEqual(sent.map((record) => record.id));
    const stored = await store.messages.latest(appId, dialog.id, 1000);
    expect(stored.length).toBe(300);
    expect([...stored].sort((a, b) => a.seq - b.seq).map((record) => record.id)).toEqual(sent.map((record) => record.id));

    const recount = await store.messages.recountUnread(appId, dialog.id);
    for (const userId of members) {
      const expected = sent.filter((record) => record.senderId !== userId).length;
      const member = await store.dialogs.member(appId, dialog.id, userId);
      expect({ counter: member?.unreadCount, recount: recount.get(userId), hidden: member?.hidden }, `user ${String(userId)}`).toEqual({
        counter: expected,
        recount: expected,
        hidden: false,
      });
    }
    const newest = sent.reduce((best, record) => (record.dateSent > best.dateSent || (record.dateSent === best.dateSent && record.id > best.id) ? record : best));
    const after = await store.dialogs.findById(appId, dialog.id);
    expect(after?.lastMessage).toEqual({ id: newest.id, body: newest.body, userId: newest.senderId, dateSent: newest.dateSent });
    expect(after?.updatedAt).toBe(T0 + 299);
  });

  it('settles each message of a batch on its own: replays, ids of another dialog and missing dialogs fail alone', async () => {
    const [a = 0, b = 0] = users(2);
    const dialog = await makeDialog([a, b]);
    const other = await makeDialog([a, b]);
    const taken = await store.messages.create(message(other, a, 1));
    const first = message(dialog, a, 2);
    const outcomes = await Promise.allSettled([
      store.messages.create(first),
      store.messages.create({ ...first, body: 'a resend of the same id' }),
      store.messages.create(message(dialog, b, 3, taken.message.id)),
      store.messages.create(message({ ...dialog, id: nextId() }, b, 4)),
      store.messages.create(message(dialog, b, 5)),
    ]);
    const [created, replay, conflict, missing, second] = outcomes;
    expect(created?.status === 'fulfilled' && created.value.created).toBe(true);
    expect(replay?.status === 'fulfilled' && replay.value).toMatchObject({ created: false, message: { id: first.id, body: 'm2' } });
    expect(conflict?.status === 'rejected' && conflict.reason).toBeInstanceOf(UniqueViolation);
    expect(missing?.status).toBe('rejected');
    expect(second?.status === 'fulfilled' && second.value.created).toBe(true);
    expect((await store.messages.latest(appId, dialog.id, 10)).map((record) => record.body)).toEqual(['m2', 'm5']);
    expect((await store.dialogs.member(appId, dialog.id, a))?.unreadCount).toBe(1);
    expect((await store.dialogs.member(appId, dialog.id, b))?.unreadCount).toBe(1);
    // A replay in a later batch still answers with the stored message.
    expect(await store.messages.create(first)).toMatchObject({ created: false, message: { seq: (created as PromiseFulfilledResult<{ message: { seq: number } }>).value.message.seq } });
  });

  it('keeps each dialog in submission order when batches interleave dialogs, and large messages split batches', async () => {
    const [a = 0, b = 0] = users(2);
    const dialogs = await Promise.all([makeDialog([a, b]), makeDialog([a, b]), makeDialog([a, b])]);
    const big = 'x'.repeat(300 * 1024);
    const sent = Array.from({ length: 60 }, (_, n) => ({ ...message(dialogs[n % 3] as DialogRecord, n % 2 === 0 ? a : b, n), body: n % 10 === 0 ? big : `m${n}` }));
    await Promise.all(sent.map((record) => store.messages.create(record)));
    for (const dialog of dialogs) {
      const stored = (await store.messages.latest(appId, dialog.id, 100)).sort((x, y) => x.seq - y.seq);
      expect(stored.map((record) => record.id)).toEqual(sent.filter((record) => record.dialogId === dialog.id).map((record) => record.id));
      const mine = sent.filter((record) => record.dialogId === dialog.id);
      expect((await store.dialogs.member(appId, dialog.id, a))?.unreadCount).toBe(mine.filter((record) => record.senderId !== a).length);
      expect((await store.dialogs.member(appId, dialog.id, b))?.unreadCount).toBe(mine.filter((record) => record.senderId !== b).length);
    }
  });

  it('answers every create handed in before close', async () => {
    const scratch = await openStore(kind);
    try {
      await scratch.store.migrate();
      const app = await createTestApp(scratch.store, 'group-commit-close');
      const [a = 0, b = 0] = users(2);
      const id = nextId();
      const dialog = await scratch.store.dialogs.create(
        { id, appId: app, type: 3, ownerId: a, name: null, description: null, photo: null, occupantIds: [a, b], adminIds: [], pinnedMessageIds: [], extensions: null, permissions: null, createdAt: T0, updatedAt: T0 },
        [a, b],
        T0,
      );
      const pending = Array.from({ length: 20 }, (_, n) => scratch.store.messages.create({ ...message(dialog, a, n), appId: app }));
      await scratch.store.close();
      expect((await Promise.all(pending)).every((result) => result.created)).toBe(true);
    } finally {
      await scratch.dispose().catch(() => undefined);
    }
  });

  it('rejects a create for a dialog of another application', async () => {
    const [a = 0] = users(1);
    const dialog = await makeDialog([a]);
    const otherApp = await createTestApp(store, `group-commit-other-${nextId()}`);
    expect(await rejection(store.messages.create({ ...message(dialog, a, 1), appId: otherApp }))).toBeInstanceOf(Error);
    expect(await store.messages.latest(appId, dialog.id, 10)).toEqual([]);
  });
});
