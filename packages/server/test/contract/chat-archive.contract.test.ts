import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DialogRecord, DialogType } from '../../src/ports/dialogs.js';
import type { MessageRecord, UserArchiveQuery } from '../../src/ports/messages.js';
import type { Store } from '../../src/ports/store.js';
import { createTestApp, openStore, storeKinds, type OpenedStore } from './stores.js';

/**
 * `messages.userArchive` / `userArchiveCount` (src/ports/messages.ts): a user's whole archive across
 * their dialogs, (date_sent, id) order, clear points and hidden messages respected, other users' and
 * other apps' dialogs never included — identical on every adapter.
 */

const T0 = 1_700_000_000_123;
const S0 = 1_700_000_000;

let idCounter = 0;
function nextId(): string {
  idCounter += 1;
  return `6600${idCounter.toString(16).padStart(20, '0')}`;
}

let userCounter = 50_000;
let tieCounter = 0;
const ids = (records: { id: string }[]) => records.map((record) => record.id);

describe.each(storeKinds)('Chat archive contract on %s', (kind) => {
  let opened: OpenedStore | undefined;
  let store: Store;

  beforeAll(async () => {
    opened = await openStore(kind);
    store = opened.store;
    await store.migrate();
  });
  afterAll(async () => {
    await opened?.dispose();
  });

  let appCounter = 0;
  async function createApp(): Promise<number> {
    appCounter += 1;
    return createTestApp(store, `archive-app-${String(appCounter)}`);
  }

  function makeDialog(appId: number, type: DialogType, members: number[]): Promise<DialogRecord> {
    const id = nextId();
    return store.dialogs.create(
      { id, appId, type, ownerId: members[0] ?? 0, name: type === 3 ? null : `d ${id}`, description: null, photo: null, occupantIds: members, adminIds: [], pinnedMessageIds: [], extensions: null, permissions: null, createdAt: T0, updatedAt: T0 },
      members,
      T0,
    );
  }

  async function send(dialog: DialogRecord, senderId: number, dateSent: number, id = nextId()): Promise<MessageRecord> {
    const { message } = await store.messages.create({
      id,
      appId: dialog.appId,
      dialogId: dialog.id,
      senderId,
      recipientId: dialog.type === 3 ? (dialog.occupantIds.find((member) => member !== senderId) ?? 0) : 0,
      body: `at ${String(dateSent)}`,
      dateSent,
      attachments: [],
      custom: {},
      markable: false,
      createdAt: T0,
      updatedAt: T0,
    });
    return message;
  }

  const page = (appId: number, userId: number, query: Partial<UserArchiveQuery> = {}) => store.messages.userArchive(appId, userId, { newestFirst: false, limit: 1000, ...query });

  /** Alice's world: a private dialog with Bob, a group with Bob and Carol, a dialog of Bob and Carol only, and another app. */
  async function world() {
    const appId = await createApp();
    const [alice, bob, carol] = [(userCounter += 1), (userCounter += 1), (userCounter += 1)] as [number, number, number];
    const direct = await makeDialog(appId, 3, [alice, bob]);
    const group = await makeDialog(appId, 2, [alice, bob, carol]);
    const others = await makeDialog(appId, 3, [bob, carol]);
    const otherApp = await createApp();
    const foreign = await makeDialog(otherApp, 2, [alice, bob]);
    // Sent out of date order, with a tie on date_sent broken by id.
    const m3 = await send(group, carol, S0 + 30);
    const m1 = await send(direct, bob, S0 + 10);
    // Ids from nextId() start 6600: these sort below and above every one of them.
    tieCounter += 1;
    const tieHigh = await send(direct, alice, S0 + 20, `6700${tieCounter.toString(16).padStart(20, '0')}`);
    const tieLow = await send(group, bob, S0 + 20, `6500${tieCounter.toString(16).padStart(20, '0')}`);
    await send(others, bob, S0 + 15);
    await send(foreign, bob, S0 + 16);
    const m5 = await send(direct, bob, S0 + 40);
    return { appId, otherApp, alice, bob, carol, direct, group, expected: [m1, tieLow, tieHigh, m3, m5] };
  }

  it('lists every dialog the user is a member of in (date_sent, id) order, nothing of other users or apps', async () => {
    const { appId, alice, expected } = await world();
    expect(ids(await page(appId, alice))).toEqual(ids(expected));
    expect(await store.messages.userArchiveCount(appId, alice, {})).toBe(expected.length);
  });

  it('filters by start and end (inclusive) and counts within them', async () => {
    const { appId, alice, expected } = await world();
    const window = { start: S0 + 20, end: S0 + 30 };
    expect(ids(await page(appId, alice, window))).toEqual(ids(expected.slice(1, 4)));
    expect(await store.messages.userArchiveCount(appId, alice, window)).toBe(3);
  });

  it('pages forward after a cursor and backward before one, ties broken by id', async () => {
    const { appId, alice, expected } = await world();
    const at = (index: number) => ({ dateSent: expected[index]!.dateSent, id: expected[index]!.id });
    expect(ids(await page(appId, alice, { after: at(1), limit: 2 }))).toEqual(ids(expected.slice(2, 4)));
    expect(ids(await page(appId, alice, { before: at(3), newestFirst: true, limit: 2 }))).toEqual(ids([expected[2]!, expected[1]!]));
    expect(ids(await page(appId, alice, { newestFirst: true, limit: 1 }))).toEqual([expected[4]!.id]);
    expect(ids(await page(appId, alice, { after: at(0), before: at(4) }))).toEqual(ids(expected.slice(1, 4)));
  });

  it('respects each dialog’s clear point and hidden messages of the user only', async () => {
    const { appId, alice, bob, direct, group, expected } = await world();
    await store.messages.clearHistory(appId, direct.id, alice);
    await store.messages.hideFor(appId, group.id, alice, [expected[3]!.id]);
    expect(ids(await page(appId, alice))).toEqual([expected[1]!.id]);
    expect(await store.messages.userArchiveCount(appId, alice, {})).toBe(1);
    // Bob's archive is untouched (and holds his dialog with Carol too).
    expect(await store.messages.userArchiveCount(appId, bob, {})).toBe(6);
  });

  it('leaves out dialogs the user left', async () => {
    const { appId, alice, carol, group, expected } = await world();
    await store.dialogs.leave(appId, group.id, [alice], T0 + 5000);
    expect(ids(await page(appId, alice))).toEqual(ids([expected[0]!, expected[2]!, expected[4]!]));
    expect(ids(await page(appId, carol))).toContain(expected[3]!.id);
  });

  it('another application sees none of it', async () => {
    const { otherApp, alice } = await world();
    const foreignOnly = await page(otherApp, alice);
    expect(foreignOnly.every((message) => message.appId === otherApp)).toBe(true);
    expect(foreignOnly).toHaveLength(1);
  });
});
