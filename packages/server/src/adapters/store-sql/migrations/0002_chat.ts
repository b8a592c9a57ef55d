import type { Kysely } from 'kysely';
import { primaryIdColumn, type SqlDialectTraits } from '../dialect.js';

/**
 * Chat: dialogs, per-user membership state (unread counter, hidden, clear point), messages, per-user
 * message state (read, delivered, hidden) and reactions. Released: never edit, add a new migration.
 */
export async function up(db: Kysely<unknown>, traits: SqlDialectTraits): Promise<void> {
  const big = traits.bigintType;
  const idColumn = primaryIdColumn(traits);

  await db.schema
    .createTable('dialogs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'integer', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('type', 'integer', (c) => c.notNull())
    .addColumn('owner_id', 'integer', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('description', 'text')
    .addColumn('photo', 'text')
    // JSON arrays kept beside the membership rows so a dialog reads in one row.
    .addColumn('occupant_ids', 'text', (c) => c.notNull())
    .addColumn('admin_ids', 'text', (c) => c.notNull())
    .addColumn('pinned_message_ids', 'text', (c) => c.notNull())
    .addColumn('subscribers_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('extensions', 'text')
    .addColumn('permissions', 'text')
    .addColumn('private_key', 'text')
    .addColumn('last_message_id', 'text')
    .addColumn('last_message', 'text')
    .addColumn('last_message_user_id', 'integer')
    .addColumn('last_message_date_sent', big)
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dialogs_app_private_unique').on('dialogs').columns(['app_id', 'private_key']).unique().execute();
  await db.schema.createIndex('dialogs_app_type').on('dialogs').columns(['app_id', 'type', 'updated_at']).execute();

  await db.schema
    .createTable('dialog_members')
    .addColumn('app_id', 'integer', (c) => c.notNull())
    .addColumn('dialog_id', 'text', (c) => c.notNull().references('dialogs.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull())
    /** 1 = occupant or subscriber; 0 = a row that only keeps per-user state (a hidden broadcast). */
    .addColumn('is_member', 'integer', (c) => c.notNull())
    .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unread_count', 'integer', (c) => c.notNull().defaultTo(0))
    /** Messages with seq ≤ this are cleared from the user's history. */
    .addColumn('cleared_seq', big, (c) => c.notNull().defaultTo(0))
    /** Messages with seq ≤ this predate the membership: readable history, never unread. */
    .addColumn('joined_seq', big, (c) => c.notNull().defaultTo(0))
    .addColumn('notifications', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('joined_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('dialog_members_pk', ['dialog_id', 'user_id'])
    .execute();
  await db.schema.createIndex('dialog_members_user').on('dialog_members').columns(['app_id', 'user_id', 'hidden']).execute();

  await db.schema
    .createTable('messages')
    .addColumn('seq', traits.serialType, idColumn)
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('app_id', 'integer', (c) => c.notNull())
    .addColumn('dialog_id', 'text', (c) => c.notNull().references('dialogs.id').onDelete('cascade'))
    .addColumn('sender_id', 'integer', (c) => c.notNull())
    .addColumn('recipient_id', 'integer', (c) => c.notNull())
    .addColumn('body', 'text')
    .addColumn('date_sent', big, (c) => c.notNull())
    .addColumn('attachments', 'text', (c) => c.notNull())
    .addColumn('custom', 'text')
    .addColumn('markable', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();
  // Message ids are unique per application: a client-chosen id reveals nothing about other apps.
  await db.schema.createIndex('messages_app_id_unique').on('messages').columns(['app_id', 'id']).unique().execute();
  await db.schema.createIndex('messages_dialog_order').on('messages').columns(['dialog_id', 'date_sent', 'id']).execute();
  await db.schema.createIndex('messages_dialog_seq').on('messages').columns(['dialog_id', 'seq']).execute();

  await db.schema
    .createTable('message_states')
    .addColumn('app_id', 'integer', (c) => c.notNull())
    .addColumn('dialog_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('read', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('delivered', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('message_states_pk', ['app_id', 'message_id', 'user_id'])
    .execute();
  await db.schema.createIndex('message_states_dialog_user').on('message_states').columns(['dialog_id', 'user_id', 'hidden']).execute();

  await db.schema
    .createTable('message_reactions')
    .addColumn('app_id', 'integer', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('reaction', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('message_reactions_pk', ['app_id', 'message_id', 'user_id', 'reaction'])
    .execute();
}
