import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { MessageRecord, NewMessage } from '../../ports/messages.js';
import type { SqlDialectTraits } from './dialect.js';
import { toMessage } from './message-row.js';
import type { Database, DialogsTable, MessagesTable } from './schema.js';
import { sqlChunks } from './sql-chunks.js';

/**
 * The group-committed write of many new messages: one transaction, one multi-row insert, and per dialog
 * one statement for its last message and one for all its members' unread counters, however many of the
 * batch's messages went to it. Results are plain data (they cross a worker-thread boundary on SQLite).
 */

/** What became of one message of a batch, in batch order. */
export type BatchOutcome =
  | { ok: true; message: MessageRecord; created: boolean }
  /** `conflict`: the id is taken by a message of another dialog; `no-dialog`: the dialog is gone. */
  | { ok: false; reason: 'conflict' | 'no-dialog' };

/** Rows per insert statement: 12 columns each stays far below both engines' bound-parameter limits. */
const INSERT_ROWS = 256;

type DialogHead = Pick<Selectable<DialogsTable>, 'id' | 'app_id' | 'updated_at' | 'last_message_id' | 'last_message_date_sent'>;

export async function writeMessageBatch(db: Kysely<Database>, traits: SqlDialectTraits, batch: readonly NewMessage[]): Promise<BatchOutcome[]> {
  if (batch.length === 0) return [];
  return db.transaction().execute((trx) => writeInTransaction(trx, traits, batch));
}

async function writeInTransaction(trx: Transaction<Database>, traits: SqlDialectTraits, batch: readonly NewMessage[]): Promise<BatchOutcome[]> {
  const dialogs = await lockDialogs(trx, traits, batch);
  const outcomes = new Array<BatchOutcome | undefined>(batch.length);
  const writable: number[] = [];
  batch.forEach((message, index) => {
    if (dialogs.get(message.dialogId)?.app_id === message.appId) writable.push(index);
    else outcomes[index] = { ok: false, reason: 'no-dialog' };
  });

  const inserted = new Map<string, Selectable<MessagesTable>>();
  for (const part of sqlChunks(writable, INSERT_ROWS)) {
    const rows = await trx
      .insertInto('messages')
      .values(part.map((index) => messageRow(batch[index] as NewMessage)))
      .onConflict((conflict) => conflict.columns(['app_id', 'id']).doNothing())
      .returningAll()
      .execute();
    for (const row of rows) inserted.set(`${row.app_id}:${row.id}`, row);
  }

  // The first of the batch with a fresh id created it; later ones (and ids stored earlier) are replays.
  const claimed = new Set<string>();
  const replays: number[] = [];
  for (const index of writable) {
    const message = batch[index] as NewMessage;
    const key = `${message.appId}:${message.id}`;
    const row = inserted.get(key);
    if (row && !claimed.has(key)) {
      claimed.add(key);
      outcomes[index] = { ok: true, message: toMessage(row), created: true };
    } else replays.push(index);
  }
  await resolveReplays(trx, batch, replays, inserted, outcomes);

  const createdByDialog = new Map<string, MessageRecord[]>();
  for (const outcome of outcomes) {
    if (!outcome?.ok || !outcome.created) continue;
    const list = createdByDialog.get(outcome.message.dialogId) ?? [];
    list.push(outcome.message);
    createdByDialog.set(outcome.message.dialogId, list);
  }
  for (const [dialogId, created] of createdByDialog) {
    await moveLastMessage(trx, dialogs.get(dialogId) as DialogHead, created);
    await countUnread(trx, dialogId, created);
  }
  return outcomes as BatchOutcome[];
}

/** The batch's dialogs, read (and on PostgreSQL row-locked, in id order) in one statement per chunk. */
async function lockDialogs(trx: Transaction<Database>, traits: SqlDialectTraits, batch: readonly NewMessage[]): Promise<Map<string, DialogHead>> {
  const ids = [...new Set(batch.map((message) => message.dialogId))].sort();
  const found = new Map<string, DialogHead>();
  for (const part of sqlChunks(ids)) {
    const query = trx
      .selectFrom('dialogs')
      .select(['id', 'app_id', 'updated_at', 'last_message_id', 'last_message_date_sent'])
      .where('id', 'in', part)
      .orderBy('id');
    for (const row of await (traits.rowLocks ? query.forUpdate() : query).execute()) found.set(row.id, row);
  }
  return found;
}

function messageRow(message: NewMessage) {
  return {
    id: message.id,
    app_id: message.appId,
    dialog_id: message.dialogId,
    sender_id: message.senderId,
    recipient_id: message.recipientId,
    body: message.body,
    date_sent: message.dateSent,
    attachments: JSON.stringify(message.attachments),
    custom: Object.keys(message.custom).length > 0 ? JSON.stringify(message.custom) : null,
    markable: message.markable ? 1 : 0,
    created_at: message.createdAt,
    updated_at: message.updatedAt,
  };
}

/** A replayed id hands back the stored message when it is in the same dialog; another dialog's id is a conflict. */
async function resolveReplays(
  trx: Transaction<Database>,
  batch: readonly NewMessage[],
  replays: number[],
  inserted: Map<string, Selectable<MessagesTable>>,
  outcomes: (BatchOutcome | undefined)[],
): Promise<void> {
  const stored = new Map(inserted);
  const missing = replays.map((index) => batch[index] as NewMessage).filter((message) => !stored.has(`${message.appId}:${message.id}`));
  for (const appId of new Set(missing.map((message) => message.appId))) {
    const ids = [...new Set(missing.filter((message) => message.appId === appId).map((message) => message.id))];
    for (const part of sqlChunks(ids)) {
      for (const row of await trx.selectFrom('messages').selectAll().where('app_id', '=', appId).where('id', 'in', part).execute()) {
        stored.set(`${row.app_id}:${row.id}`, row);
      }
    }
  }
  for (const index of replays) {
    const message = batch[index] as NewMessage;
    const row = stored.get(`${message.appId}:${message.id}`);
    // An id taken in another dialog is a conflict, never a silent merge.
    outcomes[index] = row && row.dialog_id === message.dialogId ? { ok: true, message: toMessage(row), created: false } : { ok: false, reason: 'conflict' };
  }
}

function isNewer(a: { dateSent: number; id: string }, b: { dateSent: number; id: string }): boolean {
  return a.dateSent > b.dateSent || (a.dateSent === b.dateSent && a.id > b.id);
}

/** One update: `updated_at` and, when the batch holds a newer one, the last message (date_sent, then id). */
async function moveLastMessage(trx: Transaction<Database>, dialog: DialogHead, created: MessageRecord[]): Promise<void> {
  let newest = created[0] as MessageRecord;
  for (const message of created) if (isNewer(message, newest)) newest = message;
  const current = dialog.last_message_id === null ? null : { id: dialog.last_message_id, dateSent: Number(dialog.last_message_date_sent) };
  const updatedAt = Math.max(Number(dialog.updated_at), ...created.map((message) => message.createdAt));
  await trx
    .updateTable('dialogs')
    .set({
      updated_at: updatedAt,
      ...(current === null || isNewer(newest, current)
        ? { last_message_id: newest.id, last_message: newest.body, last_message_user_id: newest.senderId, last_message_date_sent: newest.dateSent }
        : {}),
    })
    .where('id', '=', dialog.id)
    .execute();
}

/**
 * One update for every member of the dialog: each new message counts as unread for every member but its
 * sender, and the dialog comes back for anyone who had hidden it.
 */
async function countUnread(trx: Transaction<Database>, dialogId: string, created: MessageRecord[]): Promise<void> {
  const sentBy = new Map<number, number>();
  for (const message of created) sentBy.set(message.senderId, (sentBy.get(message.senderId) ?? 0) + 1);
  const own = sql.join(
    [...sentBy].map(([senderId, count]) => sql`when ${senderId} then ${count}`),
    sql` `,
  );
  await trx
    .updateTable('dialog_members')
    .set({ unread_count: sql<number>`unread_count + ${created.length} - (case user_id ${own} else 0 end)`, hidden: 0 })
    .where('dialog_id', '=', dialogId)
    .where('is_member', '=', 1)
    .execute();
}
