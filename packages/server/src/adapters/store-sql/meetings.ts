import type { Kysely, Selectable } from 'kysely';
import type { MeetingRecord, MeetingRepository, RecordingRecord } from '../../ports/meetings.js';
import { jsonOrNull, parseJson } from './json.js';
import type { Database, MeetingRecordingsTable, MeetingsTable } from './schema.js';

function toMeeting(row: Selectable<MeetingsTable>): MeetingRecord {
  return {
    id: row.id,
    appId: row.app_id,
    hostId: row.host_id,
    name: row.name,
    startDate: Number(row.start_date),
    endDate: Number(row.end_date),
    attendees: parseJson(row.attendees, []),
    record: row.record === 1,
    public: row.public === 1,
    scheduled: row.scheduled === 1,
    notify: row.notify === 1,
    notifyBefore: parseJson(row.notify_before, null),
    timezone: parseJson(row.timezone, null),
    chatDialogId: row.chat_dialog_id,
    remindAt: row.remind_at === null ? null : Number(row.remind_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function toRecording(row: Selectable<MeetingRecordingsTable>): RecordingRecord {
  return {
    id: row.id,
    appId: row.app_id,
    meetingId: row.meeting_id,
    blobId: row.blob_id,
    participantIds: parseJson(row.participants_ids, []),
    duration: Number(row.duration),
    sizeBytes: Number(row.size_bytes),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

const flag = (value: boolean) => (value ? 1 : 0);

function columnsOf(change: Partial<MeetingRecord>): Partial<MeetingsTable> {
  const row: Partial<MeetingsTable> = {};
  if (change.name !== undefined) row.name = change.name;
  if (change.startDate !== undefined) row.start_date = change.startDate;
  if (change.endDate !== undefined) row.end_date = change.endDate;
  if (change.attendees !== undefined) row.attendees = JSON.stringify(change.attendees);
  if (change.record !== undefined) row.record = flag(change.record);
  if (change.public !== undefined) row.public = flag(change.public);
  if (change.scheduled !== undefined) row.scheduled = flag(change.scheduled);
  if (change.notify !== undefined) row.notify = flag(change.notify);
  if (change.notifyBefore !== undefined) row.notify_before = jsonOrNull(change.notifyBefore);
  if (change.timezone !== undefined) row.timezone = jsonOrNull(change.timezone);
  if (change.chatDialogId !== undefined) row.chat_dialog_id = change.chatDialogId;
  if (change.remindAt !== undefined) row.remind_at = change.remindAt;
  if (change.updatedAt !== undefined) row.updated_at = change.updatedAt;
  return row;
}

const attendeeIds = (meeting: Pick<MeetingRecord, 'attendees'>) => [...new Set(meeting.attendees.flatMap((a) => (a.id === undefined ? [] : [a.id])))];

export function sqlMeetingRepository(db: Kysely<Database>): MeetingRepository {
  return {
    async create(meeting) {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('meetings')
          .values({ ...(columnsOf(meeting) as MeetingsTable), app_id: meeting.appId, id: meeting.id, host_id: meeting.hostId, created_at: meeting.createdAt })
          .execute();
        const ids = attendeeIds(meeting);
        if (ids.length > 0) {
          await trx.insertInto('meeting_attendees').values(ids.map((userId) => ({ app_id: meeting.appId, meeting_id: meeting.id, user_id: userId }))).execute();
        }
      });
      return meeting;
    },
    async findById(appId, meetingId) {
      const row = await db.selectFrom('meetings').selectAll().where('app_id', '=', appId).where('id', '=', meetingId).executeTakeFirst();
      return row ? toMeeting(row) : undefined;
    },
    async findByDialog(appId, dialogId) {
      const row = await db.selectFrom('meetings').selectAll().where('app_id', '=', appId).where('chat_dialog_id', '=', dialogId).executeTakeFirst();
      return row ? toMeeting(row) : undefined;
    },
    async update(appId, meetingId, change) {
      return db.transaction().execute(async (trx) => {
        const result = await trx.updateTable('meetings').set(columnsOf(change)).where('app_id', '=', appId).where('id', '=', meetingId).executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) return undefined;
        if (change.attendees !== undefined) {
          await trx.deleteFrom('meeting_attendees').where('app_id', '=', appId).where('meeting_id', '=', meetingId).execute();
          const ids = attendeeIds({ attendees: change.attendees });
          if (ids.length > 0) await trx.insertInto('meeting_attendees').values(ids.map((userId) => ({ app_id: appId, meeting_id: meetingId, user_id: userId }))).execute();
        }
        const row = await trx.selectFrom('meetings').selectAll().where('app_id', '=', appId).where('id', '=', meetingId).executeTakeFirstOrThrow();
        return toMeeting(row);
      });
    },
    async delete(appId, meetingId) {
      return db.transaction().execute(async (trx) => {
        await trx.deleteFrom('meeting_recordings').where('app_id', '=', appId).where('meeting_id', '=', meetingId).execute();
        await trx.deleteFrom('meeting_attendees').where('app_id', '=', appId).where('meeting_id', '=', meetingId).execute();
        const result = await trx.deleteFrom('meetings').where('app_id', '=', appId).where('id', '=', meetingId).executeTakeFirst();
        return Number(result.numDeletedRows) > 0;
      });
    },
    async listFor(appId, userId, query) {
      let select = db
        .selectFrom('meetings')
        .selectAll()
        .where('app_id', '=', appId)
        .where((eb) =>
          eb.or([
            eb('host_id', '=', userId),
            eb('id', 'in', eb.selectFrom('meeting_attendees').select('meeting_id').where('app_id', '=', appId).where('user_id', '=', userId)),
          ]),
        );
      for (const condition of query.conditions) {
        const ops = { eq: '=', ne: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;
        if ('values' in condition) {
          if (condition.values.length === 0) {
            if (condition.op === 'in') return [];
            continue;
          }
          select = select.where(condition.field, condition.op === 'in' ? 'in' : 'not in', condition.values);
        } else {
          select = select.where(condition.field, ops[condition.op], condition.value);
        }
      }
      const rows = await select.orderBy('start_date', 'desc').orderBy('id', 'desc').limit(query.limit).offset(query.offset).execute();
      return rows.map(toMeeting);
    },
    async dueReminders(nowSeconds, limit) {
      const rows = await db.selectFrom('meetings').selectAll().where('remind_at', '<=', nowSeconds).where('start_date', '>', nowSeconds).orderBy('remind_at').limit(limit).execute();
      return rows.map(toMeeting);
    },
    async takeReminder(appId, meetingId, remindAt) {
      const result = await db.updateTable('meetings').set({ remind_at: null }).where('app_id', '=', appId).where('id', '=', meetingId).where('remind_at', '=', remindAt).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async listOfApp(appId, page) {
      const rows = await db
        .selectFrom('meetings')
        .selectAll('meetings')
        .select((eb) =>
          eb
            .selectFrom('meeting_recordings')
            .select((inner) => inner.fn.countAll().as('n'))
            .whereRef('meeting_recordings.app_id', '=', 'meetings.app_id')
            .whereRef('meeting_recordings.meeting_id', '=', 'meetings.id')
            .as('recording_count'),
        )
        .where('meetings.app_id', '=', appId)
        .orderBy('meetings.start_date', 'desc')
        .orderBy('meetings.id', 'desc')
        .limit(page.limit)
        .offset(page.offset)
        .execute();
      return rows.map(({ recording_count: count, ...row }) => ({ meeting: toMeeting(row), recordings: Number(count ?? 0) }));
    },
    async addRecording(recording) {
      await db
        .insertInto('meeting_recordings')
        .values({
          app_id: recording.appId,
          id: recording.id,
          meeting_id: recording.meetingId,
          blob_id: recording.blobId,
          participants_ids: JSON.stringify(recording.participantIds),
          duration: recording.duration,
          size_bytes: recording.sizeBytes,
          created_at: recording.createdAt,
          updated_at: recording.updatedAt,
        })
        .execute();
    },
    async recordings(appId, meetingId) {
      const rows = await db.selectFrom('meeting_recordings').selectAll().where('app_id', '=', appId).where('meeting_id', '=', meetingId).orderBy('created_at').orderBy('id').execute();
      return rows.map(toRecording);
    },
  };
}
