import type { MessageCondition, MessageQuery } from '../../ports/messages.js';
import { DomainFailure } from '../shared/failure.js';
import { parseFilters, readLimit, readSkip, readSort, type FilterValueKind } from '../shared/filters.js';

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
export function parseMessageQuery(params: Record<string, unknown>): MessageQuery {
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
