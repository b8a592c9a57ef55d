import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';

/** The comparison and set operators every list filter shares (users, dialogs, messages). */
export type ScalarCondition =
  | { op: 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte'; value: string | number }
  | { op: 'in' | 'nin'; values: (string | number)[] };

const operator = { eq: '=', ne: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

export const alwaysFalse = () => sql<SqlBool>`1 = 0`;
export const alwaysTrue = () => sql<SqlBool>`1 = 1`;

/**
 * One condition on one value. "Not equal" and "not in" also match empty (NULL) values, as the cloud's
 * MongoDB does; an empty `in` list matches nothing and an empty `nin` list everything.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- works on any table's expression builder
export function scalarCondition(eb: ExpressionBuilder<any, any>, value: Expression<unknown>, condition: ScalarCondition): Expression<SqlBool> {
  switch (condition.op) {
    case 'in':
      return condition.values.length === 0 ? alwaysFalse() : eb(value, 'in', condition.values);
    case 'nin':
      return condition.values.length === 0 ? alwaysTrue() : eb.or([eb(value, 'not in', condition.values), eb(value, 'is', null)]);
    case 'ne':
      return eb.or([eb(value, '<>', condition.value), eb(value, 'is', null)]);
    default:
      return eb(value, operator[condition.op], condition.value);
  }
}
