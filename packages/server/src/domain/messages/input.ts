import { isObjectId, reservedMessageKeys, toFlag, toId, toInteger } from '@parley/protocol';
import { DomainFailure } from '../shared/failure.js';

/** A decoded `POST /chat/Message` body (rest.md §4.15). */
export interface MessageInput {
  id?: string;
  dialogId?: string;
  recipientId?: number;
  body: string | null;
  attachments: Record<string, unknown>[];
  custom: Record<string, unknown>;
  dateSent?: number;
  markable: boolean;
  /** `send_to_chat=1`: also route the stored message over the real-time channel. */
  sendToChat: boolean;
  /** `silent=1`: no chat alert for offline recipients. */
  silent: boolean;
}

const MAX_ATTACHMENTS = 100;

function invalid(field: string, message: string): DomainFailure {
  return new DomainFailure('VALIDATION_FAILED', { fields: { [field]: [message] } });
}

/** Attachments as an array, or the docs' index-keyed object stored in key order [A-48]. */
export function readAttachments(value: unknown): Record<string, unknown>[] {
  if (value === undefined || value === null || value === '') return [];
  const items = Array.isArray(value)
    ? value
    : typeof value === 'object'
      ? Object.entries(value as Record<string, unknown>)
          .sort(([a], [b]) => Number(a) - Number(b))
          .map(([, item]) => item)
      : undefined;
  if (!items || items.some((item) => typeof item !== 'object' || item === null || Array.isArray(item))) {
    throw invalid('attachments', 'must be a list of objects');
  }
  if (items.length > MAX_ATTACHMENTS) throw invalid('attachments', `at most ${MAX_ATTACHMENTS} attachments`);
  return items as Record<string, unknown>[];
}

export function readMessageInput(body: Record<string, unknown>, maxBytes: number): MessageInput {
  const input: MessageInput = { body: null, attachments: readAttachments(body.attachments), custom: {}, markable: toFlag(body.markable) ?? false, sendToChat: toFlag(body.send_to_chat) ?? false, silent: toFlag(body.silent) ?? false };
  if (body._id !== undefined) {
    if (!isObjectId(body._id)) throw invalid('_id', 'must be a 24-character lowercase hex id');
    input.id = body._id;
  }
  if (body.chat_dialog_id !== undefined) {
    // A malformed id is answered like an unknown dialog, as on every other chat route.
    if (!isObjectId(body.chat_dialog_id)) throw new DomainFailure('CHAT_NOT_FOUND');
    input.dialogId = body.chat_dialog_id;
  }
  if (body.recipient_id !== undefined) {
    const recipient = toId(body.recipient_id);
    if (recipient === undefined) throw invalid('recipient_id', 'is not a user id');
    input.recipientId = recipient;
  }
  if (input.dialogId === undefined && input.recipientId === undefined) throw invalid('chat_dialog_id', 'chat_dialog_id or recipient_id is required');
  if (body.message !== undefined && body.message !== null) {
    if (typeof body.message !== 'string' && typeof body.message !== 'number') throw invalid('message', 'must be a string');
    input.body = String(body.message);
    if (Buffer.byteLength(input.body) > maxBytes) throw invalid('message', `is too long (maximum is ${maxBytes} bytes)`);
  }
  if (body.date_sent !== undefined) {
    const seconds = toInteger(body.date_sent);
    if (seconds === undefined || seconds < 0) throw invalid('date_sent', 'must be unix seconds');
    input.dateSent = seconds;
  }
  for (const [key, value] of Object.entries(body)) {
    if (!reservedMessageKeys.includes(key) && value !== undefined) input.custom[key] = value;
  }
  if (Buffer.byteLength(JSON.stringify(input.custom)) > maxBytes) throw invalid('base', `custom parameters are too large (maximum is ${maxBytes} bytes)`);
  return input;
}
