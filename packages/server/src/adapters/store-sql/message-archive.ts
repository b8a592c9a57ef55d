import type { ExpressionBuilder, Kysely } from 'kysely';
import type { ArchiveCursor, MessageRecord, UserArchiveQuery } from '../../ports/messages.js';
import { toMessage } from './message-row.js';
import type { Database } from './schema.js';

type ArchiveRow = ExpressionBuilder<Database & { member: Database['dialog_members'] }, 'messages' | 'member'>;

/**
 * The messages a user may read across all their dialogs: member rows join the history, each dialog
 * after the user's own clear point, minus the messages they hid (like one dialog's REST history).
 * Shared by the archive and the global search.
 */
export function readableMessages(db: Kysely<Database>, appId: number, userId: number) {
  return db
    .selectFrom('messages')
    .innerJoin('dialog_members as member', (join) => join.onRef('member.dialog_id', '=', 'messages.dialog_id').on('member.user_id', '=', userId))
    .where('messages.app_id', '=', appId)
    // Lets the planner start from the user's member rows (dialog_members_user), then each dialog's history.
    .where('member.app_id', '=', appId)
    .where('member.is_member', '=', 1)
    .whereRef('messages.seq', '>', 'member.cleared_seq')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('message_states as state')
            .select('state.user_id')
            .whereRef('state.message_id', '=', 'messages.id')
            .whereRef('state.app_id', '=', 'messages.app_id')
            .where('state.user_id', '=', userId)
            .where('state.hidden', '=', 1),
        ),
      ),
    );
}

/** The readable messages within a date window. */
function readable(db: Kysely<Database>, appId: number, userId: number, window: Pick<UserArchiveQuery, 'start' | 'end'>) {
  let query = readableMessages(db, appId, userId);
  if (window.start !== undefined) query = query.where('messages.date_sent', '>=', window.start);
  if (window.end !== undefined) query = query.where('messages.date_sent', '<=', window.end);
  return query;
}

/** Strictly after (or before) a cursor in (date_sent, id) order. */
function beyond(eb: ArchiveRow, cursor: ArchiveCursor, op: '>' | '<') {
  return eb.or([eb('messages.date_sent', op, cursor.dateSent), eb.and([eb('messages.date_sent', '=', cursor.dateSent), eb('messages.id', op, cursor.id)])]);
}

export async function userArchive(db: Kysely<Database>, appId: number, userId: number, query: UserArchiveQuery): Promise<MessageRecord[]> {
  let rows = readable(db, appId, userId, query).selectAll('messages');
  const { after, before } = query;
  if (after) rows = rows.where((eb) => beyond(eb, after, '>'));
  if (before) rows = rows.where((eb) => beyond(eb, before, '<'));
  const direction = query.newestFirst ? 'desc' : 'asc';
  const found = await rows.orderBy('messages.date_sent', direction).orderBy('messages.id', direction).limit(query.limit).execute();
  return found.map(toMessage);
}

export async function userArchiveCount(db: Kysely<Database>, appId: number, userId: number, window: Pick<UserArchiveQuery, 'start' | 'end'>): Promise<number> {
  const row = await readable(db, appId, userId, window)
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}
