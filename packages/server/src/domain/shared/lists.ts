import { toList } from '@parley/protocol';
import { DomainFailure } from './failure.js';

/**
 * Most items one list input may carry (occupant ids, `in`/`nin`/`all` filters, id lists, user ids of
 * permissions …): a request of 100,000 ids once held the event loop for seconds. Over it → 422.
 */
export const MAX_LIST_ITEMS = 1000;

/** `toList` (JSON array or `"a, b"` string) bounded to `max` items; more → 422 naming the field. */
export function readList(value: unknown, field: string, max = MAX_LIST_ITEMS): string[] {
  const items = toList(value);
  if (items.length > max) throw tooMany(field, max);
  return items;
}

export function tooMany(field: string, max = MAX_LIST_ITEMS): DomainFailure {
  return new DomainFailure('VALIDATION_FAILED', { fields: { [field]: [`has too many items (maximum is ${max})`] } });
}
