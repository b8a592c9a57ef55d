import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/** Derived chat state kept in step with the history: last message, unread counters, scoping helpers. */

/**
 * Deletes messages of one dialog (all of them when `ids` is undefined) with their states and reactions.
 * Children first: foreign-key cascades are not guaranteed on every engine setting.
 */
export async function deleteMessages(trx: Transaction<Database>, appId: number, dialogId: string, ids?: string[]): Promise<void> {
  const messageIds = ids ?? trx.selectFrom('messages').select('id').where('app_id', '=', appId).where('dialog_id', '=', dialogId);
  await trx.deleteFrom('message_reactions').where('app_id', '=', appId).where('message_id', 'in', messageIds).execute();
  await trx.deleteFrom('message_states').where('app_id', '=', appId).where('message_id', 'in', messageIds).execute();
  let messages = trx.deleteFrom('messages').where('app_id', '=', appId).where('dialog_id', '=', dialogId);
  if (ids) messages = messages.where('id', 'in', ids);
  await messages.execute();
}

/** Moves the dialog's last message to the newest remaining one (after deletions). */
export async function refreshLastMessage(trx: Transaction<Database>, dialogId: string): Promise<void> {
  const newest = await trx
    .selectFrom('messages')
    .select(['id', 'body', 'sender_id', 'date_sent'])
    .where('dialog_id', '=', dialogId)
    .orderBy('date_sent', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  await trx
    .updateTable('dialogs')
    .set({
      last_message_id: newest?.id ?? null,
      last_message: newest?.body ?? null,
      last_message_user_id: newest?.sender_id ?? null,
      last_message_date_sent: newest === undefined ? null : Number(newest.date_sent),
    })
    .where('id', '=', dialogId)
    .execute();
}

/** Unread = after the member's clear and join points, not sent by them, neither read nor hidden by them. */
export async function countUnread(executor: Kysely<Database>, appId: number, dialogId: string): Promise<Map<number, number>> {
  const rows = await executor
    .selectFrom('dialog_members as member')
    .leftJoin('messages as message', (join) =>
      join
        .onRef('message.dialog_id', '=', 'member.dialog_id')
        .onRef('message.seq', '>', 'member.cleared_seq')
        .onRef('message.seq', '>', 'member.joined_seq')
        .onRef('message.sender_id', '<>', 'member.user_id'),
    )
    .select(['member.user_id'])
    .select((eb) =>
      eb.fn
        .count<number | string>('message.id')
        .filterWhere((inner) =>
          inner.not(
            inner.exists(
              inner
                .selectFrom('message_states as state')
                .select('state.user_id')
                .whereRef('state.message_id', '=', 'message.id')
                .whereRef('state.app_id', '=', 'message.app_id')
                .whereRef('state.user_id', '=', 'member.user_id')
                .where((flag) => flag.or([flag('state.read', '=', 1), flag('state.hidden', '=', 1)])),
            ),
          ),
        )
        .as('unread'),
    )
    .where('member.app_id', '=', appId)
    .where('member.dialog_id', '=', dialogId)
    .where('member.is_member', '=', 1)
    .groupBy('member.user_id')
    .execute();
  return new Map(rows.map((row) => [row.user_id, Number(row.unread)]));
}

export async function writeUnread(trx: Transaction<Database>, dialogId: string, counts: Map<number, number>): Promise<void> {
  for (const [userId, unread] of counts) {
    await trx.updateTable('dialog_members').set({ unread_count: unread }).where('dialog_id', '=', dialogId).where('user_id', '=', userId).execute();
  }
}

/** Whether the user hid any message of the dialog (uses the (dialog, user) index of message states). */
export async function hasHiddenMessages(db: Kysely<Database>, appId: number, dialogId: string, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom('message_states')
    .select('user_id')
    .where('dialog_id', '=', dialogId)
    .where('user_id', '=', userId)
    .where('app_id', '=', appId)
    .where('hidden', '=', 1)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The ids among `messageIds` that belong to this dialog: scoped writes never touch another dialog. */
export async function idsInDialog(trx: Transaction<Database>, appId: number, dialogId: string, messageIds: string[]): Promise<string[]> {
  const rows = await trx.selectFrom('messages').select('id').where('app_id', '=', appId).where('dialog_id', '=', dialogId).where('id', 'in', messageIds).execute();
  return rows.map((row) => row.id);
}

