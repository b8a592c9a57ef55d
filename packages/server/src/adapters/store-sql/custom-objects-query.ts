import { createHash } from 'node:crypto';
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { isFieldName, type DataCondition, type DataScalar, type DataTarget, type FieldType, type RecordScope } from '../../ports/data-store.js';
import { alwaysFalse, alwaysTrue } from './conditions.js';
import type { SqlDialectTraits } from './dialect.js';

/**
 * Custom-object filters, sort and permission scopes → SQL on either engine. Values are always bound
 * parameters. A field name is written into the SQL text (a JSON path has to be literal for an expression
 * index to match the query), so it is checked against `isFieldName` here as well as by the domain.
 */

function fieldName(name: string): string {
  if (!isFieldName(name)) throw new Error(`invalid custom-object field name: ${JSON.stringify(name)}`);
  return name;
}

const numericTypes: readonly FieldType[] = ['Integer', 'Float'];

/**
 * The SQL value of a declared field, exactly as its expression index is written: json_extract on
 * SQLite (numbers stay numbers, booleans are 1/0), `->>` with a cast on PostgreSQL.
 */
export function fieldExpression(traits: SqlDialectTraits, field: string, type: FieldType): RawBuilder<unknown> {
  const name = fieldName(field);
  if (traits.kind === 'sqlite') return sql.raw(`json_extract(fields, '$.${name}')`);
  if (numericTypes.includes(type)) return sql.raw(`((fields ->> '${name}')::float8)`);
  if (type === 'Boolean') return sql.raw(`((fields ->> '${name}')::boolean)`);
  return sql.raw(`(fields ->> '${name}')`);
}

const systemColumns = { id: 'id', parent_id: 'parent_id', user_id: 'user_id', created_at: 'created_at', updated_at: 'updated_at' } as const;

export function targetExpression(traits: SqlDialectTraits, target: DataTarget): RawBuilder<unknown> {
  if ('system' in target) {
    // Stored in epoch ms, filtered and grouped in unix seconds as the wire shows them.
    if (target.system === 'created_at' || target.system === 'updated_at') return sql`(data_records.${sql.raw(target.system)} / 1000)`;
    return sql`${sql.ref(`data_records.${systemColumns[target.system]}`)}`;
  }
  return fieldExpression(traits, target.field, target.type);
}

/** Index of one field of one class: (class, value), so a filtered or sorted class query reads it. */
export function fieldIndexName(classId: number, field: string): string {
  return `data_c${classId}_f${createHash('sha256').update(field).digest('hex').slice(0, 16)}`;
}

export function createFieldIndex(traits: SqlDialectTraits, classId: number, field: string, type: FieldType): RawBuilder<unknown> {
  // NULLs first, as `orderSql` sorts (SQLite's own order), so sorted pages on the field read the index in order.
  const nulls = sql.raw(traits.kind === 'postgres' ? ' nulls first' : '');
  return sql`create index if not exists ${sql.id(fieldIndexName(classId, field))} on data_records (class_id, ${fieldExpression(traits, field, type)}${nulls})`;
}

export function dropFieldIndex(classId: number, field: string): RawBuilder<unknown> {
  return sql`drop index if exists ${sql.id(fieldIndexName(classId, field))}`;
}

/** Strips one field from every record of a class, in SQL. */
export function removeFieldValues(traits: SqlDialectTraits, classId: number, field: string): RawBuilder<unknown> {
  const name = fieldName(field);
  const stripped = traits.kind === 'sqlite' ? sql.raw(`json_remove(fields, '$.${name}')`) : sql.raw(`fields - '${name}'`);
  return sql`update data_records set fields = ${stripped} where class_id = ${classId}`;
}

/** SQLite has no boolean type: true/false are stored and compared as 1/0. */
function bind(traits: SqlDialectTraits, type: FieldType | undefined, value: DataScalar): DataScalar {
  if (type === 'Boolean' && traits.kind === 'sqlite') return value === true ? 1 : 0;
  return value;
}

/** True when some element of the Array field (compared as text) is one of `values`. */
function hasElement(traits: SqlDialectTraits, field: string, values: DataScalar[]): RawBuilder<SqlBool> {
  const name = fieldName(field);
  const texts = values.map(String);
  if (texts.length === 0) return alwaysFalse();
  if (traits.kind === 'sqlite') {
    return sql<SqlBool>`exists (select 1 from json_each(data_records.fields, ${sql.raw(`'$.${name}'`)}) as element where cast(element.value as text) in (${sql.join(texts)}))`;
  }
  return sql<SqlBool>`exists (select 1 from jsonb_array_elements_text(case when jsonb_typeof(data_records.fields -> ${sql.raw(`'${name}'`)}) = 'array' then data_records.fields -> ${sql.raw(`'${name}'`)} else '[]'::jsonb end) as element(value) where element.value in (${sql.join(texts)}))`;
}

function not(condition: RawBuilder<SqlBool>): RawBuilder<SqlBool> {
  return sql<SqlBool>`not (${condition})`;
}

const comparison = { eq: '=', ne: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

/** Metres per degree of latitude (mean), and of longitude at the equator. */
const METRES_PER_DEGREE_LAT = 110_574;
const METRES_PER_DEGREE_LNG = 111_320;

/**
 * Within `radius` metres of a point, on an equirectangular approximation (good to well under 1% for
 * radii of city scale); a bounding box first, so no trigonometry runs in SQL.
 */
function near(traits: SqlDialectTraits, field: string, longitude: number, latitude: number, radius: number): RawBuilder<SqlBool> {
  const name = fieldName(field);
  const lng = traits.kind === 'sqlite' ? sql.raw(`json_extract(fields, '$.${name}[0]')`) : sql.raw(`((fields -> '${name}' ->> 0)::float8)`);
  const lat = traits.kind === 'sqlite' ? sql.raw(`json_extract(fields, '$.${name}[1]')`) : sql.raw(`((fields -> '${name}' ->> 1)::float8)`);
  const perLng = Math.max(METRES_PER_DEGREE_LNG * Math.cos((latitude * Math.PI) / 180), 1e-6);
  const dLat = radius / METRES_PER_DEGREE_LAT;
  const dLng = radius / perLng;
  return sql<SqlBool>`(${lat} between ${latitude - dLat} and ${latitude + dLat} and ${lng} between ${longitude - dLng} and ${longitude + dLng} and ((${lng} - ${longitude}) * ${perLng}) * ((${lng} - ${longitude}) * ${perLng}) + ((${lat} - ${latitude}) * ${METRES_PER_DEGREE_LAT}) * ((${lat} - ${latitude}) * ${METRES_PER_DEGREE_LAT}) <= ${radius * radius})`;
}

/**
 * One filter. "Not equal" and "not in" also match records without a value, as the cloud's MongoDB does;
 * an empty `in` matches nothing and an empty `nin` everything.
 */
export function conditionSql(traits: SqlDialectTraits, condition: DataCondition): RawBuilder<SqlBool> {
  const { target } = condition;
  const type = 'field' in target ? target.type : undefined;
  if (type === 'Array' && 'field' in target) {
    switch (condition.op) {
      case 'eq':
        return hasElement(traits, target.field, [condition.value]);
      case 'ne':
        return not(hasElement(traits, target.field, [condition.value]));
      case 'in':
        return hasElement(traits, target.field, condition.values);
      case 'nin':
        return not(hasElement(traits, target.field, condition.values));
      case 'all':
        return condition.values.length === 0 ? alwaysTrue() : sql<SqlBool>`(${sql.join(condition.values.map((value) => hasElement(traits, target.field, [value])), sql` and `)})`;
      default:
        throw new Error(`operator ${condition.op} on an Array field`);
    }
  }
  if (condition.op === 'near') {
    if (!('field' in target)) throw new Error('near needs a Location field');
    return near(traits, target.field, condition.longitude, condition.latitude, condition.radiusMeters);
  }
  const value = targetExpression(traits, target);
  switch (condition.op) {
    case 'in':
      return condition.values.length === 0 ? alwaysFalse() : sql<SqlBool>`${value} in (${sql.join(condition.values.map((item) => bind(traits, type, item)))})`;
    case 'nin':
      return condition.values.length === 0
        ? alwaysTrue()
        : sql<SqlBool>`(${value} not in (${sql.join(condition.values.map((item) => bind(traits, type, item)))}) or ${value} is null)`;
    case 'all':
      throw new Error('all works on Array fields only');
    case 'ctn':
      return traits.contains(value, condition.value);
    case 'ne':
      return sql<SqlBool>`(${value} <> ${bind(traits, type, condition.value)} or ${value} is null)`;
    default:
      return sql<SqlBool>`${value} ${sql.raw(comparison[condition.op])} ${bind(traits, type, condition.value)}`;
  }
}

/** `,a,b,` membership. */
function listed(traits: SqlDialectTraits, column: string, item: string | number): RawBuilder<SqlBool> {
  return traits.contains(sql.ref(`data_records.${column}`), `,${item},`);
}

/** The records an action may touch (see RecordScope); a record's owner always passes its own rule. */
export function scopeSql(traits: SqlDialectTraits, scope: RecordScope): RawBuilder<SqlBool> {
  switch (scope.kind) {
    case 'all':
      return alwaysTrue();
    case 'none':
      return alwaysFalse();
    case 'owner':
      return sql<SqlBool>`data_records.user_id = ${scope.userId}`;
    case 'recordRule': {
      const access = sql.ref(`data_records.${scope.action}_access`);
      const groups = scope.groups.length === 0 ? alwaysFalse() : sql<SqlBool>`(${sql.join(scope.groups.map((group) => listed(traits, `${scope.action}_groups`, group)), sql` or `)})`;
      return sql<SqlBool>`(data_records.user_id = ${scope.userId} or ${access} = 'open' or (${access} = 'open_for_users_ids' and ${listed(traits, `${scope.action}_users`, scope.userId)}) or (${access} = 'open_for_groups' and ${groups}))`;
    }
  }
}

export function whereSql(traits: SqlDialectTraits, conditions: DataCondition[], scope: RecordScope): RawBuilder<SqlBool> {
  const parts = [scopeSql(traits, scope), ...conditions.map((condition) => conditionSql(traits, condition))];
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}

/** Sort with NULLs first ascending and last descending on both engines (SQLite's own order, so its indexes serve it). */
export function orderSql(traits: SqlDialectTraits, target: DataTarget, direction: 'asc' | 'desc'): RawBuilder<unknown> {
  const value = targetExpression(traits, target);
  // Never-null columns get a plain direction: a NULLS clause would keep PostgreSQL off their indexes.
  const nullable = !('system' in target) || target.system === 'parent_id';
  const dir = sql.raw(nullable ? (direction === 'asc' ? 'asc nulls first' : 'desc nulls last') : direction);
  if ('system' in target && target.system === 'id') return sql`${value} ${dir}`;
  return sql`${value} ${dir}, data_records.id ${sql.raw(direction)}`;
}
