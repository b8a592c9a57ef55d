import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { DialogRecord, DialogRepository, DialogType, MemberState } from '../../ports/dialogs.js';
import { UniqueViolation } from '../../ports/store.js';
import type { SqlDialectTraits } from './dialect.js';
import { applyDialogQuery, visibleDialogIds } from './dialog-query.js';
import { deleteMessages } from './message-state.js';
import { jsonOrNull, parseJson } from './json.js';
import type { Database, DialogMembersTable, DialogsTable } from './schema.js';
import { preparedQuery } from './prepared.js';
import { sqlChunks, yieldToEventLoop } from './sql-chunks.js';

/** Types whose members are subscribers (counted) rather than listed occupants. */
const SUBSCRIBED_TYPES: readonly number[] = [1, 4];

export function toDialog(row: Selectable<DialogsTable>): DialogRecord {
  return {
    id: row.id,
    appId: row.app_id,
    type: row.type as DialogType,
    ownerId: row.owner_id,
    name: row.name,
    description: row.description,
    photo: row.photo,
    occupantIds: parseJson<number[]>(row.occupant_ids, []),
    adminIds: parseJson<number[]>(row.admin_ids, []),
    pinnedMessageIds: parseJson<string[]>(row.pinned_message_ids, []),
    subscribersCount: row.subscribers_count,
    extensions: parseJson<Record<string, string> | null>(row.extensions, null),
    permissions: parseJson<DialogRecord['permissions']>(row.permissions, null),
    lastMessage:
      row.last_message_id === null
        ? null
        : { id: row.last_message_id, body: row.last_message, userId: row.last_message_user_id ?? 0, dateSent: Number(row.last_message_date_sent ?? 0) },
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export function toMember(row: Pick<Selectable<DialogMembersTable>, 'is_member' | 'hidden' | 'unread_count' | 'cleared_seq' | 'joined_seq' | 'notifications'>): MemberState {
  return {
    isMember: row.is_member === 1,
    hidden: row.hidden === 1,
    unreadCount: Number(row.unread_count),
    clearedSeq: Number(row.cleared_seq),
    joinedSeq: Number(row.joined_seq),
    notifications: row.notifications === 1,
  };
}

/** The newest message's seq in a dialog (0 when empty). */
export async function newestSeq(executor: Kysely<Database>, dialogId: string): Promise<number> {
  const newest = await executor.selectFrom('messages').select((eb) => eb.fn.max('seq').as('seq')).where('dialog_id', '=', dialogId).executeTakeFirst();
  return Number(newest?.seq ?? 0);
}

export function privateKey(userA: number, userB: number): string {
  return userA < userB ? `${userA}:${userB}` : `${userB}:${userA}`;
}

/**
 * Locks a dialog row for the rest of the transaction, so writers of one dialog (messages, membership,
 * read marks) run one after another and counters stay exact. SQLite already runs one writer at a time.
 */
export async function lockDialog(trx: Transaction<Database>, traits: SqlDialectTraits, appId: number, dialogId: string): Promise<Selectable<DialogsTable> | undefined> {
  const query = trx.selectFrom('dialogs').selectAll().where('app_id', '=', appId).where('id', '=', dialogId);
  return (traits.rowLocks ? query.forUpdate() : query).executeTakeFirst();
}

/** Rewrites the dialog's denormalised member list (occupants or subscriber count) from the member rows. */
async function syncMembers(trx: Transaction<Database>, dialog: Selectable<DialogsTable>, removedAdmins: number[], now: number): Promise<void> {
  const members = await trx
    .selectFrom('dialog_members')
    .select('user_id')
    .where('dialog_id', '=', dialog.id)
    .where('is_member', '=', 1)
    .orderBy('joined_at')
    .orderBy('user_id')
    .execute();
  const ids = members.map((member) => member.user_id);
  const subscribed = SUBSCRIBED_TYPES.includes(dialog.type);
  const admins = parseJson<number[]>(dialog.admin_ids, []).filter((id) => !removedAdmins.includes(id));
  await trx
    .updateTable('dialogs')
    .set({
      occupant_ids: JSON.stringify(subscribed ? [] : ids),
      subscribers_count: subscribed ? ids.length : 0,
      admin_ids: JSON.stringify(admins),
      updated_at: Math.max(now, Number(dialog.updated_at)),
    })
    .where('id', '=', dialog.id)
    .execute();
}

export function sqlDialogRepository(db: Kysely<Database>, traits: SqlDialectTraits): DialogRepository {
  const reload = async (executor: Kysely<Database>, appId: number, dialogId: string) => {
    const row = await executor.selectFrom('dialogs').selectAll().where('app_id', '=', appId).where('id', '=', dialogId).executeTakeFirst();
    return row && toDialog(row);
  };
  // Read for every 1-1 message sent.
  const privateDialog = preparedQuery(db, db.selectFrom('dialogs').selectAll().where('app_id', '=', 0).where('private_key', '=', ''));

  return {
    async create(dialog, memberIds, now) {
      const subscribed = SUBSCRIBED_TYPES.includes(dialog.type);
      const [first = 0, second = 0] = dialog.occupantIds;
      try {
        return await db.transaction().execute(async (trx) => {
          const row = await trx
            .insertInto('dialogs')
            .values({
              id: dialog.id,
              app_id: dialog.appId,
              type: dialog.type,
              owner_id: dialog.ownerId,
              name: dialog.name,
              description: dialog.description,
              photo: dialog.photo,
              occupant_ids: JSON.stringify(subscribed ? [] : dialog.occupantIds),
              admin_ids: JSON.stringify(dialog.adminIds),
              pinned_message_ids: JSON.stringify(dialog.pinnedMessageIds),
              subscribers_count: subscribed ? memberIds.length : 0,
              extensions: jsonOrNull(dialog.extensions),
              permissions: jsonOrNull(dialog.permissions),
              private_key: dialog.type === 3 ? privateKey(first, second) : null,
              created_at: dialog.createdAt,
              updated_at: dialog.updatedAt,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          if (memberIds.length > 0) {
            await trx
              .insertInto('dialog_members')
              .values(memberIds.map((userId) => ({ app_id: dialog.appId, dialog_id: dialog.id, user_id: userId, is_member: 1, joined_at: now })))
              .execute();
          }
          return toDialog(row);
        });
      } catch (error) {
        const column = traits.uniqueViolationColumn(error);
        if (column === 'private_key' || column === 'private') throw new UniqueViolation('private');
        throw error;
      }
    },

    findById: (appId, dialogId) => reload(db, appId, dialogId),

    async findPrivate(appId, userA, userB) {
      const [row] = await privateDialog(appId, privateKey(userA, userB));
      return row && toDialog(row);
    },

    async member(appId, dialogId, userId) {
      const row = await db
        .selectFrom('dialog_members')
        .select(['is_member', 'hidden', 'unread_count', 'cleared_seq', 'joined_seq', 'notifications'])
        .where('app_id', '=', appId)
        .where('dialog_id', '=', dialogId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row && toMember(row);
    },

    async listFor(appId, userId, query) {
      const rows = await applyDialogQuery(
        db
          .selectFrom(visibleDialogIds(db, appId, userId).as('visible'))
          // CROSS JOIN keeps SQLite driving from the user's few visible dialogs, not the app's many.
          .crossJoin('dialogs')
          .whereRef('dialogs.id', '=', 'visible.dialog_id')
          .leftJoin('dialog_members as me', (join) => join.onRef('me.dialog_id', '=', 'dialogs.id').on('me.user_id', '=', userId))
          .selectAll('dialogs')
          .select(['me.is_member', 'me.hidden', 'me.unread_count', 'me.cleared_seq', 'me.joined_seq', 'me.notifications']),
        query.conditions,
        appId,
        traits,
      )
        // Empty values sort as the smallest on both engines (as the cloud's MongoDB does).
        .orderBy(sql.ref(`dialogs.${query.sort.field === '_id' ? 'id' : query.sort.field}`), (order) =>
          query.sort.direction === 'asc' ? order.asc().nullsFirst() : order.desc().nullsLast(),
        )
        .orderBy('dialogs.id', query.sort.direction)
        .limit(query.limit)
        .offset(query.offset)
        .execute();
      return rows.map((row) => ({
        dialog: toDialog(row),
        member:
          row.is_member === null
            ? undefined
            : toMember({
                is_member: row.is_member,
                hidden: row.hidden ?? 0,
                unread_count: row.unread_count ?? 0,
                cleared_seq: row.cleared_seq ?? 0,
                joined_seq: row.joined_seq ?? 0,
                notifications: row.notifications ?? 1,
              }),
      }));
    },

    async countFor(appId, userId, query) {
      const row = await applyDialogQuery(
        db
          .selectFrom(visibleDialogIds(db, appId, userId).as('visible'))
          .crossJoin('dialogs')
          .whereRef('dialogs.id', '=', 'visible.dialog_id')
          .select((eb) => eb.fn.countAll<number | string>().as('total')),
        query.conditions,
        appId,
        traits,
      ).executeTakeFirstOrThrow();
      return Number(row.total);
    },

    async update(appId, dialogId, change) {
      const columns: Record<string, unknown> = {};
      if (change.name !== undefined) columns.name = change.name;
      if (change.description !== undefined) columns.description = change.description;
      if (change.photo !== undefined) columns.photo = change.photo;
      if (change.adminIds !== undefined) columns.admin_ids = JSON.stringify(change.adminIds);
      if (change.pinnedMessageIds !== undefined) columns.pinned_message_ids = JSON.stringify(change.pinnedMessageIds);
      if (change.extensions !== undefined) columns.extensions = jsonOrNull(change.extensions);
      if (change.permissions !== undefined) columns.permissions = jsonOrNull(change.permissions);
      if (change.updatedAt !== undefined) columns.updated_at = change.updatedAt;
      if (Object.keys(columns).length > 0) {
        await db.updateTable('dialogs').set(columns).where('app_id', '=', appId).where('id', '=', dialogId).execute();
      }
      return reload(db, appId, dialogId);
    },

    async join(appId, dialogId, userIds, now) {
      return db.transaction().execute(async (trx) => {
        const dialog = await lockDialog(trx, traits, appId, dialogId);
        if (!dialog) return undefined;
        // Joiners can read the history but none of it counts as unread for them.
        const joinedSeq = await newestSeq(trx, dialogId);
        const current = [];
        for (const part of sqlChunks(userIds)) {
          current.push(...(await trx.selectFrom('dialog_members').select(['user_id', 'is_member', 'hidden']).where('dialog_id', '=', dialogId).where('user_id', 'in', part).execute()));
        }
        const members = current.filter((row) => row.is_member === 1);
        // A member who had hidden the dialog only sees it again; their counters stay as they are.
        const hidden = members.filter((row) => row.hidden === 1).map((row) => row.user_id);
        for (const part of sqlChunks(hidden)) await trx.updateTable('dialog_members').set({ hidden: 0 }).where('dialog_id', '=', dialogId).where('user_id', 'in', part).execute();
        const already = new Set(members.map((row) => row.user_id));
        let inserted = 0;
        for (const userId of userIds.filter((id) => !already.has(id))) {
          if ((inserted += 1) % 100 === 0) await yieldToEventLoop();
          await trx
            .insertInto('dialog_members')
            .values({ app_id: appId, dialog_id: dialogId, user_id: userId, is_member: 1, joined_seq: joinedSeq, joined_at: now })
            .onConflict((conflict) => conflict.columns(['dialog_id', 'user_id']).doUpdateSet({ is_member: 1, hidden: 0, joined_seq: joinedSeq, unread_count: 0 }))
            .execute();
        }
        await syncMembers(trx, dialog, [], now);
        return reload(trx, appId, dialogId);
      });
    },

    async leave(appId, dialogId, userIds, now) {
      return db.transaction().execute(async (trx) => {
        const dialog = await lockDialog(trx, traits, appId, dialogId);
        if (!dialog) return undefined;
        for (const part of sqlChunks(userIds)) await trx.deleteFrom('dialog_members').where('dialog_id', '=', dialogId).where('user_id', 'in', part).execute();
        await syncMembers(trx, dialog, userIds, now);
        return reload(trx, appId, dialogId);
      });
    },

    async hideFor(appId, dialogId, userId) {
      await db.transaction().execute(async (trx) => {
        const dialog = await lockDialog(trx, traits, appId, dialogId);
        if (!dialog) return;
        const clearedSeq = await newestSeq(trx, dialogId);
        await trx
          .insertInto('dialog_members')
          .values({ app_id: appId, dialog_id: dialogId, user_id: userId, is_member: 0, hidden: 1, cleared_seq: clearedSeq, joined_at: Date.now() })
          .onConflict((conflict) => conflict.columns(['dialog_id', 'user_id']).doUpdateSet({ hidden: 1, unread_count: 0, cleared_seq: clearedSeq }))
          .execute();
      });
    },

    async setNotifications(appId, dialogId, userId, enabled) {
      if (!(await reload(db, appId, dialogId))) return;
      await db
        .insertInto('dialog_members')
        .values({ app_id: appId, dialog_id: dialogId, user_id: userId, is_member: 0, notifications: enabled ? 1 : 0, joined_at: Date.now() })
        .onConflict((conflict) => conflict.columns(['dialog_id', 'user_id']).doUpdateSet({ notifications: enabled ? 1 : 0 }))
        .execute();
    },

    async memberIds(appId, dialogId, limit, offset) {
      const rows = await db
        .selectFrom('dialog_members')
        .select('user_id')
        .where('app_id', '=', appId)
        .where('dialog_id', '=', dialogId)
        .where('is_member', '=', 1)
        .orderBy('user_id')
        .limit(limit)
        .offset(offset)
        .execute();
      return rows.map((row) => row.user_id);
    },

    async delete(appId, dialogId) {
      return db.transaction().execute(async (trx) => {
        const dialog = await lockDialog(trx, traits, appId, dialogId);
        if (!dialog) return false;
        await deleteMessages(trx, appId, dialogId);
        await trx.deleteFrom('dialog_members').where('dialog_id', '=', dialogId).execute();
        await trx.deleteFrom('dialogs').where('id', '=', dialogId).execute();
        return true;
      });
    },
  };
}
