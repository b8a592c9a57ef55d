import type { Kysely } from 'kysely';
import type { SqlDialectTraits } from '../dialect.js';

/**
 * Meetings (rest.md §9): one row per meeting, one row per attendee that is a user (for "my meetings"),
 * and the recordings made of a meeting's conference. Released: never edit, add a new migration.
 */
export async function up(db: Kysely<unknown>, traits: SqlDialectTraits): Promise<void> {
  const big = traits.bigintType;
  await db.schema
    .createTable('meetings')
    .addColumn('app_id', 'integer', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('host_id', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    /** Unix seconds, as the wire carries them. */
    .addColumn('start_date', big, (c) => c.notNull())
    .addColumn('end_date', big, (c) => c.notNull())
    /** JSON `[{id?, email?}]` as given. */
    .addColumn('attendees', 'text', (c) => c.notNull())
    .addColumn('record', 'integer', (c) => c.notNull())
    .addColumn('public', 'integer', (c) => c.notNull())
    .addColumn('scheduled', 'integer', (c) => c.notNull())
    .addColumn('notify', 'integer', (c) => c.notNull())
    .addColumn('notify_before', 'text')
    .addColumn('timezone', 'text')
    .addColumn('chat_dialog_id', 'text')
    /** Unix seconds when the reminder mail is due (notify + notify_before), null = none; cleared once sent. */
    .addColumn('remind_at', big)
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('meetings_pk', ['app_id', 'id'])
    .execute();
  await db.schema.createIndex('meetings_app_host').on('meetings').columns(['app_id', 'host_id', 'start_date']).execute();
  await db.schema.createIndex('meetings_remind_at').on('meetings').column('remind_at').execute();
  await db.schema.createIndex('meetings_app_dialog').on('meetings').columns(['app_id', 'chat_dialog_id']).execute();

  await db.schema
    .createTable('meeting_attendees')
    .addColumn('app_id', 'integer', (c) => c.notNull())
    .addColumn('meeting_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('meeting_attendees_pk', ['app_id', 'meeting_id', 'user_id'])
    .addForeignKeyConstraint('meeting_attendees_meeting', ['app_id', 'meeting_id'], 'meetings', ['app_id', 'id'], (c) => c.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('meeting_attendees_user').on('meeting_attendees').columns(['app_id', 'user_id']).execute();

  await db.schema
    .createTable('meeting_recordings')
    .addColumn('app_id', 'integer', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('meeting_id', 'text', (c) => c.notNull())
    .addColumn('blob_id', 'integer', (c) => c.notNull())
    .addColumn('participants_ids', 'text', (c) => c.notNull())
    /** Seconds, fractional. */
    .addColumn('duration', 'real', (c) => c.notNull())
    .addColumn('size_bytes', big, (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('meeting_recordings_pk', ['app_id', 'id'])
    .addForeignKeyConstraint('meeting_recordings_meeting', ['app_id', 'meeting_id'], 'meetings', ['app_id', 'id'], (c) => c.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('meeting_recordings_meeting').on('meeting_recordings').columns(['app_id', 'meeting_id']).execute();
}
