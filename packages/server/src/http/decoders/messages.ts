import { isObjectId, reservedMessageKeys, toFlag, toId, toInteger } from '@parley/protocol';
import type { EditMessage, MarkMessages, ReactToMessage, SendMessage } from '../../domain/messages/commands.js';
import type { SendSystemMessage } from '../../domain/live-chat/system.js';
import { DomainFailure, invalidField } from '../../domain/shared/failure.js';
import { bodyObject } from './body.js';

/**
 * ConnectyCube REST bodies of the message routes (schemas in @parley/protocol rest/messages.ts) decoded
 * into the messages domain's commands, with the contract's 422 field messages. Sizes and rights are the
 * domain's to check (one rule for both faces).
 */

const MAX_ATTACHMENTS = 100;
const MAX_REACTION_LENGTH = 32;

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
  if (!items || items.some((item) => typeof item !== 'object' || item === null || Array.isArray(item))) throw invalidField('attachments', 'must be a list of objects');
  if (items.length > MAX_ATTACHMENTS) throw invalidField('attachments', `at most ${MAX_ATTACHMENTS} attachments`);
  return items as Record<string, unknown>[];
}

/** `POST /chat/Message` (rest.md §4.15): always saved; `send_to_chat=1` also routes it live. */
export function decodeCreateMessage(raw: unknown): SendMessage {
  const body = bodyObject(raw);
  const attachments = readAttachments(body.attachments);
  let id: string | undefined;
  if (body._id !== undefined) {
    if (!isObjectId(body._id)) throw invalidField('_id', 'must be a 24-character lowercase hex id');
    id = body._id;
  }
  let dialogId: string | undefined;
  if (body.chat_dialog_id !== undefined) {
    // A malformed id is answered like an unknown dialog, as on every other chat route.
    if (!isObjectId(body.chat_dialog_id)) throw new DomainFailure('CHAT_NOT_FOUND');
    dialogId = body.chat_dialog_id;
  }
  let recipientId: number | undefined;
  if (body.recipient_id !== undefined) {
    recipientId = toId(body.recipient_id);
    if (recipientId === undefined) throw invalidField('recipient_id', 'is not a user id');
  }
  if (dialogId === undefined && recipientId === undefined) throw invalidField('chat_dialog_id', 'chat_dialog_id or recipient_id is required');
  let text: string | null = null;
  if (body.message !== undefined && body.message !== null) {
    if (typeof body.message !== 'string' && typeof body.message !== 'number') throw invalidField('message', 'must be a string');
    text = String(body.message);
  }
  let dateSent: number | undefined;
  if (body.date_sent !== undefined) {
    dateSent = toInteger(body.date_sent);
    if (dateSent === undefined || dateSent < 0) throw invalidField('date_sent', 'must be unix seconds');
  }
  const custom: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!reservedMessageKeys.includes(key) && value !== undefined) custom[key] = value;
  }
  return {
    ...(id === undefined ? {} : { id }),
    to: dialogId !== undefined ? { dialogId } : { recipientId: recipientId ?? 0 },
    body: text,
    attachments,
    custom,
    ...(dateSent === undefined ? {} : { dateSent }),
    markable: toFlag(body.markable) ?? false,
    save: true,
    silent: toFlag(body.silent) ?? false,
    announce: toFlag(body.send_to_chat) ?? false,
  };
}

/** `PUT /chat/Message[/:ids]` (rest.md §4.16): an edit when `message` is given; marks (strict) otherwise or as well. */
export function decodeUpdateMessages(messageIds: string[] | undefined, raw: unknown): { edit?: EditMessage; mark: MarkMessages } {
  const body = bodyObject(raw);
  const text = body.message;
  if (text !== undefined && typeof text !== 'string') throw invalidField('message', 'must be a string');
  const dialogId = typeof body.chat_dialog_id === 'string' && body.chat_dialog_id !== '' ? body.chat_dialog_id : undefined;
  const scope = { ...(dialogId === undefined ? {} : { dialogId }) };
  const mark: MarkMessages = { ...scope, ...(messageIds === undefined ? {} : { messageIds }), read: toFlag(body.read) ?? false, delivered: toFlag(body.delivered) ?? false, strict: true };
  if (typeof text !== 'string') return { mark };
  return { edit: { ...scope, ...(messageIds === undefined ? {} : { messageIds }), body: text, announce: true }, mark };
}

/** `PUT /chat/Message/:id/reactions` (rest.md §4.19). */
export function decodeReaction(messageId: string, raw: unknown): ReactToMessage {
  const body = bodyObject(raw);
  const command: ReactToMessage = { messageId };
  for (const key of ['add', 'remove'] as const) {
    const value = body[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' || value.length === 0 || value.length > MAX_REACTION_LENGTH) throw invalidField(key, `must be a reaction of 1 to ${MAX_REACTION_LENGTH} characters`);
    command[key] = value;
  }
  if (!command.add && !command.remove) throw invalidField('base', 'add or remove is required');
  return command;
}

/** `POST /chat/Message/system` (rest.md §4.18): `recipientId` and the keys to send. */
export function decodeSystemMessage(raw: unknown): SendSystemMessage {
  const { recipientId: rawRecipient, ...params } = bodyObject(raw);
  const recipientId = toId(rawRecipient);
  if (recipientId === undefined) throw invalidField('recipientId', rawRecipient === undefined ? 'is required' : 'is not a user id');
  return { recipientId, params };
}
