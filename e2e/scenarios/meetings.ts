import { describe, expect, it } from 'vitest';
import { databaseKinds } from '@parley/testkit';
import { initAgainst, rejection, scenarioServer, type CubeLike, type ScenarioTarget, type SdkFlavour } from './sdk.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- SDK responses are checked field by field */

/** The meeting part of both SDKs (kept here so the shared CubeLike stays small). */
interface MeetingApi {
  create(params?: Record<string, unknown>): Promise<any>;
  get(params?: Record<string, unknown>): Promise<any>;
  update(id: string, params: Record<string, unknown>): Promise<any>;
  delete(id: string): Promise<any>;
  getRecordings(id: string): Promise<any>;
}
type Cube = CubeLike & { meeting: MeetingApi };

const PASSWORD = 'password123';
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const notFound = { code: 404, info: { errors: { base: ['Meeting not found'] } } };
const hostOnly = { code: 403, info: { errors: { base: ['Only the host may change a meeting'] } } };

interface Person {
  cube: Cube;
  id: number;
}

/**
 * Meetings (rest.md §9) through an SDK, on every database: create with chat, read one and many with
 * filters, host-only update and delete, recordings, and every refusal (bad input, not the host, not
 * invited, signed out, another application).
 */
export function meetingScenarios(sdk: SdkFlavour, targets: ScenarioTarget[] = databaseKinds): void {
  describe.each(targets)(`${sdk.name}: meetings on %s`, (db) => {
    const scenario = scenarioServer(sdk, db);
    const { unique } = scenario;

    async function person(prefix: string, app = scenario.server.app): Promise<Person> {
      const cube = initAgainst(sdk.create(), scenario.server.url, app) as Cube;
      const session = await cube.createSession({ login: unique(prefix), password: PASSWORD });
      return { cube, id: session.user_id as number };
    }

    it('creates a meeting with a type-5 chat that works like a group chat (§9)', async () => {
      const host = await person('m-host');
      const guest = await person('m-guest');
      const outsider = await person('m-out');
      const meeting = await host.cube.meeting.create({
        name: 'Friday weekly sync',
        start_date: 1613729948,
        end_date: 1613731012,
        attendees: [{ id: guest.id, email: 'email1@domen.com' }, { email: 'email2@domen.com' }],
        chat: true,
        notify: true,
        notify_before: { metric: 'minutes', value: 10 },
        timezone: { offset: 120, name: 'Europe/Riga' },
      });
      expect(meeting).toEqual({
        _id: expect.stringMatching(/^[0-9a-f]{24}$/),
        name: 'Friday weekly sync',
        start_date: 1613729948,
        end_date: 1613731012,
        attendees: [{ id: guest.id, email: 'email1@domen.com' }, { email: 'email2@domen.com' }],
        record: false,
        chat_dialog_id: expect.stringMatching(/^[0-9a-f]{24}$/),
        host_id: host.id,
        public: false,
        scheduled: false,
        notify: true,
        notify_before: { metric: 'minutes', value: 10 },
        timezone: { offset: 120, name: 'Europe/Riga' },
        created_at: expect.stringMatching(ISO_MS),
        updated_at: expect.stringMatching(ISO_MS),
      });

      const dialogs = await guest.cube.chat.dialog.list({ _id: meeting.chat_dialog_id });
      expect(dialogs.items).toHaveLength(1);
      expect(dialogs.items[0]).toMatchObject({ type: 5, name: 'Friday weekly sync', user_id: host.id });
      expect([...dialogs.items[0].occupants_ids].sort((a: number, b: number) => a - b)).toEqual([host.id, guest.id].sort((a, b) => a - b));
      await guest.cube.chat.message.create({ chat_dialog_id: meeting.chat_dialog_id, message: 'hello all' });
      const history = await host.cube.chat.message.list({ chat_dialog_id: meeting.chat_dialog_id });
      expect(history.items.map((m: any) => m.message)).toEqual(['hello all']);
      expect((await outsider.cube.chat.dialog.list({ _id: meeting.chat_dialog_id })).items).toEqual([]);

      // An attendee added later joins the meeting's chat.
      await host.cube.meeting.update(meeting._id, { attendees: [{ id: guest.id }, { id: outsider.id }] });
      expect((await outsider.cube.chat.dialog.list({ _id: meeting.chat_dialog_id })).items).toHaveLength(1);

      const plain = await host.cube.meeting.create({ name: 'no chat' });
      expect(plain.chat_dialog_id).toBeNull();
    });

    it('reads one meeting by _id and lists the caller’s meetings with filters (§9)', async () => {
      const host = await person('m-list-host');
      const guest = await person('m-list-guest');
      const stranger = await person('m-list-stranger');
      const early = await host.cube.meeting.create({ name: 'early', start_date: 1_700_000_000, end_date: 1_700_003_600, attendees: [{ id: guest.id }], scheduled: true });
      const late = await host.cube.meeting.create({ name: 'late', start_date: 1_800_000_000, end_date: 1_800_003_600 });
      const open = await host.cube.meeting.create({ name: 'open', start_date: 1_750_000_000, end_date: 1_750_003_600, public: true });

      expect(await guest.cube.meeting.get({ _id: early._id })).toEqual(early);
      expect(await stranger.cube.meeting.get({ _id: open._id })).toEqual(open);
      expect(await rejection(stranger.cube.meeting.get({ _id: early._id }))).toEqual(notFound);
      expect(await rejection(stranger.cube.meeting.get({ _id: 'not-an-id' }))).toEqual(notFound);

      const names = (list: any[]) => list.map((m) => m.name);
      expect(names(await host.cube.meeting.get())).toEqual(['late', 'open', 'early']);
      expect(names(await guest.cube.meeting.get())).toEqual(['early']);
      expect(await stranger.cube.meeting.get()).toEqual([]);
      expect(names(await host.cube.meeting.get({ limit: 1, offset: 1 }))).toEqual(['open']);
      expect(names(await host.cube.meeting.get({ start_date: { gt: 1_720_000_000 } }))).toEqual(['late', 'open']);
      expect(names(await host.cube.meeting.get({ start_at: { lt: 1_720_000_000 } }))).toEqual(['early']);
      expect(names(await host.cube.meeting.get({ end_date: { gte: 1_800_003_600 } }))).toEqual(['late']);
      expect(names(await host.cube.meeting.get({ scheduled: true }))).toEqual(['early']);
      expect(names(await host.cube.meeting.get({ created_at: { gt: Math.floor(Date.now() / 1000) + 3600 } }))).toEqual([]);
      expect(late._id).toMatch(/^[0-9a-f]{24}$/);
    });

    it('lets only the host update and delete; attendees may read recordings (§9)', async () => {
      const host = await person('m-upd-host');
      const guest = await person('m-upd-guest');
      const stranger = await person('m-upd-stranger');
      const meeting = await host.cube.meeting.create({ name: 'to change', attendees: [{ id: guest.id }] });

      const recorded = await host.cube.meeting.update(meeting._id, { record: true });
      expect(recorded).toMatchObject({ _id: meeting._id, record: true, name: 'to change' });
      const renamed = await host.cube.meeting.update(meeting._id, { name: 'changed', start_date: meeting.start_date + 60, end_date: meeting.end_date + 60, attendees: [] });
      expect(renamed).toMatchObject({ name: 'changed', start_date: meeting.start_date + 60, attendees: [], record: true });
      // The guest is no longer invited: the meeting is gone for them.
      expect(await rejection(guest.cube.meeting.get({ _id: meeting._id }))).toEqual(notFound);
      await host.cube.meeting.update(meeting._id, { attendees: [{ id: guest.id }] });

      expect(await rejection(guest.cube.meeting.update(meeting._id, { name: 'mine' }))).toEqual(hostOnly);
      expect(await rejection(stranger.cube.meeting.update(meeting._id, { name: 'mine' }))).toEqual(notFound);
      expect(await rejection(guest.cube.meeting.delete(meeting._id))).toEqual(hostOnly);
      expect(await rejection(stranger.cube.meeting.delete(meeting._id))).toEqual(notFound);

      expect(await host.cube.meeting.getRecordings(meeting._id)).toEqual([]);
      expect(await guest.cube.meeting.getRecordings(meeting._id)).toEqual([]);
      expect(await rejection(stranger.cube.meeting.getRecordings(meeting._id))).toEqual(notFound);
      const open = await host.cube.meeting.create({ name: 'open', public: true });
      expect(await rejection(stranger.cube.meeting.getRecordings(open._id))).toEqual({ code: 403, info: { errors: { base: ['Only the host and attendees may read recordings'] } } });

      expect((await host.cube.meeting.get({ _id: meeting._id })).name).toBe('changed');
      await host.cube.meeting.delete(meeting._id);
      expect(await rejection(host.cube.meeting.get({ _id: meeting._id }))).toEqual(notFound);
      expect(await rejection(host.cube.meeting.delete(meeting._id))).toEqual(notFound);
    });

    it('refuses bad input field by field and changes nothing (§9)', async () => {
      const host = await person('m-bad');
      const before = await host.cube.meeting.get();
      const refused = async (params: Record<string, unknown>, field: string) => {
        const error = await rejection(host.cube.meeting.create(params));
        expect(error.code).toBe(422);
        expect(Object.keys((error.info as any).errors)).toContain(field);
      };
      await refused({ name: '' }, 'name');
      await refused({ name: 42 }, 'name');
      await refused({ start_date: 2_000_000_000, end_date: 1_000_000_000 }, 'end_date');
      await refused({ start_date: 'soon' }, 'start_date');
      await refused({ attendees: 'everyone' }, 'attendees');
      await refused({ attendees: [{}] }, 'attendees');
      await refused({ attendees: [{ email: 'not-mail' }] }, 'attendees');
      await refused({ attendees: [{ id: 2_000_000_000 }] }, 'attendees');
      await refused({ record: 'maybe' }, 'record');
      await refused({ public: 'yes please' }, 'public');
      await refused({ notify_before: { metric: 'minutes', value: 56 } }, 'notify_before');
      await refused({ notify_before: { metric: 'hours', value: 0 } }, 'notify_before');
      await refused({ notify_before: { metric: 'weeks', value: 5 } }, 'notify_before');
      await refused({ notify_before: { metric: 'years', value: 1 } }, 'notify_before');
      await refused({ timezone: { offset: 5000, name: 'Mars/Olympus' } }, 'timezone');
      await refused({ timezone: { offset: 60 } }, 'timezone');
      expect(await host.cube.meeting.get()).toEqual(before);

      const meeting = await host.cube.meeting.create({ name: 'stays' });
      const error = await rejection(host.cube.meeting.update(meeting._id, { end_date: meeting.start_date - 1, name: 'moved' }));
      expect(error.code).toBe(422);
      expect(await rejection(host.cube.meeting.get({ limit: -1 }))).toMatchObject({ code: 422 });
      expect(await rejection(host.cube.meeting.get({ start_date: { all: 1 } }))).toMatchObject({ code: 422 });
      expect(await host.cube.meeting.get({ _id: meeting._id })).toEqual(meeting);
    });

    it('needs a user session and keeps applications apart (§1.9)', async () => {
      const host = await person('m-auth');
      const meeting = await host.cube.meeting.create({ name: 'private', public: true });

      const anonymous = initAgainst(sdk.create(), scenario.server.url, scenario.server.app) as Cube;
      const tokenRequired = { code: 401, info: { errors: { base: ['Token is required'] } } };
      expect(await rejection(anonymous.meeting.create({ name: 'x' }))).toEqual(tokenRequired);
      expect(await rejection(anonymous.meeting.get({ _id: meeting._id }))).toEqual(tokenRequired);
      expect(await rejection(anonymous.meeting.delete(meeting._id))).toEqual(tokenRequired);

      const appOnly = initAgainst(sdk.create(), scenario.server.url, scenario.server.app) as Cube;
      await appOnly.createSession();
      const needUser = { code: 403, info: { errors: { base: ['Forbidden. Need user.'] } } };
      expect(await rejection(appOnly.meeting.get())).toEqual(needUser);
      expect(await rejection(appOnly.meeting.update(meeting._id, { name: 'x' }))).toEqual(needUser);
      expect(await rejection(appOnly.meeting.getRecordings(meeting._id))).toEqual(needUser);

      const appB = await scenario.server.createApp(unique('m-app-b'));
      const mallory = await person('m-mallory', appB);
      // Even a public meeting of app A does not exist in app B.
      expect(await rejection(mallory.cube.meeting.get({ _id: meeting._id }))).toEqual(notFound);
      expect(await rejection(mallory.cube.meeting.update(meeting._id, { name: 'x' }))).toEqual(notFound);
      expect(await rejection(mallory.cube.meeting.delete(meeting._id))).toEqual(notFound);
      expect(await rejection(mallory.cube.meeting.create({ name: 'x', attendees: [{ id: host.id }] }))).toMatchObject({ code: 422 });
      expect(await host.cube.meeting.get({ _id: meeting._id })).toEqual(meeting);
    });
  });
}
