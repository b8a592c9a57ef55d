import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeetingRecord } from '../../src/ports/meetings.js';
import type { Store } from '../../src/ports/store.js';
import { openStoreWithTwoApps, storeKinds, type OpenedStore } from './stores.js';

/** The meetings port's guarantees (src/ports/meetings.ts), on every adapter. */
const T0 = 1_700_000_000_123;
let serial = 0;

function meeting(appId: number, hostId: number, fields: Partial<MeetingRecord> = {}): MeetingRecord {
  serial += 1;
  return {
    id: `65${String(serial).padStart(22, '0')}`,
    appId, hostId, name: `m${serial}`, startDate: 1000 + serial, endDate: 5000, attendees: [], record: false, public: false, scheduled: false,
    notify: false, notifyBefore: null, timezone: null, chatDialogId: null, remindAt: null, createdAt: T0, updatedAt: T0, ...fields,
  };
}

describe.each(storeKinds)('Meetings contract on %s', (kind) => {
  let opened: OpenedStore;
  let store: Store;
  let appA: number;
  let appB: number;

  beforeAll(async () => {
    const withApps = await openStoreWithTwoApps(kind, 'meetings');
    ({ store, appA, appB } = withApps);
    opened = withApps;
  });
  afterAll(() => opened.dispose());

  it('reads back every field, and finds meetings by host, attendee and dialog within one app', async () => {
    const full = meeting(appA, 1, {
      attendees: [{ id: 2, email: 'a@x.test' }, { email: 'b@x.test' }, { id: 3 }], record: true, public: true, scheduled: true, notify: true,
      notifyBefore: { metric: 'hours', value: 2 }, timezone: { offset: 120, name: 'Europe/Riga' }, chatDialogId: 'abcdefabcdefabcdefabcdef', remindAt: 123,
    });
    await store.meetings.create(full);
    expect(await store.meetings.findById(appA, full.id)).toEqual(full);
    expect(await store.meetings.findById(appB, full.id)).toBeUndefined();
    expect(await store.meetings.findByDialog(appA, 'abcdefabcdefabcdefabcdef')).toEqual(full);
    expect(await store.meetings.findByDialog(appB, 'abcdefabcdefabcdefabcdef')).toBeUndefined();
    const page = { conditions: [], limit: 100, offset: 0 };
    for (const user of [1, 2, 3]) expect((await store.meetings.listFor(appA, user, page)).map((m) => m.id)).toContain(full.id);
    expect(await store.meetings.listFor(appA, 4, page)).toEqual([]);
    expect(await store.meetings.listFor(appB, 1, page)).toEqual([]);
  });

  it('filters and pages, newest start first', async () => {
    const host = 50;
    const [a, b, c] = [meeting(appA, host, { startDate: 100 }), meeting(appA, host, { startDate: 300, scheduled: true }), meeting(appA, host, { startDate: 200 })];
    for (const m of [a, b, c]) await store.meetings.create(m);
    const ids = async (conditions: Parameters<Store['meetings']['listFor']>[2]['conditions'], limit = 100, offset = 0) =>
      (await store.meetings.listFor(appA, host, { conditions, limit, offset })).map((m) => m.id);
    expect(await ids([])).toEqual([b.id, c.id, a.id]);
    expect(await ids([], 1, 1)).toEqual([c.id]);
    expect(await ids([{ field: 'start_date', op: 'gte', value: 200 }])).toEqual([b.id, c.id]);
    expect(await ids([{ field: 'start_date', op: 'in', values: [100, 300] }])).toEqual([b.id, a.id]);
    expect(await ids([{ field: 'start_date', op: 'in', values: [] }])).toEqual([]);
    expect(await ids([{ field: 'scheduled', op: 'eq', value: 1 }])).toEqual([b.id]);
  });

  it('replaces attendees atomically on update and deletes a meeting with its rows', async () => {
    const m = meeting(appA, 60, { attendees: [{ id: 61 }] });
    await store.meetings.create(m);
    const updated = await store.meetings.update(appA, m.id, { attendees: [{ id: 62 }], name: 'renamed', updatedAt: T0 + 1 });
    expect(updated).toMatchObject({ name: 'renamed', attendees: [{ id: 62 }], updatedAt: T0 + 1 });
    const page = { conditions: [], limit: 100, offset: 0 };
    expect(await store.meetings.listFor(appA, 61, page)).toEqual([]);
    expect((await store.meetings.listFor(appA, 62, page)).map((x) => x.id)).toEqual([m.id]);
    expect(await store.meetings.update(appB, m.id, { name: 'x' })).toBeUndefined();
    await store.meetings.addRecording({ id: `${m.id.slice(0, 20)}ffff`, appId: appA, meetingId: m.id, blobId: 7, participantIds: [62], duration: 1.5, sizeBytes: 1234, createdAt: T0, updatedAt: T0 });
    expect(await store.meetings.recordings(appA, m.id)).toEqual([expect.objectContaining({ blobId: 7, participantIds: [62], duration: 1.5, sizeBytes: 1234 })]);
    expect(await store.meetings.recordings(appB, m.id)).toEqual([]);
    expect(await store.meetings.delete(appB, m.id)).toBe(false);
    expect(await store.meetings.delete(appA, m.id)).toBe(true);
    expect(await store.meetings.recordings(appA, m.id)).toEqual([]);
    expect(await store.meetings.listFor(appA, 62, page)).toEqual([]);
    expect(await store.meetings.delete(appA, m.id)).toBe(false);
  });

  it('lists every meeting of one app for operators, newest start first, with recording counts', async () => {
    const later = meeting(appA, 70, { startDate: 9_000_002 });
    const earlier = meeting(appA, 71, { startDate: 9_000_001, attendees: [{ id: 72 }] });
    await store.meetings.create(later);
    await store.meetings.create(earlier);
    await store.meetings.create(meeting(appB, 70, { startDate: 9_000_003 }));
    for (const suffix of ['aaaa', 'bbbb']) {
      await store.meetings.addRecording({ id: `${earlier.id.slice(0, 20)}${suffix}`, appId: appA, meetingId: earlier.id, blobId: 8, participantIds: [71], duration: 2, sizeBytes: 10, createdAt: T0, updatedAt: T0 });
    }
    const listed = await store.meetings.listOfApp(appA, { limit: 2, offset: 0 });
    expect(listed.map(({ meeting: m, recordings }) => [m.id, recordings])).toEqual([[later.id, 0], [earlier.id, 2]]);
    expect(listed[1]?.meeting).toEqual(earlier);
    expect((await store.meetings.listOfApp(appA, { limit: 1, offset: 1 })).map(({ meeting: m }) => m.id)).toEqual([earlier.id]);
    expect((await store.meetings.listOfApp(appB, { limit: 100, offset: 0 })).every(({ meeting: m }) => m.appId === appB)).toBe(true);
  });

  it('hands out a due reminder once, across applications, and not after the start', async () => {
    const due = meeting(appB, 70, { startDate: 10_000, remindAt: 9_000 });
    const started = meeting(appA, 70, { startDate: 9_500, remindAt: 9_000 });
    const later = meeting(appA, 70, { startDate: 20_000, remindAt: 19_000 });
    for (const m of [due, started, later]) await store.meetings.create(m);
    const found = (await store.meetings.dueReminders(9_600, 100)).map((m) => m.id);
    expect(found).toContain(due.id);
    expect(found).not.toContain(started.id);
    expect(found).not.toContain(later.id);
    expect(await store.meetings.takeReminder(appB, due.id, 9_000)).toBe(true);
    expect(await store.meetings.takeReminder(appB, due.id, 9_000)).toBe(false);
    expect((await store.meetings.dueReminders(9_600, 100)).map((m) => m.id)).not.toContain(due.id);
  });
});
