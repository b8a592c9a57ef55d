// `chat.search` (rest.md §4.21): the query the official SDK 6.1.2 builds from its params.
import type { ApiRequest } from '../http/types.js';
import type { ChatSearchParams } from './types.js';

/**
 * Shallow copy with the dates as ISO strings (`new Date(value)`, so numbers are milliseconds; an
 * invalid date throws a RangeError) and an array of dialog ids joined with `","`. Falsy dates are
 * sent unchanged, as in the official SDK.
 */
export function searchQuery(params: ChatSearchParams = {}): ChatSearchParams {
  const query: ChatSearchParams = { ...params };
  if (query.start_date) query.start_date = new Date(query.start_date).toISOString();
  if (query.end_date) query.end_date = new Date(query.end_date).toISOString();
  if (Array.isArray(query.chat_dialog_ids)) query.chat_dialog_ids = query.chat_dialog_ids.join(',');
  return query;
}

export function searchRequest(params?: ChatSearchParams): ApiRequest {
  return { method: 'GET', path: 'chat/search', data: searchQuery(params) };
}
