import type { DialogCondition, DialogQuery } from '../../ports/dialogs.js';
import { DomainFailure } from '../../domain/shared/failure.js';
import { parseFilters, readLimit, readSkip, readSort, type FilterValueKind } from '../../domain/shared/filters.js';

export const DIALOG_MAX_LIMIT = 100;

const filterFields: Record<string, FilterValueKind> = {
  _id: 'text',
  type: 'integer',
  name: 'text',
  last_message_date_sent: 'unixSeconds',
  created_at: 'epochMs',
  updated_at: 'epochMs',
  user_id: 'integer',
  occupants_ids: 'integer',
};

const sortFields = {
  last_message_date_sent: 'last_message_date_sent',
  date_sent: 'last_message_date_sent',
  created_at: 'created_at',
  updated_at: 'updated_at',
  _id: '_id',
  name: 'name',
} as const;

/** `GET /chat/Dialog` parameters → store query (rest.md §4.3). */
export function parseDialogQuery(params: Record<string, unknown>): DialogQuery {
  const conditions: DialogCondition[] = [];
  for (const filter of parseFilters(params, filterFields)) {
    if (filter.field === 'occupants_ids') {
      const values = ('values' in filter ? filter.values : [filter.value]).map(Number);
      const op = filter.op === 'eq' || filter.op === 'in' ? 'in' : filter.op === 'all' ? 'all' : filter.op === 'nin' || filter.op === 'ne' ? 'nin' : undefined;
      if (!op) throw new DomainFailure('VALIDATION_FAILED', { fields: { occupants_ids: [`operator ${filter.op} is not supported`] } });
      conditions.push({ field: 'occupants_ids', op, values });
    } else if (filter.op === 'all') {
      throw new DomainFailure('VALIDATION_FAILED', { fields: { [filter.field]: ['all works only on occupants_ids'] } });
    } else {
      conditions.push(filter as DialogCondition);
    }
  }
  const extensions = params.extensions;
  if (extensions && typeof extensions === 'object' && !Array.isArray(extensions)) {
    const keys = Object.keys(extensions as Record<string, unknown>);
    for (const filter of parseFilters(extensions as Record<string, unknown>, Object.fromEntries(keys.map((key) => [key, 'text' as const])))) {
      if (filter.op === 'eq' || filter.op === 'ne' || filter.op === 'ctn') conditions.push({ field: 'extension', key: filter.field, op: filter.op, value: String(filter.value) });
      else if (filter.op === 'in' || filter.op === 'nin') conditions.push({ field: 'extension', key: filter.field, op: filter.op, values: filter.values.map(String) });
      else throw new DomainFailure('VALIDATION_FAILED', { fields: { [`extensions[${filter.field}]`]: [`operator ${filter.op} is not supported`] } });
    }
  }
  return {
    conditions,
    sort: readSort(params, sortFields, { field: 'updated_at', direction: 'desc' }),
    limit: readLimit(params.limit, DIALOG_MAX_LIMIT, DIALOG_MAX_LIMIT),
    offset: readSkip(params.skip),
  };
}
