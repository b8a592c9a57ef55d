import { MAX_ID, parseDateInput, toInteger } from '@parley/protocol';
import { DomainFailure } from './failure.js';
import { readList } from './lists.js';

/**
 * Chat list filters (rest.md §4.3, §4.14): `<f>=v` and `<f>[op]=v` with lt lte gt gte ne in nin all ctn.
 * Each field declares how its values are read; unknown keys are ignored, bad values are a 422.
 */
export type FilterValueKind = 'text' | 'integer' | 'unixSeconds' | 'epochMs';

export type Operator = 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte' | 'in' | 'nin' | 'all' | 'ctn';

export type ParsedFilter =
  | { field: string; op: 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte'; value: string | number }
  | { field: string; op: 'in' | 'nin' | 'all'; values: (string | number)[] }
  | { field: string; op: 'ctn'; value: string };

const operators: readonly Operator[] = ['lt', 'lte', 'gt', 'gte', 'ne', 'in', 'nin', 'all', 'ctn'];

function invalid(field: string, message: string): DomainFailure {
  return new DomainFailure('VALIDATION_FAILED', { fields: { [field]: [message] } });
}

export function readValue(field: string, kind: FilterValueKind, raw: unknown): string | number {
  if (typeof raw !== 'string' && typeof raw !== 'number') throw invalid(field, 'must be a value');
  if (kind === 'text') return String(raw);
  if (kind === 'integer') {
    const value = toInteger(raw);
    // Stored integers are 32-bit; a larger filter value is refused rather than failing in the database.
    if (value === undefined || Math.abs(value) > MAX_ID) throw invalid(field, `must be an integer of at most ${MAX_ID}`);
    return value;
  }
  const epochMs = parseDateInput(raw);
  if (epochMs === undefined) throw invalid(field, 'must be a date (unix seconds or a date string)');
  return kind === 'epochMs' ? epochMs : Math.floor(epochMs / 1000);
}

export function parseFilters(params: Record<string, unknown>, fields: Record<string, FilterValueKind>): ParsedFilter[] {
  const filters: ParsedFilter[] = [];
  for (const [field, kind] of Object.entries(fields)) {
    const raw = params[field];
    if (raw === undefined) continue;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      filters.push({ field, op: 'eq', value: readValue(field, kind, Array.isArray(raw) ? raw.join(',') : raw) });
      continue;
    }
    for (const [operator, operand] of Object.entries(raw as Record<string, unknown>)) {
      if (!operators.includes(operator as Operator)) throw invalid(field, `unknown operator '${operator}'`);
      const op = operator as Operator;
      if (op === 'in' || op === 'nin' || op === 'all') {
        filters.push({ field, op, values: readList(operand, field).map((item) => readValue(field, kind, item)) });
      } else if (op === 'ctn') {
        filters.push({ field, op, value: String(readValue(field, 'text', operand)) });
      } else {
        filters.push({ field, op, value: readValue(field, kind, operand) });
      }
    }
  }
  return filters;
}

export function readLimit(value: unknown, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = toInteger(value);
  if (parsed === undefined || parsed < 0) throw invalid('limit', 'must be a non-negative integer');
  return Math.min(parsed === 0 ? fallback : parsed, max);
}

export function readSkip(value: unknown): number {
  if (value === undefined || value === '') return 0;
  const parsed = toInteger(value);
  if (parsed === undefined || parsed < 0) throw invalid('skip', 'must be a non-negative integer');
  return parsed;
}

/** `sort_asc=f` / `sort_desc=f` among the allowed fields (with aliases), else the default. */
export function readSort<F extends string>(params: Record<string, unknown>, allowed: Record<string, F>, fallback: { field: F; direction: 'asc' | 'desc' }) {
  for (const direction of ['asc', 'desc'] as const) {
    const field = params[`sort_${direction}`];
    if (field === undefined) continue;
    // Own keys only: `__proto__`, `constructor`, `toString` … are not sort fields.
    const mapped = typeof field === 'string' && Object.hasOwn(allowed, field) ? allowed[field] : undefined;
    if (!mapped) throw invalid(`sort_${direction}`, `must be one of ${Object.keys(allowed).join(', ')}`);
    return { field: mapped, direction };
  }
  return fallback;
}
