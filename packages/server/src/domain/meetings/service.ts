import { isObjectId, newObjectId } from '@parley/protocol';
import type { MeetingRecord, RecordingRecord } from '../../ports/meetings.js';
import type { Store } from '../../ports/store.js';
import type { DialogService } from '../dialogs/service.js';
import type { Actor, Clock } from '../shared/actor.js';
import { DomainFailure } from '../shared/failure.js';
import { parseMeetingInput, parseMeetingQuery, type MeetingInput } from './input.js';

/**
 * Who hears about meeting changes: the conference (rooms, recording on/off) and mail (invitations,
 * updates). Observers handle their own failures; a meeting change never fails because of them.
 */
export interface MeetingObserver {
  created?(meeting: MeetingRecord): void;
  updated?(before: MeetingRecord, after: MeetingRecord): void;
  deleted?(meeting: MeetingRecord): void;
}

function requireUser(actor: Actor): number {
  if (actor.userId === null) throw new DomainFailure('NEED_USER');
  return actor.userId;
}

const METRIC_SECONDS = { minutes: 60, hours: 3600, days: 86_400, weeks: 604_800 } as const;

/** When the reminder mail is due: `notify_before` ahead of the start, only with `notify` on. */
export function reminderTime(meeting: Pick<MeetingRecord, 'notify' | 'notifyBefore' | 'startDate'>): number | null {
  if (!meeting.notify || !meeting.notifyBefore) return null;
  return meeting.startDate - meeting.notifyBefore.value * METRIC_SECONDS[meeting.notifyBefore.metric];
}

const notFound = () => new DomainFailure('NOT_FOUND', { message: 'Meeting not found' });

/** Whether the user is the meeting's host or one of its attendees by id. */
export function isInvited(meeting: MeetingRecord, userId: number): boolean {
  return meeting.hostId === userId || meeting.attendees.some((attendee) => attendee.id === userId);
}

/** Meetings (rest.md §9): create, read, change and delete; who may join a meeting's conference and chat. */
export class MeetingService {
  private readonly observers: MeetingObserver[] = [];

  constructor(
    private readonly store: Pick<Store, 'meetings' | 'users'>,
    private readonly dialogs: DialogService,
    private readonly clock: Clock,
  ) {}

  observe(observer: MeetingObserver): void {
    this.observers.push(observer);
  }

  async create(actor: Actor, body: unknown): Promise<MeetingRecord> {
    const hostId = requireUser(actor);
    const input = parseMeetingInput(body, false);
    this.checkDates(input.startDate ?? 0, input.endDate ?? 0);
    const attendees = input.attendees ?? [];
    await this.ensureUsersExist(actor.appId, attendees.flatMap((a) => (a.id === undefined ? [] : [a.id])));
    const now = this.clock();
    const name = input.name ?? '';
    const chatDialogId = input.chat
      ? (await this.dialogs.createMeetingDialog(actor.appId, hostId, name, attendees.flatMap((a) => (a.id === undefined ? [] : [a.id])))).id
      : null;
    const fields = {
      id: newObjectId(now),
      appId: actor.appId,
      hostId,
      name,
      startDate: input.startDate ?? 0,
      endDate: input.endDate ?? 0,
      attendees,
      record: input.record ?? false,
      public: input.public ?? false,
      scheduled: input.scheduled ?? false,
      notify: input.notify ?? false,
      notifyBefore: input.notifyBefore ?? null,
      timezone: input.timezone ?? null,
      chatDialogId,
      createdAt: now,
      updatedAt: now,
    };
    const meeting = await this.store.meetings.create({ ...fields, remindAt: reminderTime(fields) });
    for (const observer of this.observers) observer.created?.(meeting);
    return meeting;
  }

  /** One meeting by `_id` (host, attendee, or public), else the caller's meetings. */
  async get(actor: Actor, params: Record<string, unknown>): Promise<MeetingRecord | MeetingRecord[]> {
    const userId = requireUser(actor);
    if (params._id !== undefined) return this.visible(actor.appId, userId, params._id);
    return this.store.meetings.listFor(actor.appId, userId, parseMeetingQuery(params));
  }

  async update(actor: Actor, meetingId: string, body: unknown): Promise<MeetingRecord> {
    const before = await this.hostedBy(actor, meetingId);
    const input = parseMeetingInput(body, true);
    this.checkDates(input.startDate ?? before.startDate, input.endDate ?? before.endDate);
    if (input.attendees) await this.ensureUsersExist(actor.appId, input.attendees.flatMap((a) => (a.id === undefined ? [] : [a.id])));
    const change = changeOf(input);
    const remindAt = reminderTime({ ...before, ...change });
    const after = await this.store.meetings.update(actor.appId, meetingId, { ...change, ...(remindAt !== reminderTime(before) ? { remindAt } : {}), updatedAt: this.clock() });
    if (!after) throw notFound();
    if (input.attendees && after.chatDialogId) {
      const added = input.attendees.flatMap((a) => (a.id !== undefined && !isInvited(before, a.id) ? [a.id] : []));
      await this.dialogs.addMeetingOccupants(actor.appId, after.chatDialogId, added);
    }
    for (const observer of this.observers) observer.updated?.(before, after);
    return after;
  }

  async delete(actor: Actor, meetingId: string): Promise<void> {
    const meeting = await this.hostedBy(actor, meetingId);
    if (!(await this.store.meetings.delete(actor.appId, meetingId))) throw notFound();
    for (const observer of this.observers) observer.deleted?.(meeting);
  }

  /** Recordings of a meeting: its host and attendees only (Parley choice). */
  async recordings(actor: Actor, meetingId: string): Promise<RecordingRecord[]> {
    const userId = requireUser(actor);
    const meeting = await this.visible(actor.appId, userId, meetingId);
    if (!isInvited(meeting, userId)) throw new DomainFailure('FORBIDDEN', { message: 'Only the host and attendees may read recordings' });
    return this.store.meetings.recordings(actor.appId, meetingId);
  }

  /** Every meeting of the app with its recording count (operators: no user check). */
  async ofApp(appId: number, page: { limit: number; offset: number }): Promise<{ meeting: MeetingRecord; recordings: number }[]> {
    return this.store.meetings.listOfApp(appId, page);
  }

  /** A meeting's recordings for an operator; an unknown meeting is NOT_FOUND. */
  async recordingsOf(appId: number, meetingId: string): Promise<RecordingRecord[]> {
    if (!isObjectId(meetingId) || !(await this.store.meetings.findById(appId, meetingId))) throw notFound();
    return this.store.meetings.recordings(appId, meetingId);
  }

  /** May this user join the meeting's conference: host, attendee by id, or anyone in the app when public. */
  async mayJoin(appId: number, userId: number, meetingId: string): Promise<MeetingRecord | undefined> {
    const meeting = isObjectId(meetingId) ? await this.store.meetings.findById(appId, meetingId) : undefined;
    return meeting && (meeting.public || isInvited(meeting, userId)) ? meeting : undefined;
  }

  /**
   * May this user join this dialog as a meeting's chat: undefined when the dialog belongs to no meeting,
   * else whether the user is invited or the meeting is public (used to gate subscribing to type-5 dialogs).
   */
  async mayJoinDialog(appId: number, userId: number, dialogId: string): Promise<boolean | undefined> {
    const meeting = await this.store.meetings.findByDialog(appId, dialogId);
    if (!meeting) return undefined;
    return meeting.public || isInvited(meeting, userId);
  }

  private async visible(appId: number, userId: number, meetingId: unknown): Promise<MeetingRecord> {
    const meeting = typeof meetingId === 'string' && isObjectId(meetingId) ? await this.store.meetings.findById(appId, meetingId) : undefined;
    if (!meeting || !(meeting.public || isInvited(meeting, userId))) throw notFound();
    return meeting;
  }

  private async hostedBy(actor: Actor, meetingId: string): Promise<MeetingRecord> {
    const userId = requireUser(actor);
    const meeting = await this.visible(actor.appId, userId, meetingId);
    if (meeting.hostId !== userId) throw new DomainFailure('FORBIDDEN', { message: 'Only the host may change a meeting' });
    return meeting;
  }

  private checkDates(startDate: number, endDate: number): void {
    if (endDate < startDate) throw new DomainFailure('VALIDATION_FAILED', { fields: { end_date: ['must not be before start_date'] } });
  }

  private async ensureUsersExist(appId: number, userIds: number[]): Promise<void> {
    const unique = [...new Set(userIds)];
    if (unique.length === 0) return;
    const found = new Set((await this.store.users.findByIds(appId, unique)).map((user) => user.id));
    const missing = unique.filter((id) => !found.has(id));
    if (missing.length > 0) throw new DomainFailure('VALIDATION_FAILED', { fields: { attendees: [`unknown users: ${missing.join(', ')}`] } });
  }
}

function changeOf(input: MeetingInput) {
  const { chat: _chat, ...change } = input;
  return change;
}
