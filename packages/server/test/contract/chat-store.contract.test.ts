import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DialogCondition, DialogPermissions, DialogQuery, DialogRecord, DialogType } from '../../src/ports/dialogs.js';
import type { MessageCondition, MessageQuery, MessageRecord, MessageViewer } from '../../src/ports/messages.js';
import { UniqueViolation, type Store } from '../../src/ports/store.js';
import { createTestApp, openStore, storeKinds, type OpenedStore } from './stores.js';

/**
 * The chat storage port's guarantees (src/ports/dialogs.ts, src/ports/messages.ts), checked identically on every adapter.
 * After every write the unread counters are compared three ways: the stored counter (`member()` and
 * `unreadCounts`), `recountUnread`, and a count made here from the member's history as the port
 * defines it (in the history, not sent by them, not read by them, not hidden for them).
 */

/** Epoch ms base for created_at / updated_at (past 2^31, with a millisecond part). */
const T0 = 1_700_000_000_123;
/** Unix seconds base for date_sent. */
const S0 = 1_700_000_000;
/** When read/delivered marks are made, unless a test says otherwise. */
const MARKED_AT = T0 + 50_000;

let idCounter = 0;
/** A fresh 24-hex id; ids made later sort higher (as ObjectIds made in one process do). */
function nextId(): string {
  idCounter += 1;
  return `6500${idCounter.toString(16).padStart(20, '0')}`;
}

let lowCounter = 0;
/** A fresh id that sorts below every id from nextId(), for ties on date_sent. */
function lowerId(): string {
  lowCounter += 1;
  return `6400${lowCounter.toString(16).padStart(20, '0')}`;
}

let userCounter = 10_000;
/** Fresh user ids: the chat store keeps user ids as plain numbers. */
function users(count: number): number[] {
  return Array.from({ length: count }, () => (userCounter += 1));
}

const byNumber = (a: number, b: number) => a - b;
const ids = (records: { id: string }[]) => records.map((record) => record.id);

function dialogQuery(conditions: DialogCondition[] = [], sort: DialogQuery['sort'] = { field: '_id', direction: 'asc' }, limit = 100, offset = 0): DialogQuery {
  return { conditions, sort, limit, offset };
}

function messageQuery(conditions: MessageCondition[] = [], sort: MessageQuery['sort'] = { field: 'date_sent', direction: 'asc' }, limit = 1000, offset = 0): MessageQuery {
  return { conditions, sort, limit, offset };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to be rejected');
}

interface DialogOptions {
  id?: string;
  name?: string | null;
  ownerId?: number;
  adminIds?: number[];
  extensions?: Record<string, string> | null;
  permissions?: DialogPermissions | null;
  createdAt?: number;
  updatedAt?: number;
}

interface SendOptions {
  id?: string;
  body?: string | null;
  dateSent?: number;
  createdAt?: number;
  recipientId?: number;
  attachments?: Record<string, unknown>[];
  custom?: Record<string, unknown>;
  markable?: boolean;
}

describe.each(storeKinds)('Chat store contract on %s', (kind) => {
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
    return createTestApp(store, `chat-app-${String(appCounter)}`);
  }

  /** Creates a dialog the way the domain does: the creator first, members as occupants (or subscribers for 1 and 4). */
  async function makeDialog(appId: number, type: DialogType, members: number[], options: DialogOptions = {}): Promise<DialogRecord> {
    const id = options.id ?? nextId();
    const createdAt = options.createdAt ?? T0;
    return store.dialogs.create(
      {
        id,
        appId,
        type,
        ownerId: options.ownerId ?? members[0] ?? 0,
        name: options.name === undefined ? (type === 3 ? null : `dialog ${id}`) : options.name,
        description: null,
        photo: null,
        occupantIds: members,
        adminIds: options.adminIds ?? [],
        pinnedMessageIds: [],
        extensions: options.extensions ?? null,
        permissions: options.permissions ?? null,
        createdAt,
        updatedAt: options.updatedAt ?? createdAt,
      },
      members,
      createdAt,
    );
  }

  function create(dialog: DialogRecord, senderId: number, options: SendOptions = {}) {
    const createdAt = options.createdAt ?? T0 + 1000;
    return store.messages.create({
      id: options.id ?? nextId(),
      appId: dialog.appId,
      dialogId: dialog.id,
      senderId,
      recipientId: options.recipientId ?? 0,
      body: options.body === undefined ? 'hello' : options.body,
      dateSent: options.dateSent ?? S0 + 10,
      attachments: options.attachments ?? [],
      custom: options.custom ?? {},
      markable: options.markable ?? false,
      createdAt,
      updatedAt: createdAt,
    });
  }

  async function send(dialog: DialogRecord, senderId: number, options: SendOptions = {}): Promise<MessageRecord> {
    const { message, created } = await create(dialog, senderId, options);
    expect(created).toBe(true);
    return message;
  }

  /** `messages.mark` at MARKED_AT (or `now`). */
  function mark(appId: number, dialogId: string, userId: number, messageIds: string[] | undefined, marks: { read?: boolean; delivered?: boolean }, now = MARKED_AT) {
    return store.messages.mark(appId, dialogId, userId, messageIds, marks, now);
  }

  async function viewerOf(appId: number, dialogId: string, userId: number): Promise<MessageViewer> {
    return { userId, clearedSeq: (await store.dialogs.member(appId, dialogId, userId))?.clearedSeq ?? 0 };
  }

  /** A user's history of a dialog, oldest first. */
  async function history(appId: number, dialogId: string, userId: number): Promise<string[]> {
    return ids(await store.messages.list(appId, dialogId, await viewerOf(appId, dialogId, userId), messageQuery()));
  }

  async function unread(appId: number, dialogId: string, userId: number): Promise<number | undefined> {
    return (await store.dialogs.member(appId, dialogId, userId))?.unreadCount;
  }

  /**
   * For every member: stored counter (member() and unreadCounts) = recountUnread = the count made here
   * from the member's history. Returns the counters by user.
   */
  async function expectConsistent(appId: number, dialogId: string): Promise<Map<number, number>> {
    const recount = await store.messages.recountUnread(appId, dialogId);
    const members = await store.dialogs.memberIds(appId, dialogId, 10_000, 0);
    expect([...recount.keys()].sort(byNumber), `recountUnread keys of ${dialogId}`).toEqual([...members].sort(byNumber));
    const counters = new Map<number, number>();
    for (const userId of members) {
      const member = await store.dialogs.member(appId, dialogId, userId);
      const { byDialog } = await store.messages.unreadCounts(appId, userId, [dialogId]);
      const seen = await store.messages.list(appId, dialogId, { userId, clearedSeq: member?.clearedSeq ?? 0 }, messageQuery());
      const receipts = await store.messages.receipts(appId, ids(seen));
      // History from before the member joined is readable but never unread.
      const expected = seen.filter(
        (message) => message.seq > (member?.joinedSeq ?? 0) && message.senderId !== userId && !(receipts.get(message.id)?.readIds.includes(userId) ?? false),
      ).length;
      expect(
        { counter: member?.unreadCount, unreadCounts: byDialog.get(dialogId), recount: recount.get(userId) },
        `unread of user ${String(userId)} in ${dialogId}`,
      ).toEqual({ counter: expected, unreadCounts: expected, recount: expected });
      counters.set(userId, expected);
    }
    return counters;
  }

  describe('dialogs: create and find', () => {
    it('creates a group with its member rows and finds it by id', async () => {
      const appId = await createApp();
      const [owner = 0, a = 0, b = 0] = users(3);
      const dialog = await makeDialog(appId, 2, [owner, a, b], {
        name: 'Team',
        adminIds: [a],
        extensions: { color: 'red' },
        permissions: { allow_preview: true },
        createdAt: T0,
        updatedAt: T0 + 5,
      });
      expect(dialog).toEqual({
        id: dialog.id,
        appId,
        type: 2,
        ownerId: owner,
        name: 'Team',
        description: null,
        photo: null,
        occupantIds: [owner, a, b],
        adminIds: [a],
        pinnedMessageIds: [],
        subscribersCount: 0,
        extensions: { color: 'red' },
        permissions: { allow_preview: true },
        lastMessage: null,
        createdAt: T0,
        updatedAt: T0 + 5,
      });
      expect(await store.dialogs.findById(appId, dialog.id)).toEqual(dialog);
      for (const userId of [owner, a, b]) {
        expect(await store.dialogs.member(appId, dialog.id, userId)).toEqual({ isMember: true, hidden: false, unreadCount: 0, clearedSeq: 0, joinedSeq: 0, notifications: true });
      }
      expect(await store.dialogs.memberIds(appId, dialog.id, 10, 0)).toEqual([owner, a, b].sort(byNumber));
      await expectConsistent(appId, dialog.id);
    });

    it('keeps subscribers of broadcasts (1) and public groups (4) as a count, not occupants', async () => {
      const appId = await createApp();
      const members = users(3);
      for (const type of [1, 4] as const) {
        const dialog = await makeDialog(appId, type, members);
        expect(dialog.occupantIds).toEqual([]);
        expect(dialog.subscribersCount).toBe(3);
        expect(await store.dialogs.memberIds(appId, dialog.id, 10, 0)).toEqual(members);
        expect((await store.dialogs.member(appId, dialog.id, members[1] ?? 0))?.isMember).toBe(true);
      }
    });

    it('answers undefined for unknown dialogs and non-members', async () => {
      const appId = await createApp();
      const [a = 0, outsider = 0] = users(2);
      const dialog = await makeDialog(appId, 2, [a]);
      expect(await store.dialogs.findById(appId, nextId())).toBeUndefined();
      expect(await store.dialogs.member(appId, dialog.id, outsider)).toBeUndefined();
      expect(await store.dialogs.member(appId, nextId(), a)).toBeUndefined();
      expect(await store.dialogs.memberIds(appId, nextId(), 10, 0)).toEqual([]);
    });

    it('finds a private dialog by its pair in either order and refuses a second one for the pair', async () => {
      const appId = await createApp();
      const [a = 0, b = 0, c = 0] = users(3);
      const first = await makeDialog(appId, 3, [a, b]);
      expect(first.name).toBeNull();
      expect(await store.dialogs.findPrivate(appId, a, b)).toEqual(first);
      expect(await store.dialogs.findPrivate(appId, b, a)).toEqual(first);
      expect(await store.dialogs.findPrivate(appId, a, c)).toBeUndefined();

      const error = await rejection(makeDialog(appId, 3, [b, a]));
      expect(error).toBeInstanceOf(UniqueViolation);
      expect((error as UniqueViolation).field).toBe('private');
      const privates = await store.dialogs.listFor(appId, a, dialogQuery([{ field: 'type', op: 'eq', value: 3 }]));
      expect(privates.map((view) => view.dialog.id)).toEqual([first.id]);
      expect(await store.dialogs.countFor(appId, b, { conditions: [{ field: 'type', op: 'eq', value: 3 }] })).toBe(1);

      const other = await makeDialog(appId, 3, [a, c]);
      expect(await store.dialogs.findPrivate(appId, c, a)).toEqual(other);
    });
  });

  describe('dialogs: update, join, leave', () => {
    it('update changes only the given fields and returns the dialog', async () => {
      const appId = await createApp();
      const [owner = 0, a = 0] = users(2);
      const dialog = await makeDialog(appId, 2, [owner, a], { name: 'Before', extensions: { k: 'v' } });
      const pinned = nextId();
      const updated = await store.dialogs.update(appId, dialog.id, {
        name: 'After',
        description: 'described',
        photo: 'photo-uid',
        adminIds: [a],
        pinnedMessageIds: [pinned],
        permissions: { allow_preview: false },
        updatedAt: T0 + 77,
      });
      const expected: DialogRecord = {
        ...dialog,
        name: 'After',
        description: 'described',
        photo: 'photo-uid',
        adminIds: [a],
        pinnedMessageIds: [pinned],
        permissions: { allow_preview: false },
        updatedAt: T0 + 77,
      };
      expect(updated).toEqual(expected);
      expect(await store.dialogs.findById(appId, dialog.id)).toEqual(expected);

      expect(await store.dialogs.update(appId, dialog.id, {})).toEqual(expected);
      const cleared = await store.dialogs.update(appId, dialog.id, { description: null, photo: null, extensions: null, permissions: null });
      expect(cleared).toEqual({ ...expected, description: null, photo: null, extensions: null, permissions: null });
      expect(await store.dialogs.update(appId, nextId(), { name: 'ghost' })).toBeUndefined();
    });

    it('join adds occupants, leaves existing members as they are, and keeps occupant_ids in step', async () => {
      const appId = await createApp();
      const [owner = 0, a = 0, b = 0, c = 0] = users(4);
      const dialog = await makeDialog(appId, 2, [owner, a]);
      await send(dialog, owner);
      expect(await unread(appId, dialog.id, a)).toBe(1);

      const joined = await store.dialogs.join(appId, dialog.id, [b, a, c], T0 + 10_000);
      expect([...(joined?.occupantIds ?? [])].sort(byNumber)).toEqual([owner, a, b, c].sort(byNumber));
      expect(joined?.subscribersCount).toBe(0);
      expect(await store.dialogs.memberIds(appId, dialog.id, 10, 0)).toEqual([owner, a, b, c].sort(byNumber));
      expect(await store.dialogs.member(appId, dialog.id, a)).toEqual({ isMember: true, hidden: false, unreadCount: 1, clearedSeq: 0, joinedSeq: 0, notifications: true });
      expect((await store.dialogs.member(appId, dialog.id, b))?.isMember).toBe(true);
      expect(await store.dialogs.findById(appId, dialog.id)).toEqual(joined);
      expect(await store.dialogs.join(appId, nextId(), [b], T0)).toBeUndefined();
    });

    it('join gives a member who joins a dialog with history a counter equal to the recount', async () => {
      const appId = await createApp();
      const [owner = 0, a = 0, late = 0] = users(3);
      const dialog = await makeDialog(appId, 2, [owner, a]);
      await send(dialog, owner, { dateSent: S0 + 1 });
      await send(dialog, a, { dateSent: S0 + 2 });
      await store.dialogs.join(appId, dialog.id, [late], T0 + 10_000);
      await expectConsistent(appId, dialog.id);
      await send(dialog, owner, { dateSent: S0 + 3 });
      await expectConsistent(appId, dialog.id);
    });

    it('join and leave keep the subscriber count of a public group', async () => {
      const appId = await createApp();
      const [owner = 0, a = 0, b = 0] = users(3);
      const dialog = await makeDialog(appId, 4, [owner]);
      expect((await store.dialogs.join(appId, dialog.id, [a, b], T0 + 1))?.subscribersCount).toBe(3);
      expect((await store.dialogs.join(appId, dialog.id, [a], T0 + 2))?.subscribersCount).toBe(3);
      const left = await store.dialogs.leave(appId, dialog.id, [a], T0 + 3);
      expect(left?.subscribersCount).toBe(2);
      expect(left?.occupantIds).toEqual([]);
      expect(await store.dialogs.member(appId, dialog.id, a)).toBeUndefined();
      expect(await store.dialogs.memberIds(appId, dialog.id, 10, 0)).toEqual([owner, b].sort(byNumber));
    });

    it('leave removes occupants and their admin rights, and their state goes with them', async () => {
      const appId = await createApp();
      const [owner = 0, a = 0, b = 0, c = 0] = users(4);
      const dialog = await makeDialog(appId, 2, [owner, a, b, c], { adminIds: [a, b] });
      await send(dialog, owner);
      const left = await store.dialogs.leave(appId, dialog.id, [a, c], T0 + 20_000);
      expect([...(left?.occupantIds ?? [])].sort(byNumber)).toEqual([owner, b].sort(byNumber));
      expect(left?.adminIds).toEqual([b]);
      expect(await store.dialogs.member(appId, dialog.id, a)).toBeUndefined();
      expect(await store.dialogs.member(appId, dialog.id, c)).toBeUndefined();
      expect(await store.dialogs.memberIds(appId, dialog.id, 10, 0)).toEqual([owner, b].sort(byNumber));
      expect(await store.dialogs.findById(appId, dialog.id)).toEqual(left);
      await expectConsistent(appId, dialog.id);
      // Leaving twice, or leaving as a non-member, changes nothing.
      expect(await store.dialogs.leave(appId, dialog.id, [a], T0 + 20_000)).toEqual(left);
      expect(await store.dialogs.leave(appId, nextId(), [owner], T0)).toBeUndefined();
    });

    it('a member who leaves and joins again has a counter equal to the recount', async () => {
      const appId = await createApp();
      const [owner = 0, a = 0] = users(2);
      const dialog = await makeDialog(appId, 2, [owner, a]);
      await send(dialog, owner, { dateSent: S0 + 1 });
      await store.dialogs.leave(appId, dialog.id, [a], T0 + 1);
      await send(dialog, owner, { dateSent: S0 + 2 });
      await store.dialogs.join(appId, dialog.id, [a], T0 + 2);
      await expectConsistent(appId, dialog.id);
    });
  });

  describe('dialogs: hide, notifications, members, delete', () => {
    it('hideFor hides a private dialog for one user until a new message arrives', async () => {
      const appId = await createApp();
      const [a = 0, b = 0] = users(2);
      const dialog = await makeDialog(appId, 3, [a, b]);
      await send(dialog, b, { dateSent: S0 + 1 });
      const newest = await send(dialog, b, { dateSent: S0 + 2 });
      expect(await unread(appId, dialog.id, a)).toBe(2);

      await store.dialogs.hideFor(appId, dialog.id, a);
      expect(await store.dialogs.member(appId, dialog.id, a)).toEqual({ isMember: true, hidden: true, unreadCount: 0, clearedSeq: newest.seq, joinedSeq: 0, notifications: true });
      expect(ids((await store.dialogs.listFor(appId, a, dialogQuery())).map((view) => view.dialog))).toEqual([]);
      expect(await store.dialogs.countFor(appId, a, { conditions: [] })).toBe(0);
      expect(ids((await store.dialogs.listFor(appId, b, dialogQuery())).map((view) => view.dialog))).toEqual([dialog.id]);
      expect(await history(appId, dialog.id, a)).toEqual([]);
      expect((await store.messages.unreadCounts(appId, a, [])).total).toBe(0);
      await expectConsistent(appId, dialog.id);

      const revived = await send(dialog, b, { dateSent: S0 + 3 });
      expect(await store.dialogs.member(appId, dialog.id, a)).toMatchObject({ isMember: true, hidden: false, unreadCount: 1 });
      expect(ids((await store.dialogs.listFor(appId, a, dialogQuery())).map((view) => view.dialog))).toEqual([dialog.id]);
      expect(await history(appId, dialog.id, a)).toEqual([revived.id]);
      expect((await store.messages.unreadCounts(appId, a, [dialog.id])).total).toBe(1);
      await expectConsistent(appId, dialog.id);
    });

    it('a hidden private dialog reappears for its sender too when they send', async () => {
      const appId = await createApp();
      const [a = 0, b = 0] = users(2);
      const dialog = await makeDialog(appId, 3, [a, b]);
      await store.dialogs.hideFor(appId, dialog.id, a);
      await send(dialog, a);
      expect(await store.dialogs.member(appId, dialog.id, a)).toMatchObject({ hidden: false, unreadCount: 0 });
      expect(await store.dialogs.member(appId, dialog.id, b)).toMatchObject({ hidden: false, unreadCount: 1 });
      await expectConsistent(appId, dialog.id);
    });

    it('hideFor hides a broadcast for a non-subscriber without making them a member', async () => {
      const appId = await createApp();
      const [owner = 0, viewer = 0, other = 0] = users(3);
      const broadcast = await makeDialog(appId, 1, [owner]);
      expect(ids((await store.dialogs.listFor(appId, viewer, dialogQuery())).map((view) => view.dialog))).toEqual([broadcast.id]);
      await store.dialogs.hideFor(appId, broadcast.id, viewer);
      expect(await store.dialogs.member(appId, broadcast.id, viewer)).toMatchObject({ isMember: false, hidden: true });
      expect(await store.dialogs.listFor(appId, viewer, dialogQuery())).toEqual([]);
      expect(await store.dialogs.countFor(appId, viewer, { conditions: [] })).toBe(0);
      expect(ids((await store.dialogs.listFor(appId, other, dialogQuery())).map((view) => view.dialog))).toEqual([broadcast.id]);
      expect(await store.dialogs.memberIds(appId, broadcast.id, 10, 0)).toEqual([owner]);
      expect((await store.dialogs.findById(appId, broadcast.id))?.subscribersCount).toBe(1);
      await send(broadcast, owner);
      await expectConsistent(appId, broadcast.id);
    });

    it('setNotifications switches one member’s notifications', async () => {
      const appId = await createApp();
      const [a = 0, b = 0, outsider = 0] = users(3);
      const dialog = await makeDialog(appId, 2, [a, b]);
      await store.dialogs.setNotifications(appId, dialog.id, a, false);
      expect(await store.dialogs.member(appId, dialog.id, a)).toEqual({ isMember: true, hidden: false, unreadCount: 0, clearedSeq: 0, joinedSeq: 0, notifications: false });
      expect((await store.dialogs.member(appId, dialog.id, b))?.notifications).toBe(true);
      await store.dialogs.setNotifications(appId, dialog.id, a, true);
      expect((await store.dialogs.member(appId, dialog.id, a))?.notifications).toBe(true);

      // A non-member's setting is kept without making them a member.
      await store.dialogs.setNotifications(appId, dialog.id, outsider, false);
      expect(await store.dialogs.member(appId, dialog.id, outsider)).toMatchObject({ isMember: false, notifications: false });
      expect(await store.dialogs.memberIds(appId, dialog.id, 10, 0)).toEqual([a, b].sort(byNumber));
      expect(await store.dialogs.listFor(appId, outsider, dialogQuery())).toEqual([]);
    });

    it('memberIds pages through members in id order', async () => {
      const appId = await createApp();
      const members = users(5);
      const dialog = await makeDialog(appId, 2, [...members].reverse());
      expect(await store.dialogs.memberIds(appId, dialog.id, 2, 0)).toEqual(members.slice(0, 2));
      expect(await store.dialogs.memberIds(appId, dialog.id, 2, 2)).toEqual(members.slice(2, 4));
      expect(await store.dialogs.memberIds(appId, dialog.id, 10, 4)).toEqual(members.slice(4));
      expect(await store.dialogs.memberIds(appId, dialog.id, 10, 5)).toEqual([]);
    });

    it('delete removes the dialog with its members, messages, receipts and reactions, and nothing else', async () => {
      const appId = await createApp();
      const [a = 0, b = 0] = users(2);
      const doomed = await makeDialog(appId, 2, [a, b]);
      const kept = await makeDialog(appId, 2, [a, b]);
      const doomedMessage = await send(doomed, a);
      const keptMessage = await send(kept, a);
      await mark(appId, doomed.id, b, undefined, { read: true });
      await mark(appId, kept.id, b, undefined, { read: true });
      await store.messages.react(appId, doomedMessage.id, b, { add: 'x' }, T0);
      await store.messages.react(appId, keptMessage.id, b, { add: 'x' }, T0);

      expect(await store.dialogs.delete(appId, doomed.id)).toBe(true);
      expect(await store.dialogs.findById(appId, doomed.id)).toBeUndefined();
      expect(await store.dialogs.member(appId, doomed.id, a)).toBeUndefined();
      expect(await store.messages.findById(appId, doomedMessage.id)).toBeUndefined();
      expect(await store.messages.receipts(appId, [doomedMessage.id])).toEqual(new Map());
      expect(await store.messages.reactions(appId, [doomedMessage.id])).toEqual(new Map());
      expect(ids((await store.dialogs.listFor(appId, a, dialogQuery())).map((view) => view.dialog))).toEqual([kept.id]);
      expect(await store.dialogs.delete(appId, doomed.id)).toBe(false);

      expect(await store.messages.findById(appId, keptMessage.id)).toEqual({ ...keptMessage, updatedAt: MARKED_AT });
      expect(await store.messages.receipts(appId, [keptMessage.id])).toEqual(new Map([[keptMessage.id, { readIds: [b], deliveredIds: [b] }]]));
      expect(await store.messages.reactions(appId, [keptMessage.id])).toEqual(new Map([[keptMessage.id, [{ userId: b, reaction: 'x' }]]]));
      await expectConsistent(appId, kept.id);
    });
  });

  describe('dialogs: listFor and countFor', () => {
    let appId: number;
    let viewer: number;
    let w: number;
    let x: number;
    let y: number;
    /** Visible to the viewer, in id (creation) order. */
    let A: DialogRecord, B: DialogRecord, C: DialogRecord, D: DialogRecord, E: DialogRecord, F: DialogRecord;
    /** Not visible to the viewer. */
    let secret: DialogRecord, hiddenBroadcast: DialogRecord, hiddenPrivate: DialogRecord;

    beforeAll(async () => {
      appId = await createApp();
      [viewer = 0, w = 0, x = 0, y = 0] = users(4);
      A = await makeDialog(appId, 2, [viewer, w], { name: 'Alpha team', extensions: { color: 'red', size: 'L' }, createdAt: T0 + 1000, updatedAt: T0 + 9000 });
      B = await makeDialog(appId, 2, [w, viewer, x], { name: 'Beta team', extensions: { color: 'blue' }, createdAt: T0 + 2000, updatedAt: T0 + 8000 });
      C = await makeDialog(appId, 3, [viewer, x], { createdAt: T0 + 3000, updatedAt: T0 + 7000 });
      D = await makeDialog(appId, 4, [w, viewer], { name: 'Gamma public', extensions: { color: 'green' }, createdAt: T0 + 4000, updatedAt: T0 + 6000 });
      E = await makeDialog(appId, 1, [w], { name: 'Delta news', createdAt: T0 + 5000, updatedAt: T0 + 10_000 });
      F = await makeDialog(appId, 5, [viewer, y], { name: 'Epsilon meet', createdAt: T0 + 5000, updatedAt: T0 + 5500 });
      secret = await makeDialog(appId, 2, [w, x], { name: 'Alpha secret' });
      hiddenBroadcast = await makeDialog(appId, 1, [w], { name: 'Hidden news' });
      await store.dialogs.hideFor(appId, hiddenBroadcast.id, viewer);
      hiddenPrivate = await makeDialog(appId, 3, [viewer, y]);
      await store.dialogs.hideFor(appId, hiddenPrivate.id, viewer);
      // Last messages, created before the dialogs' updated_at so updated_at stays as set.
      await send(A, w, { dateSent: S0 + 100, createdAt: T0 });
      await send(B, x, { dateSent: S0 + 50, createdAt: T0 });
    });

    const listedFor = async (userId: number, conditions: DialogCondition[] = [], sort?: DialogQuery['sort'], limit?: number, offset?: number) =>
      (await store.dialogs.listFor(appId, userId, dialogQuery(conditions, sort, limit, offset))).map((view) => view.dialog.id);
    const listed = (conditions: DialogCondition[], sort?: DialogQuery['sort'], limit?: number, offset?: number) => listedFor(viewer, conditions, sort, limit, offset);

    it('lists member dialogs of every type plus every broadcast, minus hidden ones, with the viewer’s state', async () => {
      const views = await store.dialogs.listFor(appId, viewer, dialogQuery());
      expect(views.map((view) => view.dialog.id)).toEqual(ids([A, B, C, D, E, F]));
      expect(views.map((view) => view.dialog)).toEqual(await Promise.all(ids([A, B, C, D, E, F]).map((id) => store.dialogs.findById(appId, id))));
      const byId = new Map(views.map((view) => [view.dialog.id, view.member]));
      expect(byId.get(A.id)).toEqual({ isMember: true, hidden: false, unreadCount: 1, clearedSeq: 0, joinedSeq: 0, notifications: true });
      expect(byId.get(D.id)).toMatchObject({ isMember: true });
      expect(byId.get(E.id)).toBeUndefined();
      expect(await store.dialogs.countFor(appId, viewer, { conditions: [] })).toBe(6);
      expect(await listedFor(x)).toEqual(ids([B, C, E, secret, hiddenBroadcast]));
      expect(await listedFor(y)).toEqual(ids([E, F, hiddenBroadcast, hiddenPrivate]));
    });

    it('a user who is in nothing still sees every broadcast they did not hide', async () => {
      const [stranger = 0] = users(1);
      const broadcasts = await store.dialogs.listFor(appId, stranger, dialogQuery());
      expect(broadcasts.map((view) => [view.dialog.id, view.member])).toEqual([
        [E.id, undefined],
        [hiddenBroadcast.id, undefined],
      ]);
      expect(await store.dialogs.countFor(appId, stranger, { conditions: [] })).toBe(2);
    });

    const cases: [string, () => DialogCondition[], () => DialogRecord[]][] = [
      ['_id eq', () => [{ field: '_id', op: 'eq', value: A.id }], () => [A]],
      ['_id ne', () => [{ field: '_id', op: 'ne', value: A.id }], () => [B, C, D, E, F]],
      ['_id in (ids the viewer cannot see are ignored)', () => [{ field: '_id', op: 'in', values: [A.id, C.id, secret.id, nextId()] }], () => [A, C]],
      ['_id nin', () => [{ field: '_id', op: 'nin', values: [A.id, C.id] }], () => [B, D, E, F]],
      ['_id gt', () => [{ field: '_id', op: 'gt', value: C.id }], () => [D, E, F]],
      ['_id gte', () => [{ field: '_id', op: 'gte', value: C.id }], () => [C, D, E, F]],
      ['_id lt', () => [{ field: '_id', op: 'lt', value: C.id }], () => [A, B]],
      ['_id lte', () => [{ field: '_id', op: 'lte', value: C.id }], () => [A, B, C]],
      ['_id ctn', () => [{ field: '_id', op: 'ctn', value: D.id.slice(-6) }], () => [D]],
      ['type eq', () => [{ field: 'type', op: 'eq', value: 2 }], () => [A, B]],
      ['type ne', () => [{ field: 'type', op: 'ne', value: 2 }], () => [C, D, E, F]],
      ['type in', () => [{ field: 'type', op: 'in', values: [1, 4] }], () => [D, E]],
      ['type nin', () => [{ field: 'type', op: 'nin', values: [2, 3] }], () => [D, E, F]],
      ['type gt', () => [{ field: 'type', op: 'gt', value: 3 }], () => [D, F]],
      ['type gte', () => [{ field: 'type', op: 'gte', value: 4 }], () => [D, F]],
      ['type lt', () => [{ field: 'type', op: 'lt', value: 2 }], () => [E]],
      ['type lte', () => [{ field: 'type', op: 'lte', value: 2 }], () => [A, B, E]],
      ['name eq', () => [{ field: 'name', op: 'eq', value: 'Gamma public' }], () => [D]],
      ['name ne (a dialog without a name matches)', () => [{ field: 'name', op: 'ne', value: 'Alpha team' }], () => [B, C, D, E, F]],
      ['name in', () => [{ field: 'name', op: 'in', values: ['Alpha team', 'Delta news', 'Alpha secret'] }], () => [A, E]],
      ['name nin (a dialog without a name matches)', () => [{ field: 'name', op: 'nin', values: ['Alpha team', 'Beta team'] }], () => [C, D, E, F]],
      ['name ctn is a case-sensitive substring', () => [{ field: 'name', op: 'ctn', value: 'team' }], () => [A, B]],
      ['name ctn in another case matches nothing', () => [{ field: 'name', op: 'ctn', value: 'alpha' }], () => []],
      ['name lt', () => [{ field: 'name', op: 'lt', value: 'C' }], () => [A, B]],
      ['last_message_date_sent gt', () => [{ field: 'last_message_date_sent', op: 'gt', value: S0 + 60 }], () => [A]],
      ['last_message_date_sent gte', () => [{ field: 'last_message_date_sent', op: 'gte', value: S0 + 50 }], () => [A, B]],
      ['last_message_date_sent lt', () => [{ field: 'last_message_date_sent', op: 'lt', value: S0 + 100 }], () => [B]],
      ['last_message_date_sent lte', () => [{ field: 'last_message_date_sent', op: 'lte', value: S0 + 100 }], () => [A, B]],
      ['last_message_date_sent eq', () => [{ field: 'last_message_date_sent', op: 'eq', value: S0 + 50 }], () => [B]],
      ['last_message_date_sent ne (dialogs without messages match)', () => [{ field: 'last_message_date_sent', op: 'ne', value: S0 + 50 }], () => [A, C, D, E, F]],
      ['last_message_date_sent in', () => [{ field: 'last_message_date_sent', op: 'in', values: [S0 + 50, S0 + 100] }], () => [A, B]],
      ['last_message_date_sent nin (dialogs without messages match)', () => [{ field: 'last_message_date_sent', op: 'nin', values: [S0 + 50] }], () => [A, C, D, E, F]],
      ['created_at gte', () => [{ field: 'created_at', op: 'gte', value: T0 + 3000 }], () => [C, D, E, F]],
      ['created_at lt', () => [{ field: 'created_at', op: 'lt', value: T0 + 2000 }], () => [A]],
      ['created_at eq', () => [{ field: 'created_at', op: 'eq', value: T0 + 5000 }], () => [E, F]],
      ['created_at in', () => [{ field: 'created_at', op: 'in', values: [T0 + 1000, T0 + 4000] }], () => [A, D]],
      ['updated_at gt', () => [{ field: 'updated_at', op: 'gt', value: T0 + 7500 }], () => [A, B, E]],
      ['updated_at lte', () => [{ field: 'updated_at', op: 'lte', value: T0 + 6000 }], () => [D, F]],
      ['updated_at ne', () => [{ field: 'updated_at', op: 'ne', value: T0 + 9000 }], () => [B, C, D, E, F]],
      ['user_id (owner) eq', () => [{ field: 'user_id', op: 'eq', value: w }], () => [B, D, E]],
      ['user_id (owner) in', () => [{ field: 'user_id', op: 'in', values: [w, x] }], () => [B, D, E]],
      ['user_id (owner) nin', () => [{ field: 'user_id', op: 'nin', values: [w] }], () => [A, C, F]],
      ['occupants_ids in', () => [{ field: 'occupants_ids', op: 'in', values: [x, y] }], () => [B, C, F]],
      ['occupants_ids in (subscribers of 1 and 4 count)', () => [{ field: 'occupants_ids', op: 'in', values: [w] }], () => [A, B, D, E]],
      ['occupants_ids all', () => [{ field: 'occupants_ids', op: 'all', values: [viewer, x] }], () => [B, C]],
      ['occupants_ids nin', () => [{ field: 'occupants_ids', op: 'nin', values: [w] }], () => [C, F]],
      ['occupants_ids empty in matches nothing', () => [{ field: 'occupants_ids', op: 'in', values: [] }], () => []],
      ['occupants_ids empty nin matches everything', () => [{ field: 'occupants_ids', op: 'nin', values: [] }], () => [A, B, C, D, E, F]],
      ['extension eq', () => [{ field: 'extension', key: 'color', op: 'eq', value: 'red' }], () => [A]],
      ['extension ne (dialogs without the field match)', () => [{ field: 'extension', key: 'color', op: 'ne', value: 'red' }], () => [B, C, D, E, F]],
      ['extension ctn', () => [{ field: 'extension', key: 'color', op: 'ctn', value: 're' }], () => [A, D]],
      ['extension in', () => [{ field: 'extension', key: 'color', op: 'in', values: ['red', 'blue'] }], () => [A, B]],
      ['extension nin (dialogs without the field match)', () => [{ field: 'extension', key: 'color', op: 'nin', values: ['red'] }], () => [B, C, D, E, F]],
      ['extension on a second key', () => [{ field: 'extension', key: 'size', op: 'eq', value: 'L' }], () => [A]],
      ['several conditions are all required', () => [{ field: 'type', op: 'eq', value: 2 }, { field: 'extension', key: 'color', op: 'ne', value: 'red' }], () => [B]],
      ['empty in matches nothing', () => [{ field: 'type', op: 'in', values: [] }], () => []],
      ['empty nin matches everything', () => [{ field: 'type', op: 'nin', values: [] }], () => [A, B, C, D, E, F]],
    ];

    for (const [name, conditions, expected] of cases) {
      it(`filters: ${name}`, async () => {
        const wanted = ids(expected());
        expect(await listed(conditions())).toEqual(wanted);
        expect(await store.dialogs.countFor(appId, viewer, { conditions: conditions() })).toBe(wanted.length);
      });
    }

    it('sorts by each field in both directions, ties by id in the same direction', async () => {
      const named: DialogCondition[] = [{ field: 'type', op: 'ne', value: 3 }];
      expect(await listed([], { field: '_id', direction: 'asc' })).toEqual(ids([A, B, C, D, E, F]));
      expect(await listed([], { field: '_id', direction: 'desc' })).toEqual(ids([F, E, D, C, B, A]));
      expect(await listed(named, { field: 'name', direction: 'asc' })).toEqual(ids([A, B, E, F, D]));
      expect(await listed(named, { field: 'name', direction: 'desc' })).toEqual(ids([D, F, E, B, A]));
      expect(await listed([], { field: 'created_at', direction: 'asc' })).toEqual(ids([A, B, C, D, E, F]));
      expect(await listed([], { field: 'created_at', direction: 'desc' })).toEqual(ids([F, E, D, C, B, A]));
      expect(await listed([], { field: 'updated_at', direction: 'asc' })).toEqual(ids([F, D, C, B, A, E]));
      expect(await listed([], { field: 'updated_at', direction: 'desc' })).toEqual(ids([E, A, B, C, D, F]));
      const withMessages: DialogCondition[] = [{ field: 'last_message_date_sent', op: 'gte', value: 0 }];
      expect(await listed(withMessages, { field: 'last_message_date_sent', direction: 'asc' })).toEqual(ids([B, A]));
      expect(await listed(withMessages, { field: 'last_message_date_sent', direction: 'desc' })).toEqual(ids([A, B]));
    });

    it('pages with limit and offset after sorting', async () => {
      expect(await listed([], { field: '_id', direction: 'asc' }, 2, 2)).toEqual(ids([C, D]));
      expect(await listed([], { field: 'updated_at', direction: 'desc' }, 3, 0)).toEqual(ids([E, A, B]));
      expect(await listed([], { field: 'updated_at', direction: 'desc' }, 3, 3)).toEqual(ids([C, D, F]));
      expect(await listed([], { field: '_id', direction: 'asc' }, 10, 6)).toEqual([]);
      expect(await store.dialogs.countFor(appId, viewer, { conditions: [] })).toBe(6);
    });

    it('orders dialogs without a last message or a name the same on every engine (first ascending, last descending)', async () => {
      expect(await listed([], { field: 'last_message_date_sent', direction: 'asc' })).toEqual(ids([C, D, E, F, B, A]));
      expect(await listed([], { field: 'last_message_date_sent', direction: 'desc' })).toEqual(ids([A, B, F, E, D, C]));
      expect(await listed([], { field: 'name', direction: 'asc' })).toEqual(ids([C, A, B, E, F, D]));
    });

    it('matches ctn on a numeric field against its decimal text instead of failing', async () => {
      expect(await listed([{ field: 'type', op: 'ctn', value: '2' }])).toEqual(ids([A, B]));
      expect(await store.dialogs.countFor(appId, viewer, { conditions: [{ field: 'user_id', op: 'ctn', value: String(w) }] })).toBe(3);
    });
  });

  describe('messages: create', () => {
    it('stores a message, hands it back with its seq and finds it by id', async () => {
      const appId = await createApp();
      const [a = 0, b = 0] = users(2);
      const dialog = await makeDialog(appId, 3, [a, b]);
      const id = nextId();
      const { message, created } = await create(dialog, a, {
        id,
        body: 'first',
        dateSent: S0 + 5,
        recipientId: b,
        attachments: [{ type: 'image', uid: 'u1' }],
        custom: { mood: 'happy', nested: { n: 1 } },
        markable: true,
        createdAt: T0 + 10,
      });
      expect(created).toBe(true);
      expect(message).toEqual({
        id,
        appId,
        dialogId: dialog.id,
        seq: expect.any(Number),
        senderId: a,
        recipientId: b,
        body: 'first',
        dateSent: S0 + 5,
        attachments: [{ type: 'image', uid: 'u1' }],
        custom: { mood: 'happy', nested: { n: 1 } },
        markable: true,
        createdAt: T0 + 10,
        updatedAt: T0 + 10,
      });
      expect(await store.messages.findById(appId, id)).toEqual(message);
      expect(await store.messages.findByIds(appId, [id, nextId()])).toEqual([message]);
      expect(await store.messages.findByIds(appId, [])).toEqual([]);
      expect(await store.messages.findById(appId, nextId())).toBeUndefined();
      const second = await send(dialog, b, { body: null });
      expect(second.seq).toBeGreaterThan(message.seq);
      expect(second.body).toBeNull();
      expect(second.custom).toEqual({});
    });

    it('is idempotent by id: a second create changes nothing and returns the stored message with created: false', async () => {
      const appId = await createApp();
      const [a = 0, b = 0, c = 0] = users(3);
      const dialog = await makeDialog(appId, 2, [a, b, c]);
      const original = await send(dialog, a, { body: 'original', dateSent: S0 + 10, createdAt: T0 + 100 });
      const dialogAfterFirst = await store.dialogs.findById(appId, dialog.id);

      const again = await create(dialog, a, { id: original.id, body: 'changed', dateSent: S0 + 999, createdAt: T0 + 99_999 });
      expect(again).toEqual({ message: original, created: false });
      expect(await store.messages.count(appId, dialog.id, { userId: a, clearedSeq: 0 }, [])).toBe(1);
      expect(await store.messages.findById(appId, original.id)).toEqual(original);
      expect(await store.dialogs.findById(appId, dialog.id)).toEqual(dialogAfterFirst);
      expect(await unread(appId, dialog.id, b)).toBe(1);
      await expectConsistent(appId, dialog.id);
    });

    it('refuses an id already used in another dialog, changing nothing', async () => {
      const appId = await createApp();
      const [a = 0, b = 0] = users(2);
      const first = await makeDialog(appId, 2, [a, b]);
      const second = await makeDialog(appId, 2, [a, b]);
      const taken = await send(first, a);
      const before = await store.dialogs.findById(appId, second.id);
      expect(await rejection(create(second, a, { id: taken.id }))).toBeInstanceOf(UniqueViolation);
      expect(await store.dialogs.findById(appId, second.id)).toEqual(before);
      expect(await store.messages.count(appId, second.id, { userId: a, clearedSeq: 0 }, [])).toBe(0);
      expect(await store.messages.findById(appId, taken.id)).toEqual(taken);
      await expectConsistent(appId, second.id);
    });

    it('refuses a message for an unknown dialog, storing nothing', async () => {
      const appId = await createApp();
      const [a = 0] = users(1);
      const ghost = { ...(await makeDialog(appId, 2, [a])), id: nextId() };
      const id = nextId();
      await rejection(create(ghost, a, { id }));
      expect(await store.messages.findById(appId, id)).toBeUndefined();
    });

    it('moves the last message forward only for a newer (date_sent, id)', async () => {
      const appId = await createApp();
      const [a = 0, b = 0] = users(2);
      const dialog = await makeDialog(appId, 2, [a, b]);
      const last = async () => (await store.dialogs.findById(appId, dialog.id))?.lastMessage;

      const m1 = await send(dialog, a, { body: 'one', dateSent: S0 + 100 });
      expect(await last()).toEqual({ id: m1.id, body: 'one', userId: a, dateSent: S0 + 100 });
      await send(dialog, b, { body: 'older', dateSent: S0 + 90 });
      expect((await last())?.id).toBe(m1.id);
      await send(dialog, b, { id: lowerId(), body: 'same second, lower id', dateSent: S0 + 100 });
      expect((await last())?.id).toBe(m1.id);
      const m2 = await send(dialog, b, { body: 'same second, higher id', dateSent: S0 + 100 });
      expect(await last()).toEqual({ id: m2.id, body: 'same second, higher id', userId: b, dateSent: S0 + 100 });
      const m3 = await send(dialog, a, { body: null, dateSent: S0 + 101 });
      expect(await last()).toEqual({ id: m3.id, body: null, userId: a, dateSent: S0 + 101 });
      await expectConsistent(appId, dialog.id);
    });

    it('bumps updated_at to the message’s creation time, never backwards', async () => {
      const appId = await createApp();
      const [a = 0, b = 0] = users(2);
      const dialog = await makeDialog(appId, 2, [a, b], { createdAt: T0, updatedAt: T0 + 500 });
      await send(dialog, a, { createdAt: T0 + 1234 });
      expect((await store.dialogs.findById(appId, dialog.id))?.updatedAt).toBe(T0 + 1234);
      await send(dialog, a, { createdAt: T0 + 1000 });
      expect((await store.dialogs.findById(appId, dialog.id))?.updatedAt).toBe(T0 + 1234);
    });

    it('increments the unread counter of other members only', async () => {
      const appId = await createApp();
      const [a = 0, b = 0, c = 0, outsider = 0] = users(4);
      const dialog = await makeDialog(appId, 2, [a, b, c]);
      await send(dialog, a);
      await send(dialog, a);
      await send(dialog, b);
      expect([await unread(appId, dialog.id, a), await unread(appId, dialog.id, b), await unread(appId, dialog.id, c)]).toEqual([1, 2, 3]);
      expect(await store.dialogs.member(appId, dialog.id, outsider)).toBeUndefined();
      await expectConsistent(appId, dialog.id);

      // Broadcast: subscribers count, other users of the app have no counter.
      const broadcast = await makeDialog(appId, 1, [a, b]);
      await send(broadcast, a);
      expect(await unread(appId, broadcast.id, b)).toBe(1);
      expect(await unread(appId, broadcast.id, a)).toBe(0);
      expect(await store.dialogs.member(appId, broadcast.id, c)).toBeUndefined();
      expect((await store.messages.unreadCounts(appId, c, [broadcast.id])).byDialog.get(broadcast.id)).toBe(0);
      await expectConsistent(appId, broadcast.id);
    });
  });

  describe('messages: read and delivered marks', () => {
    it('mark by ids decrements unread exactly and records receipts', async () => {
      const appId = await createApp();
      const [a = 0, b = 0, c = 0] = users(3);
      const dialog = await makeDialog(appId, 2, [a, b, c]);
      const m1 = await send(dialog, a, { dateSent: S0 + 1 });
      const m2 = await send(dialog, a, { dateSent: S0 + 2 });
      const m3 = await send(dialog, a, { dateSent: S0 + 3 });
      const m4 = await send(dialog, b, { dateSent: S0 + 4 });
      expect(Object.fromEntries(await expectConsistent(appId, dialog.id))).toEqual({ [a]: 1, [b]: 3, [c]: 4 });

      const updatedAt = async (message: MessageRecord) => (await store.messages.findById(appId, message.id))?.updatedAt;
      await mark(appId, dialog.id, c, [m1.id, m2.id], { read: true }, MARKED_AT);
      expect(await unread(appId, dialog.id, c)).toBe(2);
      expect((await store.messages.receipts(appId, [m1.id])).get(m1.id)).toEqual({ readIds: [c], deliveredIds: [c] });
      // A read moves updated_at (rest.md §4.13); unmarked messages keep theirs.
      expect([await updatedAt(m1), await updatedAt(m2), await updatedAt(m3)]).toEqual([MARKED_AT, MARKED_AT, m3.updatedAt]);
      await expectConsistent(appId, dialog.id);

      await mark(appId, dialog.id, c, [m1.id, m2.id], { read: true }, MARKED_AT + 1);
      expect(await unread(appId, dialog.id, c)).toBe(2);
      expect(await updatedAt(m1)).toBe(MARKED_AT);

      await mark(appId, dialog.id, c, [m4.id], { delivered: true }, MARKED_AT + 2);
      expect(await unread(appId, dialog.id, c)).toBe(2);
      expect((await store.messages.receipts(appId, [m4.id])).get(m4.id)).toEqual({ readIds: [], deliveredIds: [c] });
      expect(await updatedAt(m4)).toBe(MARKED_AT + 2);

      // Own messages are never marked.
      await mark(appId, dialog.id, a, [m1.id], { read: true }, MARKED_AT + 3);
      expect((await store.messages.receipts(appId, [m1.id])).get(m1.id)).toEqual({ readIds: [c], deliveredIds: [c] });
      expect(await unread(appId, dialog.id, a)).toBe(1);
      expect(await updatedAt(m1)).toBe(MARKED_AT);

      await mark(appId, dialog.id, b, [m1.id], { read: true });
      expect((await store.messages.receipts(appId, [m1.id, m3.id])).get(m1.id)).toEqual({ readIds: [b, c].sort(byNumber), deliveredIds: [b, c].sort(byNumber) });
      expect(Object.fromEntries(await expectConsistent(appId, dialog.id))).toEqual({ [a]: 1, [b]: 2, [c]: 2 });

      // Empty lists and empty marks change nothing.
      await mark(appId, dialog.id, b, [], { read: true });
      await mark(appId, dialog.id, b, [m2.id], {});
      expect(await unread(appId, dialog.id, b)).toBe(2);
      await expectConsistent(appId, dialog.id);
    });

    it('mark "all" (no ids) reads or delivers every message of the dialog', async () => {
      const appId = await createApp();
      const [a = 0, b = 0, c = 0] = users(3);
      const dialog = await makeDialog(appId, 2, [a, b, c]);
      const m1 = await send(dialog, a, { dateSent: S0 + 1 });
      const m2 = await send(dialog, b, { dateSent: S0 + 2 });
      const m3 = await send(dialog, a, { dateSent: S0 + 3 });

      await mark(appId, dialog.id, c, undefined, { delivered: true });
      expect(await unread(appId, dialog.id, c)).toBe(3);
      const delivered = await store.messages.receipts(appId, [m1.id, m2.id, m3.id]);
      expect([m1, m2, m3].map((message) => delivered.get(message.id))).toEqual([m1, m2, m3].map(() => ({ readIds: [], deliveredIds: [c] })));

      await mark(appId, dialog.id, c, undefined, { read: true });
      expect(await unread(appId, dialog.id, c)).toBe(0);
      await mark(appId, dialog.id, b, undefined, { read: true });
      expect(await unread(appId, dialog.id, b)).toBe(0);
      const read = await store.messages.receipts(appId, [m1.id, m2.id, m3.id]);
      expect(read.get(m1.id)).toEqual({ readIds: [b, c].sort(byNumber), deliveredIds: [b, c].sort(byNumber) });
      expect(read.get(m2.id)).toEqual({ readIds: [c], deliveredIds: [c] });
      expect(Object.fromEntries(await expectConsistent(appId, dialog.id))).toEqual({ [a]: 1, [b]: 0, [c]: 0 });

      const m4 = await send(dialog, a, { dateSent: S0 + 4 });
      expect(await unread(appId, dialog.id, c)).toBe(1);
      await mark(appId, dialog.id, c, undefined, { read: true });
      expect((await store.messages.receipts(appId, [m4.id])).get(m4.id)?.readIds).toEqual([c]);
      await expectConsistent(appId, dialog.id);
    });

    it('marking hidden or cleared messages read does not decrement twice', async () => {
      const appId = await createApp();
      const [a = 0, b = 0] = users(2);
      const dialog = await makeDialog(appId, 2, [a, b]);
      const m1 = await send(dialog, a, { dateSent: S0 + 1 });
      const m2 = await send(dialog, a, { dateSent: S0 + 2 });
      await send(dialog, a, { dateSent: S0 + 3 });
      await store.messages.hideFor(appId, dialog.id, b, [m1.id]);
      expect(await unread(appId, dialog.id, b)).toBe(2);
      await mark(appId, dialog.id, b, [m1.id, m2.id], { read: true });
      expect(await unread(appId, dialog.id, b)).toBe(1);
      await expectConsistent(appId, dialog.id);

      await store.messages.clearHistory(appId, dialog.id, b);
      const after = await send(dialog, a, { dateSent: S0 + 4 });
      expect(await unread(appId, dialog.id, b)).toBe(1);
      await mark(appId, dialog.id, b, [m1.id, m2.id], { read: true });
      await mark(appId, dialog.id, b, undefined, { delivered: true });
      expect(await unread(appId, dialog.id, b)).toBe(1);
      await mark(appId, dialog.id, b, [after.id], { read: true });
      expect(await unread(appId, dialog.id, b)).toBe(0);
      await expectConsistent(appId, dialog.id);
    });
  });

  describe('messages: hide, delete, clear history', () => {
    it('hideFor hides messages for one user and recounts their unread; the shared last message stays', async () => {
      const appId = await createApp();
      const [a = 0, b = 0, c = 0] = users(3);
      const dialog = await makeDialog(appId, 2, [a, b, c]);
      const m1 = await send(dialog, a, { dateSent: S0 + 1 });
      const m2 = await send(dialog, a, { dateSent: S0 + 2 });
      await store.messages.hideFor(appId, dialog.id, b, [m2.id]);
      expect(await history(appId, dialog.id, b)).toEqual([m1.id]);
      expect(await history(appId, dialog.id, c)).toEqual([m1.id, m2.id]);
      expect(await store.messages.count(appId, dialog.id, await viewerOf(appId, dialog.id, b), [])).toBe(1);
      expect(Object.fromEntries(await expectConsistent(appId, dialog.id))).toEqual({ [a]: 0, [b]: 1, [c]: 2 });
      expect((await store.dialogs.findById(appId, dialog.id))?.lastMessage?.id).toBe(m2.id);

      // Hiding an already read message, or nothing, leaves the counter alone.
      await mark(appId, dialog.id, c, [m1.id], { read: true });
      await store.messages.hideFor(appId, dialog.id, c, [m1.id]);
      await store.messages.hideFor(appId, dialog.id, c, []);
      expect(await unread(appId, dialog.id, c)).toBe(1);
      // The sender may hide their own message.
      await store.messages.hideFor(appId, dialog.id, a, [m1.id]);
      expect(await history(appId, dialog.id, a)).toEqual([m2.id]);
      await expectConsistent(appId, dialog.id);
    });

    it('deleteForEveryone removes messages with their receipts and reactions and recomputes the last message and unread', async () => {
      const appId = await createApp();
      const [a = 0, b = 0, c = 0] = users(3);
      const dialog = await makeDialog(appId, 2, [a, b, c]);
      const m1 = await send(dialog, a, { body: 'one', dateSent: S0 + 10 });
      const m2 = await send(dialog, a, { body: 'two', dateSent: S0 + 30 });
      const m3 = await send(dialog, b, { body: 'three', dateSent: S0 + 20 });
      const m4 = await send(dialog, c, { body: 'four', dateSent: S0 + 20, id: lowerId() });
      await mark(appId, dialog.id, c, [m2.id], { read: true });
      await store.messages.react(appId, m2.id, c, { add: '+1' }, T0);
      expect((await store.dialogs.findById(appId, dialog.id))?.lastMessage?.id).toBe(m2.id);

      await store.messages.deleteForEveryone(appId, dialog.id, [m2.id]);
      expect(await store.messages.findById(appId, m2.id)).toBeUndefined();
      expect(await store.messages.receipts(appId, [m2.id])).toEqual(new Map());
      expect(await store.messages.reactions(appId, [m2.id])).toEqual(new Map());
      // m3 and m4 share date_sent; m3 has the higher id.
      expect((await store.dialogs.findById(appId, dialog.id))?.lastMessage).toEqual({ id: m3.id, body: 'three', userId: b, dateSent: S0 + 20 });
      expect(Object.fromEntries(await expectConsistent(appId, dialog.id))).toEqual({ [a]: 2, [b]: 2, [c]: 2 });

      await store.messages.deleteForEveryone(appId, dialog.id, [m3.id]);
      expect((await store.dialogs.findById(appId, dialog.id))?.lastMessage?.id).toBe(m4.id);
      await store.messages.deleteForEveryone(appId, dialog.id, [m1.id, m4.id, nextId()]);
      expect((await store.dialogs.findById(appId, dialog.id))?.lastMessage).toBeNull();
      expect(await history(appId, dialog.id, a)).toEqual([]);
      expect(Object.fromEntries(await expectConsistent(appId, dialog.id))).toEqual({ [a]: 0, [b]: 0, [c]: 0 });
      await store.messages.deleteForEveryone(appId, dialog.id, []);
    });

    it('clearHistory for one user empties their history and counter; later messages count again', async () => {
      const appId = await createApp();
      const [a = 0, b = 0, c = 0] = users(3);
      const dialog = await makeDialog(appId, 2, [a, b, c]);
      const m1 = await send(dialog, a, { dateSent: S0 + 1 });
      const m2 = await send(dialog, a, { dateSent: S0 + 2 });
      await store.messages.clearHistory(appId, dialog.id, b);
      expect(await store.dialogs.member(appId, dialog.id, b)).toMatchObject({ unreadCount: 0, clearedSeq: m2.seq, hidden: false, isMember: true });
      expect(await history(appId, dialog.id, b)).toEqual([]);
      expect(await history(appId, dialog.id, c)).toEqual([m1.id, m2.id]);
      expect(Object.fromEntries(await expectConsistent(appId, dialog.id))).toEqual({ [a]: 0, [b]: 0, [c]: 2 });
      expect((await store.dialogs.findById(appId, dialog.id))?.lastMessage?.id).toBe(m2.id);

      const m3 = await send(dialog, a, { dateSent: S0 + 3 });
      expect(await history(appId, dialog.id, b)).toEqual([m3.id]);
      expect(Object.fromEntries(await expectConsistent(appId, dialog.id))).toEqual({ [a]: 0, [b]: 1, [c]: 3 });
    });

    it('clearHistory for everyone deletes the history; later messages count for everyone', async () => {
      const appId = await createApp();
      const [a = 0, b = 0, c = 0] = users(3);
      const dialog = await makeDialog(appId, 2, [a, b, c]);
      const m1 = await send(dialog, a, { dateSent: S0 + 1 });
      await send(dialog, b, { dateSent: S0 + 2 });
      await store.messages.react(appId, m1.id, b, { add: 'x' }, T0);
      await mark(appId, dialog.id, c, undefined, { read: true });
      await store.messages.clearHistory(appId, dialog.id, 'everyone');
      expect(await store.messages.findById(appId, m1.id)).toBeUndefined();
      expect(await store.messages.reactions(appId, [m1.id])).toEqual(new Map());
      expect((await store.dialogs.findById(appId, dialog.id))?.lastMessage).toBeNull();
      for (const userId of [a, b, c]) expect(await history(appId, dialog.id, userId)).toEqual([]);
      expect(Object.fromEntries(await expectConsistent(appId, dialog.id))).toEqual({ [a]: 0, [b]: 0, [c]: 0 });

      const later = await send(dialog, c, { dateSent: S0 + 3 });
      for (const userId of [a, b, c]) expect(await history(appId, dialog.id, userId)).toEqual([later.id]);
      expect(Object.fromEntries(await expectConsistent(appId, dialog.id))).toEqual({ [a]: 1, [b]: 1, [c]: 0 });
    });

    it('a message sent after the newest ones were deleted for everyone reaches a user who had cleared their history', async () => {
      const appId = await createApp();
      const [a = 0, b = 0] = users(2);
      const dialog = await makeDialog(appId, 2, [a, b]);
      await send(dialog, a, { dateSent: S0 + 1 });
      const newest = await send(dialog, a, { dateSent: S0 + 2 });
      await store.messages.clearHistory(appId, dialog.id, b);
      await store.messages.deleteForEveryone(appId, dialog.id, [newest.id]);
      const next = await send(dialog, a, { dateSent: S0 + 3 });
      expect(await history(appId, dialog.id, b)).toEqual([next.id]);
      await expectConsistent(appId, dialog.id);
    });

    it('a private dialog hidden by a user, then cleared for everyone, shows them the next message', async () => {
      const appId = await createApp();
      const [a = 0, b = 0] = users(2);
      const dialog = await makeDialog(appId, 3, [a, b]);
      await send(dialog, a, { dateSent: S0 + 1 });
      await send(dialog, a, { dateSent: S0 + 2 });
      await store.dialogs.hideFor(appId, dialog.id, b);
      await store.messages.clearHistory(appId, dialog.id, 'everyone');
      const next = await send(dialog, a, { dateSent: S0 + 3 });
      expect(await store.dialogs.member(appId, dialog.id, b)).toMatchObject({ hidden: false, unreadCount: 1 });
      expect(await history(appId, dialog.id, b)).toEqual([next.id]);
      await expectConsistent(appId, dialog.id);
    });

    describe('methods scoped to one dialog leave messages of another dialog alone', () => {
      async function twoDialogs() {
        const appId = await createApp();
        const [a = 0, b = 0] = users(2);
        const here = await makeDialog(appId, 2, [a, b]);
        const there = await makeDialog(appId, 2, [a, b]);
        await send(here, a);
        const unreadThere = await send(there, a, { dateSent: S0 + 1 });
        const readThere = await send(there, a, { dateSent: S0 + 2 });
        await mark(appId, there.id, b, [readThere.id], { read: true });
        await store.messages.react(appId, readThere.id, b, { add: 'x' }, T0);
        const records = await store.messages.findByIds(appId, [unreadThere.id, readThere.id]);
        const expectThereUnchanged = async () => {
          expect(await history(appId, there.id, b)).toEqual([unreadThere.id, readThere.id]);
          expect(await store.messages.findByIds(appId, [unreadThere.id, readThere.id])).toEqual(records);
          expect(await store.messages.receipts(appId, [unreadThere.id, readThere.id])).toEqual(new Map([[readThere.id, { readIds: [b], deliveredIds: [b] }]]));
          expect(await store.messages.reactions(appId, [readThere.id])).toEqual(new Map([[readThere.id, [{ userId: b, reaction: 'x' }]]]));
          expect(Object.fromEntries(await expectConsistent(appId, there.id))).toEqual({ [a]: 0, [b]: 1 });
          await expectConsistent(appId, here.id);
        };
        return { appId, a, b, here, unreadThere, readThere, expectThereUnchanged };
      }

      it('mark', async () => {
        const { appId, b, here, unreadThere, expectThereUnchanged } = await twoDialogs();
        await mark(appId, here.id, b, [unreadThere.id], { read: true, delivered: true });
        await expectThereUnchanged();
      });

      it('hideFor', async () => {
        const { appId, b, here, unreadThere, expectThereUnchanged } = await twoDialogs();
        await store.messages.hideFor(appId, here.id, b, [unreadThere.id]);
        await expectThereUnchanged();
      });

      it('deleteForEveryone', async () => {
        const { appId, here, unreadThere, readThere, expectThereUnchanged } = await twoDialogs();
        await store.messages.deleteForEveryone(appId, here.id, [unreadThere.id, readThere.id]);
        await expectThereUnchanged();
      });
    });
  });

  describe('messages: list, count, latest, updateBody, reactions', () => {
    let appId: number;
    let a: number;
    let b: number;
    let c: number;
    let dialog: DialogRecord;
    let m1: MessageRecord, m2: MessageRecord, m3: MessageRecord, m4: MessageRecord;

    beforeAll(async () => {
      appId = await createApp();
      [a = 0, b = 0, c = 0] = users(3);
      dialog = await makeDialog(appId, 2, [a, b, c]);
      m1 = await send(dialog, a, { body: 'alpha', dateSent: S0 + 10, attachments: [{ type: 'image' }], createdAt: T0 + 4 });
      m2 = await send(dialog, b, { body: 'beta', dateSent: S0 + 20, attachments: [{ type: 'video' }, { type: 'image' }], createdAt: T0 + 3 });
      m3 = await send(dialog, a, { body: null, dateSent: S0 + 30, attachments: [{ type: 'audio' }], createdAt: T0 + 2 });
      m4 = await send(dialog, c, { body: 'alphabet', dateSent: S0 + 20, createdAt: T0 + 1 });
    });

    const listIds = async (conditions: MessageCondition[], sort?: MessageQuery['sort'], limit?: number, offset?: number) =>
      ids(await store.messages.list(appId, dialog.id, { userId: a, clearedSeq: 0 }, messageQuery(conditions, sort, limit, offset)));

    it('lists by date_sent ascending with ties by id, and returns full records', async () => {
      expect(await listIds([])).toEqual(ids([m1, m2, m4, m3]));
      expect(await store.messages.list(appId, dialog.id, { userId: b, clearedSeq: 0 }, messageQuery())).toEqual([m1, m2, m4, m3]);
    });

    const cases: [string, () => MessageCondition[], () => MessageRecord[]][] = [
      ['_id eq', () => [{ field: '_id', op: 'eq', value: m2.id }], () => [m2]],
      ['_id in', () => [{ field: '_id', op: 'in', values: [m1.id, m3.id, nextId()] }], () => [m1, m3]],
      ['_id nin', () => [{ field: '_id', op: 'nin', values: [m1.id] }], () => [m2, m4, m3]],
      ['_id gt', () => [{ field: '_id', op: 'gt', value: m2.id }], () => [m4, m3]],
      ['message ctn', () => [{ field: 'message', op: 'ctn', value: 'alpha' }], () => [m1, m4]],
      ['message eq', () => [{ field: 'message', op: 'eq', value: 'beta' }], () => [m2]],
      ['message ne (no body matches)', () => [{ field: 'message', op: 'ne', value: 'beta' }], () => [m1, m4, m3]],
      ['message in', () => [{ field: 'message', op: 'in', values: ['alpha', 'beta'] }], () => [m1, m2]],
      ['message nin (no body matches)', () => [{ field: 'message', op: 'nin', values: ['alpha'] }], () => [m2, m4, m3]],
      ['date_sent gt', () => [{ field: 'date_sent', op: 'gt', value: S0 + 10 }], () => [m2, m4, m3]],
      ['date_sent gte', () => [{ field: 'date_sent', op: 'gte', value: S0 + 30 }], () => [m3]],
      ['date_sent lt', () => [{ field: 'date_sent', op: 'lt', value: S0 + 20 }], () => [m1]],
      ['date_sent lte', () => [{ field: 'date_sent', op: 'lte', value: S0 + 20 }], () => [m1, m2, m4]],
      ['date_sent eq', () => [{ field: 'date_sent', op: 'eq', value: S0 + 20 }], () => [m2, m4]],
      ['date_sent ne', () => [{ field: 'date_sent', op: 'ne', value: S0 + 20 }], () => [m1, m3]],
      ['sender_id eq', () => [{ field: 'sender_id', op: 'eq', value: a }], () => [m1, m3]],
      ['sender_id in', () => [{ field: 'sender_id', op: 'in', values: [b, c] }], () => [m2, m4]],
      ['sender_id nin', () => [{ field: 'sender_id', op: 'nin', values: [a] }], () => [m2, m4]],
      ['recipient_id eq', () => [{ field: 'recipient_id', op: 'eq', value: 0 }], () => [m1, m2, m4, m3]],
      ['created_at lte', () => [{ field: 'created_at', op: 'lte', value: T0 + 2 }], () => [m4, m3]],
      ['updated_at gt', () => [{ field: 'updated_at', op: 'gt', value: T0 + 2 }], () => [m1, m2]],
      ['attachments.type eq', () => [{ field: 'attachments.type', op: 'eq', value: 'image' }], () => [m1, m2]],
      ['attachments.type ne', () => [{ field: 'attachments.type', op: 'ne', value: 'image' }], () => [m4, m3]],
      ['attachments.type in', () => [{ field: 'attachments.type', op: 'in', values: ['audio', 'video'] }], () => [m2, m3]],
      ['attachments.type nin', () => [{ field: 'attachments.type', op: 'nin', values: ['image'] }], () => [m4, m3]],
      ['several conditions are all required', () => [{ field: 'sender_id', op: 'eq', value: a }, { field: 'date_sent', op: 'gt', value: S0 + 10 }], () => [m3]],
      ['empty in matches nothing', () => [{ field: 'sender_id', op: 'in', values: [] }], () => []],
    ];

    for (const [name, conditions, expected] of cases) {
      it(`filters: ${name}`, async () => {
        const wanted = ids(expected());
        expect(await listIds(conditions())).toEqual(wanted);
        expect(await store.messages.count(appId, dialog.id, { userId: a, clearedSeq: 0 }, conditions())).toBe(wanted.length);
      });
    }

    it('sorts by each field in both directions and pages', async () => {
      expect(await listIds([], { field: 'date_sent', direction: 'desc' })).toEqual(ids([m3, m4, m2, m1]));
      expect(await listIds([], { field: '_id', direction: 'asc' })).toEqual(ids([m1, m2, m3, m4]));
      expect(await listIds([], { field: '_id', direction: 'desc' })).toEqual(ids([m4, m3, m2, m1]));
      expect(await listIds([], { field: 'created_at', direction: 'asc' })).toEqual(ids([m4, m3, m2, m1]));
      expect(await listIds([], { field: 'updated_at', direction: 'desc' })).toEqual(ids([m1, m2, m3, m4]));
      expect(await listIds([], { field: 'date_sent', direction: 'asc' }, 2, 1)).toEqual(ids([m2, m4]));
      expect(await listIds([], { field: 'date_sent', direction: 'asc' }, 10, 4)).toEqual([]);
    });

    it('latest returns the newest messages oldest first, for every viewer alike', async () => {
      const other = await makeDialog(appId, 2, [a, b]);
      const o1 = await send(other, a, { dateSent: S0 + 1 });
      const o2 = await send(other, b, { dateSent: S0 + 3 });
      const o3 = await send(other, a, { dateSent: S0 + 2 });
      await store.messages.hideFor(appId, other.id, a, [o2.id]);
      await store.messages.clearHistory(appId, other.id, b);
      expect(ids(await store.messages.latest(appId, other.id, 2))).toEqual(ids([o3, o2]));
      expect(ids(await store.messages.latest(appId, other.id, 10))).toEqual(ids([o1, o3, o2]));
      expect(await store.messages.latest(appId, nextId(), 10)).toEqual([]);
    });

    it('updateBody changes the text and updated_at, and the dialog’s last message text when it is the last one', async () => {
      const other = await makeDialog(appId, 2, [a, b]);
      const first = await send(other, a, { body: 'first', dateSent: S0 + 1 });
      const last = await send(other, a, { body: 'last', dateSent: S0 + 2 });
      await store.messages.updateBody(appId, first.id, 'first, edited', T0 + 50_000);
      expect(await store.messages.findById(appId, first.id)).toEqual({ ...first, body: 'first, edited', updatedAt: T0 + 50_000 });
      expect((await store.dialogs.findById(appId, other.id))?.lastMessage?.body).toBe('last');
      await store.messages.updateBody(appId, last.id, 'last, edited', T0 + 60_000);
      expect((await store.dialogs.findById(appId, other.id))?.lastMessage).toEqual({ id: last.id, body: 'last, edited', userId: a, dateSent: S0 + 2 });
      await expectConsistent(appId, other.id);
    });

    it('reactions: add and remove are idempotent; a user may hold several different reactions', async () => {
      const other = await makeDialog(appId, 2, [a, b]);
      const message = await send(other, a);
      await store.messages.react(appId, message.id, a, { add: '👍' }, T0 + 1);
      await store.messages.react(appId, message.id, a, { add: '👍' }, T0 + 2);
      await store.messages.react(appId, message.id, b, { add: '👍' }, T0 + 3);
      await store.messages.react(appId, message.id, a, { add: '🔥' }, T0 + 4);
      expect((await store.messages.reactions(appId, [message.id])).get(message.id)).toEqual([
        { userId: a, reaction: '👍' },
        { userId: b, reaction: '👍' },
        { userId: a, reaction: '🔥' },
      ]);
      await store.messages.react(appId, message.id, b, { remove: '🔥' }, T0 + 5);
      await store.messages.react(appId, message.id, a, { remove: '👍' }, T0 + 6);
      await store.messages.react(appId, message.id, a, { remove: '👍' }, T0 + 7);
      await store.messages.react(appId, message.id, a, { add: '🎉', remove: '🔥' }, T0 + 8);
      expect((await store.messages.reactions(appId, [message.id, m1.id])).get(message.id)).toEqual([
        { userId: b, reaction: '👍' },
        { userId: a, reaction: '🎉' },
      ]);
      expect(await store.messages.reactions(appId, [])).toEqual(new Map());
      expect((await store.messages.reactions(appId, [m1.id])).has(m1.id)).toBe(false);
    });
  });

  describe('unread counts, search and searchDialogs', () => {
    it('unreadCounts gives the total over the user’s visible dialogs and one entry per requested dialog', async () => {
      const appId = await createApp();
      const [v = 0, w = 0, outsider = 0] = users(3);
      const g1 = await makeDialog(appId, 2, [v, w]);
      const g2 = await makeDialog(appId, 4, [w, v]);
      const p = await makeDialog(appId, 3, [v, w]);
      const foreign = await makeDialog(appId, 2, [w, outsider]);
      await send(g1, w);
      await send(g1, w);
      await send(g2, w);
      await send(p, w);
      await send(foreign, w);
      await send(g1, v);
      await store.dialogs.hideFor(appId, p.id, v);
      const unknown = nextId();
      const counts = await store.messages.unreadCounts(appId, v, [g1.id, g2.id, p.id, foreign.id, unknown]);
      expect(counts.total).toBe(3);
      expect(Object.fromEntries(counts.byDialog)).toEqual({ [g1.id]: 2, [g2.id]: 1, [p.id]: 0, [foreign.id]: 0, [unknown]: 0 });
      expect(await store.messages.unreadCounts(appId, v, [])).toEqual({ total: 3, byDialog: new Map() });
      expect((await store.messages.unreadCounts(appId, w, [])).total).toBe(1);
      expect(await store.messages.unreadCounts(appId, outsider + 1_000_000, [g1.id])).toEqual({ total: 0, byDialog: new Map([[g1.id, 0]]) });
      for (const dialog of [g1, g2, p, foreign]) await expectConsistent(appId, dialog.id);
    });

    describe('search', () => {
      let appId: number;
      let v: number;
      let w: number;
      let apollo: DialogRecord, gemini: DialogRecord, mercury: DialogRecord, cleared: DialogRecord, hidden: DialogRecord;
      let helloWorld: MessageRecord, helloThere: MessageRecord, sayHello: MessageRecord, fromGemini: MessageRecord, helloNew: MessageRecord;

      beforeAll(async () => {
        appId = await createApp();
        [v = 0, w = 0] = users(2);
        apollo = await makeDialog(appId, 2, [v, w], { name: 'Project Apollo', updatedAt: T0 + 5 });
        gemini = await makeDialog(appId, 2, [w, v], { name: 'Project Gemini', updatedAt: T0 + 4 });
        mercury = await makeDialog(appId, 2, [w], { name: 'Project Mercury', updatedAt: T0 + 3 });
        cleared = await makeDialog(appId, 2, [v, w], { name: 'Project Cleared', updatedAt: T0 + 2 });
        hidden = await makeDialog(appId, 2, [v, w], { name: 'Project Hidden', updatedAt: T0 + 1 });
        helloWorld = await send(apollo, w, { body: 'hello world', dateSent: S0 + 1000, createdAt: T0 });
        helloThere = await send(apollo, w, { body: 'Hello there', dateSent: S0 + 2000, createdAt: T0 });
        sayHello = await send(apollo, v, { body: 'say hello again', dateSent: S0 + 3000, createdAt: T0 });
        const hiddenMessage = await send(apollo, w, { body: 'hello hidden', dateSent: S0 + 3500, createdAt: T0 });
        await store.messages.hideFor(appId, apollo.id, v, [hiddenMessage.id]);
        fromGemini = await send(gemini, w, { body: 'hello from gemini', dateSent: S0 + 1500, createdAt: T0 });
        await send(mercury, w, { body: 'hello secret', dateSent: S0 + 2500, createdAt: T0 });
        await send(cleared, w, { body: 'hello old', dateSent: S0 + 500, createdAt: T0 });
        await store.messages.clearHistory(appId, cleared.id, v);
        helloNew = await send(cleared, w, { body: 'hello new', dateSent: S0 + 4000, createdAt: T0 });
        await store.dialogs.hideFor(appId, hidden.id, v);
      });

      const search = (text: string, extra: { dialogIds?: string[]; from?: number; to?: number; limit?: number } = {}) =>
        store.messages.search(appId, v, { text, limit: extra.limit ?? 100, ...extra }).then(ids);

      it('matches a case-sensitive substring in the user’s own history, newest first', async () => {
        expect(await search('hello')).toEqual(ids([helloNew, sayHello, fromGemini, helloWorld]));
        expect(await search('Hello')).toEqual(ids([helloThere]));
        expect(await search('secret')).toEqual([]);
        expect(await search('old')).toEqual([]);
        expect(await search('hidden')).toEqual([]);
        expect((await store.messages.search(appId, v, { text: 'world', limit: 10 }))[0]).toEqual(helloWorld);
      });

      it('keeps to the given dialogs, date bounds (inclusive) and limit', async () => {
        expect(await search('hello', { dialogIds: [gemini.id, mercury.id] })).toEqual(ids([fromGemini]));
        expect(await search('hello', { from: (S0 + 1500) * 1000, to: (S0 + 3000) * 1000 })).toEqual(ids([sayHello, fromGemini]));
        expect(await search('hello', { from: (S0 + 1001) * 1000 })).toEqual(ids([helloNew, sayHello, fromGemini]));
        expect(await search('hello', { to: (S0 + 1000) * 1000 })).toEqual(ids([helloWorld]));
        expect(await search('hello', { limit: 2 })).toEqual(ids([helloNew, sayHello]));
      });

      it('searchDialogs matches names of the user’s visible dialogs', async () => {
        const names = async (text: string, extra: { dialogIds?: string[] } = {}) =>
          (await store.messages.searchDialogs(appId, v, { text, limit: 100, ...extra })).map((dialog) => dialog.name);
        expect(await names('Project')).toEqual(['Project Apollo', 'Project Gemini', 'Project Cleared']);
        expect(await names('project')).toEqual([]);
        expect(await names('Mercury')).toEqual([]);
        expect(await names('Project', { dialogIds: [gemini.id, mercury.id] })).toEqual(['Project Gemini']);
        expect((await store.messages.searchDialogs(appId, v, { text: 'Apollo', limit: 10 }))[0]).toEqual(await store.dialogs.findById(appId, apollo.id));
        expect((await store.messages.searchDialogs(appId, w, { text: 'Project', limit: 100 })).length).toBe(5);
      });
    });

    it('searchDialogs finds a private dialog by the peer’s full_name, else login, never by the searcher’s own [A-53]', async () => {
      const appId = await createApp();
      const person = async (login: string, fullName: string | null) =>
        (await store.users.create(appId, {
          login, email: null, fullName, phone: null, website: null, customData: null, avatar: null, blobId: null, externalUserId: null, externalId: null,
          facebookId: null, twitterId: null, timezone: null, tags: [], isGuest: false, passwordHash: null, scram: null, createdAt: T0, updatedAt: T0, lastRequestAt: null,
        })).id;
      const [me, named, bare] = [await person('me-login', 'Searching Sam'), await person('named-login', 'Wanda Named'), await person('bare-login', '  ')];
      const withNamed = await makeDialog(appId, 3, [me, named]);
      const withBare = await makeDialog(appId, 3, [me, bare]);
      const found = async (userId: number, text: string) => ids(await store.messages.searchDialogs(appId, userId, { text, limit: 10 }));
      expect(await found(me, 'Wanda')).toEqual([withNamed.id]);
      expect(await found(me, 'named-login')).toEqual([]);
      expect(await found(me, 'bare-log')).toEqual([withBare.id]);
      expect(await found(me, 'Searching')).toEqual([]);
      expect(await found(named, 'Searching')).toEqual([withNamed.id]);
    });
  });

  describe('concurrent writers', () => {
    it('keeps counters, last message and idempotency exact under concurrent creates and marks', async () => {
      const appId = await createApp();
      const members = users(4);
      const dialog = await makeDialog(appId, 2, members);
      const resent = nextId();
      const work: Promise<unknown>[] = [];
      members.forEach((sender, index) => {
        for (let n = 0; n < 10; n += 1) work.push(create(dialog, sender, { dateSent: S0 + ((n * 7 + index * 3) % 11), createdAt: T0 + n }));
        work.push(mark(appId, dialog.id, sender, undefined, { read: true }));
        work.push(create(dialog, members[0] ?? 0, { id: resent, dateSent: S0 + 5 }));
      });
      const results = await Promise.all(work);
      const creations = results.filter((result): result is { created: boolean } => typeof result === 'object' && result !== null && 'created' in result);
      expect(creations.filter((result) => result.created).length).toBe(41);
      const stored = await store.messages.list(appId, dialog.id, { userId: 0, clearedSeq: 0 }, messageQuery());
      expect(stored.length).toBe(41);
      expect(new Set(ids(stored)).size).toBe(41);
      const newest = stored.reduce((best, message) => (message.dateSent > best.dateSent || (message.dateSent === best.dateSent && message.id > best.id) ? message : best));
      expect((await store.dialogs.findById(appId, dialog.id))?.lastMessage).toEqual({ id: newest.id, body: newest.body, userId: newest.senderId, dateSent: newest.dateSent });
      await expectConsistent(appId, dialog.id);
    });
  });

  describe('tenant isolation', () => {
    let appA: number;
    let appB: number;
    let a1: number;
    let a2: number;
    let b1: number;
    let dialogA: DialogRecord;
    let privateA: DialogRecord;
    let dialogB: DialogRecord;
    let messageA: MessageRecord;

    beforeAll(async () => {
      appA = await createApp();
      appB = await createApp();
      [a1 = 0, a2 = 0, b1 = 0] = users(3);
      dialogA = await makeDialog(appA, 2, [a1, a2], { name: 'Tenant dialog', adminIds: [a2] });
      privateA = await makeDialog(appA, 3, [a1, a2]);
      dialogB = await makeDialog(appB, 2, [b1], { name: 'Tenant B dialog' });
      messageA = await send(dialogA, a1, { body: 'tenant secret' });
      await send(privateA, a1, { body: 'tenant private' });
      await store.messages.react(appA, messageA.id, a2, { add: 'a' }, T0);
    });

    /** Everything app A's users can observe about their dialogs. */
    async function snapshotA() {
      const views = await Promise.all([a1, a2].map((userId) => store.dialogs.listFor(appA, userId, dialogQuery())));
      const messages = await Promise.all([dialogA, privateA].map((dialog) => store.messages.latest(appA, dialog.id, 100)));
      const messageIds = messages.flat().map((message) => message.id);
      return {
        views,
        messages,
        members: await Promise.all([a1, a2].map((userId) => store.dialogs.member(appA, dialogA.id, userId))),
        receipts: await store.messages.receipts(appA, messageIds),
        reactions: await store.messages.reactions(appA, messageIds),
        unread: await Promise.all([a1, a2].map((userId) => store.messages.unreadCounts(appA, userId, [dialogA.id, privateA.id]))),
      };
    }

    it('dialog reads with app B’s id see nothing of app A', async () => {
      expect(await store.dialogs.findById(appB, dialogA.id)).toBeUndefined();
      expect(await store.dialogs.findPrivate(appB, a1, a2)).toBeUndefined();
      expect(await store.dialogs.member(appB, dialogA.id, a1)).toBeUndefined();
      expect(await store.dialogs.listFor(appB, a1, dialogQuery())).toEqual([]);
      expect(await store.dialogs.listFor(appB, a1, dialogQuery([{ field: '_id', op: 'eq', value: dialogA.id }]))).toEqual([]);
      expect(await store.dialogs.countFor(appB, a1, { conditions: [] })).toBe(0);
      expect(await store.dialogs.memberIds(appB, dialogA.id, 10, 0)).toEqual([]);
      expect(ids((await store.dialogs.listFor(appB, b1, dialogQuery())).map((view) => view.dialog))).toEqual([dialogB.id]);
      // The same private pair may exist in another app.
      const privateB = await makeDialog(appB, 3, [a1, a2]);
      expect(await store.dialogs.findPrivate(appB, a2, a1)).toEqual(privateB);
      expect((await store.dialogs.findPrivate(appA, a2, a1))?.id).toBe(privateA.id);
    });

    it('dialog writes with app B’s id change nothing of app A', async () => {
      const before = await snapshotA();
      expect(await store.dialogs.update(appB, dialogA.id, { name: 'Hijacked', adminIds: [] })).toBeUndefined();
      expect(await store.dialogs.join(appB, dialogA.id, [b1], T0 + 1)).toBeUndefined();
      expect(await store.dialogs.leave(appB, dialogA.id, [a1, a2], T0 + 1)).toBeUndefined();
      await store.dialogs.hideFor(appB, dialogA.id, a1);
      await store.dialogs.hideFor(appB, privateA.id, a2);
      expect(await store.dialogs.delete(appB, dialogA.id)).toBe(false);
      expect(await snapshotA()).toEqual(before);
      expect(await store.dialogs.findById(appA, dialogA.id)).toEqual(before.views[0]?.find((view) => view.dialog.id === dialogA.id)?.dialog);
    });

    it('setNotifications with app B’s id leaves app A’s member state alone', async () => {
      const before = await snapshotA();
      await store.dialogs.setNotifications(appB, dialogA.id, a1, false).catch(() => undefined);
      expect(await snapshotA()).toEqual(before);
      expect(await store.dialogs.member(appB, dialogA.id, a1)).toBeUndefined();
    });

    it('message reads with app B’s id see nothing of app A', async () => {
      const viewer = { userId: a1, clearedSeq: 0 };
      expect(await store.messages.findById(appB, messageA.id)).toBeUndefined();
      expect(await store.messages.findByIds(appB, [messageA.id])).toEqual([]);
      expect(await store.messages.list(appB, dialogA.id, viewer, messageQuery())).toEqual([]);
      expect(await store.messages.count(appB, dialogA.id, viewer, [])).toBe(0);
      expect(await store.messages.latest(appB, dialogA.id, 10)).toEqual([]);
      expect(await store.messages.receipts(appB, [messageA.id])).toEqual(new Map());
      expect(await store.messages.reactions(appB, [messageA.id])).toEqual(new Map());
      expect(await store.messages.search(appB, a1, { text: 'tenant', limit: 10 })).toEqual([]);
      expect(await store.messages.searchDialogs(appB, a1, { text: 'Tenant', limit: 10 })).toEqual([]);
      expect(await store.messages.unreadCounts(appB, a2, [dialogA.id])).toEqual({ total: 0, byDialog: new Map([[dialogA.id, 0]]) });
    });

    it('message writes with app B’s id change nothing of app A', async () => {
      const before = await snapshotA();
      const intruder = nextId();
      await rejection(create({ ...dialogA, appId: appB }, b1, { id: intruder }));
      expect(await store.messages.findById(appA, intruder)).toBeUndefined();
      // Whether app B may reuse the id or is refused, app A's message stays as it is.
      await create(dialogB, b1, { id: messageA.id, body: 'same id, other app' }).catch(() => undefined);
      await mark(appB, dialogA.id, a2, undefined, { read: true, delivered: true });
      await mark(appB, dialogA.id, a2, [messageA.id], { read: true });
      await store.messages.updateBody(appB, messageA.id, 'hijacked', T0 + 1);
      await store.messages.hideFor(appB, dialogA.id, a2, [messageA.id]);
      await store.messages.deleteForEveryone(appB, dialogA.id, [messageA.id]);
      await store.messages.deleteForEveryone(appB, dialogB.id, [messageA.id]);
      await store.messages.clearHistory(appB, dialogA.id, a2);
      await store.messages.clearHistory(appB, dialogA.id, 'everyone');
      await store.messages.react(appB, messageA.id, b1, { remove: 'a' }, T0 + 1);
      expect(await snapshotA()).toEqual(before);
      expect(await store.messages.findById(appA, messageA.id)).toEqual(messageA);
    });

    it('react with app B’s id stores nothing against app A’s message', async () => {
      const before = await snapshotA();
      await store.messages.react(appB, messageA.id, b1, { add: 'b' }, T0 + 1).catch(() => undefined);
      expect(await snapshotA()).toEqual(before);
      expect(await store.messages.reactions(appB, [messageA.id])).toEqual(new Map());
    });

    it('recountUnread with app B’s id reports nothing of app A', async () => {
      expect(await store.messages.recountUnread(appB, dialogA.id)).toEqual(new Map());
      expect(await store.messages.recountUnread(appA, dialogA.id)).toEqual(new Map([[a1, 0], [a2, 1]]));
    });
  });
});
