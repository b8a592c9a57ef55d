import { toList } from '@parley/protocol';
import { DomainFailure } from './failure.js';

/**
 * Most items one list input may carry (occupant ids, `in`/`nin`/`all` filters, id lists, user ids of
 * permissions …): a request of 100,000 ids once held the event loop for seconds. Over it → 422.
 */
export const MAX_LIST_ITEMS = 1000;

/**
 * Whether a list input surely holds more than `max` items, known without splitting or converting it
 * (array length, or commas in a string), so a huge input is refused at the cost of one pass.
 */
export function surelyTooLong(value: unknown, max = MAX_LIST_ITEMS): boolean {
  if (Array.isArray(value)) return value.length > max;
  if (typeof value !== 'string' || value.length <= max) return false;
  let commas = 0;
  for (let at = value.indexOf(','); at !== -1; at = value.indexOf(',', at + 1)) if ((commas += 1) > max) return true;
  return false;
}

/** `toList` (JSON array or `"a, b"` string) bounded to `max` items; more → 422 naming the field. */
export function readList(value: unknown, field: string, max = MAX_LIST_ITEMS): string[] {
  if (surelyTooLong(value, max)) throw tooMany(field, max);
  const items = toList(value);
  if (items.length > max) throw tooMany(field, max);
  return items;
}

export function tooMany(field: string, max = MAX_LIST_ITEMS): DomainFailure {
  return new DomainFailure('VALIDATION_FAILED', { fields: { [field]: [`has too many items (maximum is ${max})`] } });
}
