import type { Selectable } from 'kysely';
import type { MessageRecord } from '../../ports/messages.js';
import { parseJson } from './json.js';
import type { MessagesTable } from './schema.js';

/** A `messages` row as the port's record (shared by the repository and the archive reads without an import cycle). */
export function toMessage(row: Selectable<MessagesTable>): MessageRecord {
  return {
    id: row.id,
    appId: row.app_id,
    dialogId: row.dialog_id,
    seq: Number(row.seq),
    senderId: row.sender_id,
    recipientId: row.recipient_id,
    body: row.body,
    dateSent: Number(row.date_sent),
    attachments: parseJson<Record<string, unknown>[]>(row.attachments, []),
    custom: parseJson<Record<string, unknown>>(row.custom, {}),
    markable: row.markable === 1,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
