import { sql, type Kysely } from 'kysely';
import type { GroupCommitWriter } from './group-commit.js';
import type { MessageRepository } from '../../ports/messages.js';
import type { SqlDialectTraits } from './dialect.js';
import { lockDialog, newestSeq, toDialog } from './dialogs.js';
import { toMessage } from './message-row.js';
import { readableMessages, userArchive, userArchiveCount } from './message-archive.js';
import { applyMessageConditions } from './message-query.js';
import { countUnread, deleteMessages, hasHiddenMessages, idsInDialog, refreshLastMessage, writeUnread } from './message-state.js';
import type { Database } from './schema.js';

/** `create` goes through the group-committing writer; everything else runs on `db` directly. */
export function sqlMessageRepository(db: Kysely<Database>, traits: SqlDialectTraits, writer: GroupCommitWriter): MessageRepository {
  return {
    create: (message) => writer.create(message),

    async findById(appId, messageId) {
      const row = await db.selectFrom('messages').selectAll().where('app_id', '=', appId).where('id', '=', messageId).executeTakeFirst();
      return row && toMessage(row);
    },

    async findByIds(appId, messageIds) {
      if (messageIds.length === 0) return [];
      const rows = await db.selectFrom('messages').selectAll().where('app_id', '=', appId).where('id', 'in', messageIds).execute();
      return rows.map(toMessage);
    },

    async list(appId, dialogId, viewer, query) {
      const field = query.sort.field === '_id' ? 'id' : query.sort.field;
      const hidden = await hasHiddenMessages(db, appId, dialogId, viewer.userId);
      const rows = await applyMessageConditions(db.selectFrom('messages').selectAll('messages'), appId, dialogId, viewer, query.conditions, traits, hidden)
        .orderBy(sql.ref(`messages.${field}`), query.sort.direction)
        .orderBy('messages.id', query.sort.direction)
        .limit(query.limit)
        .offset(query.offset)
        .execute();
      return rows.map(toMessage);
    },

    async count(appId, dialogId, viewer, conditions) {
      const row = await applyMessageConditions(
        db.selectFrom('messages').select((eb) => eb.fn.countAll<number | string>().as('total')),
        appId,
        dialogId,
        viewer,
        conditions,
        traits,
        await hasHiddenMessages(db, appId, dialogId, viewer.userId),
      ).executeTakeFirstOrThrow();
      return Number(row.total);
    },

    async latest(appId, dialogId, limit) {
      const rows = await db
        .selectFrom('messages')
        .selectAll()
        .where('app_id', '=', appId)
        .where('dialog_id', '=', dialogId)
        .orderBy('date_sent', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.reverse().map(toMessage);
    },

    async receipts(appId, messageIds) {
      const result = new Map<string, { readIds: number[]; deliveredIds: number[] }>();
      if (messageIds.length === 0) return result;
      const rows = await db
        .selectFrom('message_states')
        .select(['message_id', 'user_id', 'read', 'delivered'])
        .where('app_id', '=', appId)
        .where('message_id', 'in', messageIds)
        .where((eb) => eb.or([eb('read', '=', 1), eb('delivered', '=', 1)]))
        .orderBy('user_id')
        .execute();
      for (const row of rows) {
        let entry = result.get(row.message_id);
        if (!entry) result.set(row.message_id, (entry = { readIds: [], deliveredIds: [] }));
        if (row.read === 1) entry.readIds.push(row.user_id);
        if (row.delivered === 1 || row.read === 1) entry.deliveredIds.push(row.user_id);
      }
      return result;
    },

    async reactions(appId, messageIds) {
      const result = new Map<string, { userId: number; reaction: string }[]>();
      if (messageIds.length === 0) return result;
      const rows = await db
        .selectFrom('message_reactions')
        .select(['message_id', 'user_id', 'reaction'])
        .where('app_id', '=', appId)
        .where('message_id', 'in', messageIds)
        .orderBy('created_at')
        .orderBy('user_id')
        .execute();
      for (const row of rows) {
        const list = result.get(row.message_id) ?? [];
        list.push({ userId: row.user_id, reaction: row.reaction });
        result.set(row.message_id, list);
      }
      return result;
    },

    async mark(appId, dialogId, userId, messageIds, marks, now) {
      if (!marks.read && !marks.delivered) return;
      await db.transaction().execute(async (trx) => {
        if (!(await lockDialog(trx, traits, appId, dialogId))) return;
        const member = await trx
          .selectFrom('dialog_members')
          .select(['cleared_seq', 'joined_seq'])
          .where('dialog_id', '=', dialogId)
          .where('user_id', '=', userId)
          .executeTakeFirst();
        let targets = trx
          .selectFrom('messages')
          .leftJoin('message_states as state', (join) =>
            join.onRef('state.message_id', '=', 'messages.id').onRef('state.app_id', '=', 'messages.app_id').on('state.user_id', '=', userId),
          )
          .select(['messages.id', 'messages.seq', 'state.read', 'state.delivered', 'state.hidden'])
          .where('messages.app_id', '=', appId)
          .where('messages.dialog_id', '=', dialogId)
          .where('messages.sender_id', '<>', userId);
        if (messageIds !== undefined) {
          if (messageIds.length === 0) return;
          targets = targets.where('messages.id', 'in', messageIds);
        } else {
          targets = targets.where('messages.seq', '>', Number(member?.cleared_seq ?? 0));
          targets = marks.read
            ? targets.where((eb) => eb.or([eb('state.read', 'is', null), eb('state.read', '=', 0)]))
            : targets.where((eb) => eb.or([eb('state.delivered', 'is', null), eb('state.delivered', '=', 0)]));
        }
        const rows = await targets.execute();
        // Only messages after both the clear and the join point were counted as unread.
        const unreadFrom = Math.max(Number(member?.cleared_seq ?? 0), Number(member?.joined_seq ?? 0));
        let newlyRead = 0;
        const changed: string[] = [];
        for (const row of rows) {
          const wasRead = row.read === 1;
          if (marks.read && !wasRead && row.hidden !== 1 && Number(row.seq) > unreadFrom) newlyRead += 1;
          const read = marks.read || wasRead ? 1 : 0;
          const delivered = marks.delivered || marks.read || row.delivered === 1 ? 1 : 0;
          if (read === (row.read ?? 0) && delivered === (row.delivered ?? 0)) continue;
          changed.push(row.id);
          await trx
            .insertInto('message_states')
            .values({ app_id: appId, dialog_id: dialogId, message_id: row.id, user_id: userId, read, delivered })
            .onConflict((conflict) => conflict.columns(['app_id', 'message_id', 'user_id']).doUpdateSet({ read, delivered }))
            .execute();
        }
        // A read or delivery changes the message (rest.md §4.13: updated_at moves).
        for (let start = 0; start < changed.length; start += 500) {
          await trx.updateTable('messages').set({ updated_at: now }).where('app_id', '=', appId).where('id', 'in', changed.slice(start, start + 500)).execute();
        }
        if (newlyRead > 0 && member) {
          await trx
            .updateTable('dialog_members')
            .set({ unread_count: sql`case when unread_count > ${newlyRead} then unread_count - ${newlyRead} else 0 end` })
            .where('dialog_id', '=', dialogId)
            .where('user_id', '=', userId)
            .execute();
        }
      });
    },

    async updateBody(appId, messageId, body, now) {
      await db.transaction().execute(async (trx) => {
        const message = await trx.selectFrom('messages').select('dialog_id').where('app_id', '=', appId).where('id', '=', messageId).executeTakeFirst();
        // The dialog is locked first, as every other message write does: locking the message row first
        // deadlocked against a concurrent read/delivered mark on PostgreSQL.
        if (!message || !(await lockDialog(trx, traits, appId, message.dialog_id))) return;
        await trx.updateTable('messages').set({ body, updated_at: now }).where('app_id', '=', appId).where('id', '=', messageId).execute();
        await trx.updateTable('dialogs').set({ last_message: body }).where('id', '=', message.dialog_id).where('last_message_id', '=', messageId).execute();
      });
    },

    async hideFor(appId, dialogId, userId, messageIds) {
      if (messageIds.length === 0) return;
      await db.transaction().execute(async (trx) => {
        if (!(await lockDialog(trx, traits, appId, dialogId))) return;
        for (const messageId of await idsInDialog(trx, appId, dialogId, messageIds)) {
          await trx
            .insertInto('message_states')
            .values({ app_id: appId, dialog_id: dialogId, message_id: messageId, user_id: userId, hidden: 1 })
            .onConflict((conflict) => conflict.columns(['app_id', 'message_id', 'user_id']).doUpdateSet({ hidden: 1 }))
            .execute();
        }
        const counts = await countUnread(trx, appId, dialogId);
        await writeUnread(trx, dialogId, new Map([[userId, counts.get(userId) ?? 0]]));
      });
    },

    async deleteForEveryone(appId, dialogId, messageIds) {
      if (messageIds.length === 0) return;
      await db.transaction().execute(async (trx) => {
        if (!(await lockDialog(trx, traits, appId, dialogId))) return;
        const ids = await idsInDialog(trx, appId, dialogId, messageIds);
        if (ids.length === 0) return;
        await deleteMessages(trx, appId, dialogId, ids);
        await refreshLastMessage(trx, dialogId);
        await writeUnread(trx, dialogId, await countUnread(trx, appId, dialogId));
      });
    },

    async clearHistory(appId, dialogId, userId) {
      await db.transaction().execute(async (trx) => {
        if (!(await lockDialog(trx, traits, appId, dialogId))) return;
        if (userId === 'everyone') {
          await deleteMessages(trx, appId, dialogId);
          await refreshLastMessage(trx, dialogId);
          await trx.updateTable('dialog_members').set({ unread_count: 0 }).where('dialog_id', '=', dialogId).execute();
          return;
        }
        const clearedSeq = await newestSeq(trx, dialogId);
        // Upsert: a broadcast reader without a member row keeps the clear point in a state-only row.
        await trx
          .insertInto('dialog_members')
          .values({ app_id: appId, dialog_id: dialogId, user_id: userId, is_member: 0, cleared_seq: clearedSeq, joined_at: Date.now() })
          .onConflict((conflict) => conflict.columns(['dialog_id', 'user_id']).doUpdateSet({ cleared_seq: clearedSeq, unread_count: 0 }))
          .execute();
      });
    },

    async react(appId, messageId, userId, change, now) {
      await db.transaction().execute(async (trx) => {
        const message = await trx.selectFrom('messages').select('id').where('app_id', '=', appId).where('id', '=', messageId).executeTakeFirst();
        if (!message) return;
        if (change.remove !== undefined) {
          await trx
            .deleteFrom('message_reactions')
            .where('app_id', '=', appId)
            .where('message_id', '=', messageId)
            .where('user_id', '=', userId)
            .where('reaction', '=', change.remove)
            .execute();
        }
        if (change.add !== undefined) {
          await trx
            .insertInto('message_reactions')
            .values({ app_id: appId, message_id: messageId, user_id: userId, reaction: change.add, created_at: now })
            .onConflict((conflict) => conflict.columns(['app_id', 'message_id', 'user_id', 'reaction']).doNothing())
            .execute();
        }
      });
    },

    async search(appId, userId, search) {
      if (search.dialogIds?.length === 0) return [];
      let query = readableMessages(db, appId, userId).selectAll('messages').where(traits.contains(sql.ref('messages.body'), search.text));
      if (search.dialogIds) query = query.where('messages.dialog_id', 'in', search.dialogIds);
      if (search.from !== undefined) query = query.where('messages.date_sent', '>=', Math.floor(search.from / 1000));
      if (search.to !== undefined) query = query.where('messages.date_sent', '<=', Math.floor(search.to / 1000));
      const rows = await query.orderBy('messages.date_sent', 'desc').orderBy('messages.id', 'desc').limit(search.limit).execute();
      return rows.map(toMessage);
    },

    async searchDialogs(appId, userId, search) {
      if (search.dialogIds?.length === 0) return [];
      let query = db
        .selectFrom('dialogs')
        .innerJoin('dialog_members as member', (join) => join.onRef('member.dialog_id', '=', 'dialogs.id').on('member.user_id', '=', userId))
        .selectAll('dialogs')
        .where('dialogs.app_id', '=', appId)
        .where('member.is_member', '=', 1)
        .where('member.hidden', '=', 0)
        .where((eb) =>
          eb.or([
            traits.contains(sql.ref('dialogs.name'), search.text),
            // A private dialog is found by the name it is shown with: the peer's full_name, else login.
            eb.and([
              eb('dialogs.type', '=', 3),
              eb.exists(
                eb
                  .selectFrom('dialog_members as peer')
                  .innerJoin('users', (join) => join.onRef('users.id', '=', 'peer.user_id').onRef('users.app_id', '=', 'peer.app_id'))
                  .select(sql<number>`1`.as('one'))
                  .whereRef('peer.dialog_id', '=', 'dialogs.id')
                  .where('peer.user_id', '<>', userId)
                  .where(traits.contains(sql`coalesce(nullif(trim(users.full_name), ''), users.login)`, search.text)),
              ),
            ]),
          ]),
        );
      if (search.dialogIds) query = query.where('dialogs.id', 'in', search.dialogIds);
      const rows = await query.orderBy('dialogs.updated_at', 'desc').limit(search.limit).execute();
      return rows.map(toDialog);
    },

    async unreadCounts(appId, userId, dialogIds) {
      const total = await db
        .selectFrom('dialog_members')
        .select((eb) => eb.fn.sum<number | string | null>('unread_count').as('total'))
        .where('app_id', '=', appId)
        .where('user_id', '=', userId)
        .where('is_member', '=', 1)
        .where('hidden', '=', 0)
        .executeTakeFirst();
      const byDialog = new Map<string, number>(dialogIds.map((id) => [id, 0]));
      if (dialogIds.length > 0) {
        const rows = await db
          .selectFrom('dialog_members')
          .select(['dialog_id', 'unread_count'])
          .where('app_id', '=', appId)
          .where('user_id', '=', userId)
          .where('is_member', '=', 1)
          .where('dialog_id', 'in', dialogIds)
          .execute();
        for (const row of rows) byDialog.set(row.dialog_id, Number(row.unread_count));
      }
      return { total: Number(total?.total ?? 0), byDialog };
    },

    userArchive: (appId, userId, query) => userArchive(db, appId, userId, query),
    userArchiveCount: (appId, userId, window) => userArchiveCount(db, appId, userId, window),

    recountUnread: (appId, dialogId) => countUnread(db, appId, dialogId),
  };
}
