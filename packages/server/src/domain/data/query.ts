import { MAX_ID, parseDateInput, toFlag, toInteger } from '@parley/protocol';
import type { AggregateOp, ClassField, DataCondition, DataScalar, DataTarget, FieldType } from '../../ports/data-store.js';
import { DomainFailure } from '../shared/failure.js';
import { isStorableText, toLocation, toNumber } from './values.js';
import { readList } from '../shared/lists.js';

/**
 * The custom-object query language (rest.md §6.4): `<f>=v`, `<f>[op]=v` with lt lte gt gte ne in nin
 * all or ctn near calc, `sort_asc`/`sort_desc`, `limit` (max 100, -1 = the last record), `skip`,
 * `count=1`, `output[include|exclude]`, `group_by`. Every name must be a system field or a declared
 * field of the class, every operator must suit the field's type, every value must read as that type;
 * anything else is a 422 naming the parameter. The result is typed conditions the store turns into SQL.
 */

export const DATA_MAX_LIMIT = 100;
/** The end of year 9999: later system-date filters are refused rather than overflowing a column. */
const MAX_DATE_MS = 253_402_300_799_000;

/** Query parameters that are not filters. */
const controlParams = new Set(['limit', 'skip', 'sort_asc', 'sort_desc', 'count', 'output', 'group_by', 'permissions']);

const systemTargets: Record<string, DataTarget> = {
  _id: { system: 'id' },
  _parent_id: { system: 'parent_id' },
  user_id: { system: 'user_id' },
  created_at: { system: 'created_at' },
  updated_at: { system: 'updated_at' },
};

type Operator = 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte' | 'in' | 'nin' | 'all' | 'or' | 'ctn' | 'near' | 'calc';

const comparisons: Operator[] = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'nin', 'or'];
const operatorsByType: Record<FieldType | 'system', Operator[]> = {
  Integer: [...comparisons, 'calc'],
  Float: [...comparisons, 'calc'],
  Date: comparisons,
  String: [...comparisons, 'ctn'],
  Boolean: ['eq', 'ne', 'in', 'nin', 'or'],
  Array: ['eq', 'ne', 'in', 'nin', 'or', 'all'],
  Location: ['near'],
  File: [],
  system: comparisons,
};
const knownOperators = new Set<string>(['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'nin', 'all', 'or', 'ctn', 'near', 'calc']);
const aggregateOps: AggregateOp[] = ['avg', 'min', 'max', 'sum'];

export function invalid(field: string, message: string): DomainFailure {
  return new DomainFailure('VALIDATION_FAILED', { fields: { [field]: [message] } });
}

export function resolveTarget(fields: ClassField[], name: string, param = name): DataTarget {
  const system = Object.hasOwn(systemTargets, name) ? systemTargets[name] : undefined;
  if (system) return system;
  const field = fields.find((candidate) => candidate.name === name);
  if (!field) throw invalid(param, 'is not a field of this class');
  return { field: field.name, type: field.type };
}

const typeOf = (target: DataTarget): FieldType | 'system' => ('system' in target ? 'system' : target.type);

/** One filter value read as the target's type (created_at/updated_at: unix seconds). */
function readValue(target: DataTarget, raw: unknown, param: string): DataScalar {
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') throw invalid(param, 'must be a value');
  if (typeof raw === 'string' && !isStorableText(raw)) throw invalid(param, 'must be text without NUL characters or broken surrogates');
  if ('system' in target) {
    if (target.system === 'user_id') {
      const id = toInteger(raw);
      // user_id is a 32-bit column: a larger value is refused here, not by the database.
      if (id === undefined || Math.abs(id) > MAX_ID) throw invalid(param, 'must be a user id');
      return id;
    }
    if (target.system === 'created_at' || target.system === 'updated_at') {
      const epochMs = parseDateInput(raw);
      if (epochMs === undefined || Math.abs(epochMs) > MAX_DATE_MS) throw invalid(param, 'must be a date (unix seconds or a date string)');
      return Math.floor(epochMs / 1000);
    }
    const text = String(raw);
    if (text.length > 64) throw invalid(param, 'must be an id');
    return text;
  }
  switch (target.type) {
    case 'Integer':
    case 'Float': {
      const number = toNumber(raw);
      if (number === undefined) throw invalid(param, 'must be a number');
      return number;
    }
    case 'Boolean': {
      const flag = toFlag(raw);
      if (flag === undefined) throw invalid(param, 'must be true or false');
      return flag;
    }
    case 'Date': {
      const epochMs = parseDateInput(raw);
      if (epochMs === undefined || Number.isNaN(new Date(epochMs).getTime())) throw invalid(param, 'must be a date (ISO 8601 or unix seconds)');
      return new Date(epochMs).toISOString();
    }
    default:
      return String(raw);
  }
}

/** `lng,lat;radius_m` (rest.md §6.4). */
function readNear(raw: unknown, param: string): { longitude: number; latitude: number; radiusMeters: number } {
  const text = Array.isArray(raw) ? raw.join(',') : String(raw);
  const [point, radiusText] = text.split(';');
  const location = toLocation(point ?? '');
  const radius = toNumber(radiusText);
  if (!location || radius === undefined || radius < 0) throw invalid(param, 'must be "longitude,latitude;radius_in_metres"');
  return { longitude: location[0], latitude: location[1], radiusMeters: radius };
}

export interface Aggregation {
  field: { field: string; type: FieldType };
  op: AggregateOp;
}

/** Filters of a query or a `search_criteria`; control parameters are skipped, calc specs collected. */
export function parseConditions(fields: ClassField[], params: Record<string, unknown>, aggregations: Aggregation[] = []): DataCondition[] {
  const conditions: DataCondition[] = [];
  for (const [name, raw] of Object.entries(params)) {
    if (controlParams.has(name) || raw === undefined) continue;
    if (name === 'near') throw invalid('near', 'must be given on a Location field: <field>[near]=lng,lat;radius');
    const target = resolveTarget(fields, name);
    const allowed = operatorsByType[typeOf(target)];
    const withOperators = typeof raw === 'object' && raw !== null && !Array.isArray(raw);
    const entries: [string, unknown][] = withOperators ? Object.entries(raw as Record<string, unknown>) : [['eq', Array.isArray(raw) ? raw.join(',') : raw]];
    for (const [operator, operand] of entries) {
      // Errors name the parameter as it was sent: `score` or `score[gt]`.
      const param = withOperators ? `${name}[${operator}]` : name;
      if (!knownOperators.has(operator)) throw invalid(param, `unknown operator '${operator}'`);
      const op = operator as Operator;
      if (!allowed.includes(op)) throw invalid(param, `operator '${op}' does not apply to ${typeOf(target) === 'system' ? name : (target as { type: string }).type} fields`);
      if (op === 'calc') {
        if (typeof operand !== 'string' || !aggregateOps.includes(operand as AggregateOp)) throw invalid(param, `must be one of ${aggregateOps.join(', ')}`);
        aggregations.push({ field: target as { field: string; type: FieldType }, op: operand as AggregateOp });
      } else if (op === 'near') {
        conditions.push({ target, op, ...readNear(operand, param) });
      } else if (op === 'in' || op === 'nin' || op === 'or' || op === 'all') {
        const values = readList(operand, param).map((item) => readValue(target, item, param));
        conditions.push({ target, op: op === 'or' ? 'in' : op, values });
      } else if (op === 'ctn') {
        conditions.push({ target, op, value: String(readValue(target, operand, param)) });
      } else {
        conditions.push({ target, op, value: readValue(target, operand, param) });
      }
    }
  }
  return conditions;
}

export interface ListQuery {
  conditions: DataCondition[];
  sort: { target: DataTarget; direction: 'asc' | 'desc' };
  limit: number;
  offset: number;
  count: boolean;
  output: { include?: string[]; exclude?: string[] } | undefined;
  aggregation: (Aggregation & { groupBy: DataTarget; groupName: string }) | undefined;
}

const unsortable: (FieldType | 'system')[] = ['Array', 'Location', 'File'];

function readSort(fields: ClassField[], params: Record<string, unknown>): { target: DataTarget; direction: 'asc' | 'desc' } | undefined {
  for (const direction of ['asc', 'desc'] as const) {
    const raw = params[`sort_${direction}`];
    if (raw === undefined) continue;
    if (typeof raw !== 'string') throw invalid(`sort_${direction}`, 'must be a field name');
    const target = resolveTarget(fields, raw, `sort_${direction}`);
    if (unsortable.includes(typeOf(target))) throw invalid(`sort_${direction}`, 'cannot sort on this field type');
    return { target, direction };
  }
  return undefined;
}

function readOutput(fields: ClassField[], raw: unknown): ListQuery['output'] {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid('output', 'must be output[include]=… or output[exclude]=…');
  const output: NonNullable<ListQuery['output']> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (key !== 'include' && key !== 'exclude') throw invalid(`output[${key}]`, 'must be include or exclude');
    const names = readList(value, `output[${key}]`);
    for (const name of names) resolveTarget(fields, name, `output[${key}]`);
    output[key] = names;
  }
  return output;
}

/** `GET /data/{class}` parameters → a store query (rest.md §6.4). */
export function parseListQuery(fields: ClassField[], params: Record<string, unknown>): ListQuery {
  const aggregations: Aggregation[] = [];
  const conditions = parseConditions(fields, params, aggregations);
  let limit = DATA_MAX_LIMIT;
  let lastOnly = false;
  if (params.limit !== undefined && params.limit !== '') {
    const parsed = toInteger(params.limit);
    if (parsed === undefined || parsed < -1) throw invalid('limit', 'must be a non-negative integer or -1');
    if (parsed === -1) lastOnly = true;
    else if (parsed > 0) limit = Math.min(parsed, DATA_MAX_LIMIT);
  }
  let offset = 0;
  if (params.skip !== undefined && params.skip !== '') {
    const parsed = toInteger(params.skip);
    if (parsed === undefined || parsed < 0) throw invalid('skip', 'must be a non-negative integer');
    offset = parsed;
  }
  let sort = readSort(fields, params) ?? { target: { system: 'id' }, direction: 'asc' as const };
  if (lastOnly) {
    // "Only the last record": the last one in the requested order.
    sort = { ...sort, direction: sort.direction === 'asc' ? 'desc' : 'asc' };
    limit = 1;
    offset = 0;
  }
  let aggregation: ListQuery['aggregation'];
  if (aggregations.length > 1) throw invalid('calc', 'one calc per query');
  const [calc] = aggregations;
  if (calc) {
    const groupName = params.group_by;
    if (typeof groupName !== 'string') throw invalid('group_by', 'cannot be blank with calc');
    const groupBy = resolveTarget(fields, groupName, 'group_by');
    if (unsortable.includes(typeOf(groupBy))) throw invalid('group_by', 'cannot group on this field type');
    aggregation = { ...calc, groupBy, groupName };
  }
  return { conditions, sort, limit, offset, count: toFlag(params.count) === true, output: readOutput(fields, params.output), aggregation };
}
