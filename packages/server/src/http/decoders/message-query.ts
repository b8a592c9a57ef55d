import { isObjectId, parseDateInput, toFlag, toInteger, toList } from '@parley/protocol';
import type { MessageCondition, MessageQuery, MessageSearch } from '../../ports/messages.js';
import type { ListMessages } from '../../domain/messages/query.js';
import { DomainFailure, invalidField, type FieldErrors } from '../../domain/shared/failure.js';
import { parseFilters, readLimit, readSkip, readSort, type FilterValueKind } from '../../domain/shared/filters.js';
import { readList } from '../../domain/shared/lists.js';
import { deferInvalid } from './body.js';

/** Query parameters of the message reads (rest.md §4.14, §4.20, §4.21) decoded into the messages domain's queries. */

export const MESSAGE_MAX_LIMIT = 100;

const filterFields: Record<string, FilterValueKind> = {
  _id: 'text',
  message: 'text',
  date_sent: 'unixSeconds',
  sender_id: 'integer',
  recipient_id: 'integer',
  updated_at: 'epochMs',
  created_at: 'epochMs',
  'attachments.type': 'text',
};

const sortFields = { date_sent: 'date_sent', _id: '_id', created_at: 'created_at', updated_at: 'updated_at' } as const;

/** `GET /chat/Message` filters, sort and window (rest.md §4.14). `attachments[type]` also works. */
function parseMessageQuery(params: Record<string, unknown>): MessageQuery {
  const attachments = params.attachments;
  const withAttachmentType =
    attachments && typeof attachments === 'object' && !Array.isArray(attachments) && 'type' in attachments
      ? { ...params, 'attachments.type': (attachments as Record<string, unknown>).type }
      : params;
  const conditions = parseFilters(withAttachmentType, filterFields).map((filter) => {
    if (filter.op === 'all') throw new DomainFailure('VALIDATION_FAILED', { fields: { [filter.field]: ['all is not supported on messages'] } });
    return filter as MessageCondition;
  });
  return {
    conditions,
    sort: readSort(params, sortFields, { field: 'date_sent', direction: 'asc' }),
    limit: readLimit(params.limit, MESSAGE_MAX_LIMIT, MESSAGE_MAX_LIMIT),
    offset: readSkip(params.skip),
  };
}

/** `GET /chat/Message`: `chat_dialog_id` is required at once; a bad filter is reported after the dialog's access check. */
export function decodeMessageList(params: Record<string, unknown>): ListMessages {
  const dialogId = params.chat_dialog_id;
  if (typeof dialogId !== 'string' || dialogId === '') throw invalidField('chat_dialog_id', 'cannot be blank');
  const invalid: FieldErrors = {};
  const query = deferInvalid(invalid, { conditions: [], sort: { field: 'date_sent', direction: 'asc' }, limit: 0, offset: 0 }, () => parseMessageQuery(params));
  return { dialogId, query, preview: toFlag(params.preview) ?? false, count: toFlag(params.count) ?? false, markAsRead: toFlag(params.mark_as_read) ?? true, invalid };
}

/** `GET /chat/Message/unread` (rest.md §4.20): the dialogs to count, `chat_dialog_ids` or `dialogs_ids`; other ids are ignored. */
export function decodeUnreadDialogs(params: Record<string, unknown>): string[] {
  return readList(params.chat_dialog_ids ?? params.dialogs_ids, 'chat_dialog_ids').filter(isObjectId);
}

const MAX_SEARCH_DIALOGS = 10;
const MAX_SEARCH_RANGE_MS = 92 * 24 * 3600 * 1000;
const MIN_SEARCH_TEXT = 4;

/** `GET /chat/search` (rest.md §4.21): at least 4 characters, at most 10 dialogs, `start_date` (newest) and `end_date` (oldest) at most 3 months apart. */
export function decodeMessageSearch(params: Record<string, unknown>): MessageSearch {
  const text = params.search_text;
  if (typeof text !== 'string' || text.length < MIN_SEARCH_TEXT) throw invalidField('search_text', `must be at least ${MIN_SEARCH_TEXT} characters`);
  const dialogIds = params.chat_dialog_ids === undefined ? undefined : toList(params.chat_dialog_ids);
  if (dialogIds && dialogIds.length > MAX_SEARCH_DIALOGS) throw invalidField('chat_dialog_ids', `at most ${MAX_SEARCH_DIALOGS} dialogs`);
  const newest = params.start_date === undefined ? undefined : parseDateInput(params.start_date);
  const oldest = params.end_date === undefined ? undefined : parseDateInput(params.end_date);
  if (params.start_date !== undefined && newest === undefined) throw invalidField('start_date', 'is not a date');
  if (params.end_date !== undefined && oldest === undefined) throw invalidField('end_date', 'is not a date');
  if (newest !== undefined && oldest === undefined) throw invalidField('end_date', 'is required with start_date');
  if (newest !== undefined && oldest !== undefined && newest - oldest > MAX_SEARCH_RANGE_MS) throw invalidField('start_date', 'the range may span at most 3 months');
  const limit = Math.min(Math.max(toInteger(params.limit) ?? MESSAGE_MAX_LIMIT, 1), MESSAGE_MAX_LIMIT);
  return { text, limit, ...(dialogIds ? { dialogIds: dialogIds.filter(isObjectId) } : {}), ...(oldest !== undefined ? { from: oldest } : {}), ...(newest !== undefined ? { to: newest } : {}) };
}
