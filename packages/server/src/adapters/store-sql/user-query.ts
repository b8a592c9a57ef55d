import { sql, type Expression, type ExpressionBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { UserCondition, UserField, UserQuery } from '../../ports/store.js';
import { alwaysFalse, alwaysTrue, scalarCondition } from './conditions.js';
import type { Database } from './schema.js';

type UsersBuilder<O> = SelectQueryBuilder<Database, 'users', O>;
type Builder = ExpressionBuilder<Database, 'users'>;

/** Fields stored as epoch milliseconds; their condition values arrive as epoch ms numbers. */
const columnOf: Record<UserField, keyof Database['users']> = {
  id: 'id',
  login: 'login',
  email: 'email',
  full_name: 'full_name',
  phone: 'phone',
  website: 'website',
  external_id: 'external_id',
  external_user_id: 'external_user_id',
  facebook_id: 'facebook_id',
  twitter_id: 'twitter_id',
  blob_id: 'blob_id',
  timezone: 'timezone',
  created_at: 'created_at',
  updated_at: 'updated_at',
  last_request_at: 'last_request_at',
};

/** Escapes LIKE wildcards so user input matches literally. */
function likeLiteral(text: string): string {
  return text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
}

function conditionExpression(eb: Builder, condition: UserCondition, appId: number): Expression<SqlBool> {
  if (condition.field === 'tags') {
    if (condition.values.length === 0) return condition.op === 'hasAny' ? alwaysFalse() : alwaysTrue();
    const tagged = eb
      .selectFrom('user_tags')
      .select('user_tags.user_id')
      .whereRef('user_tags.user_id', '=', 'users.id')
      .where('user_tags.app_id', '=', appId)
      .where('user_tags.tag', 'in', condition.values);
    return condition.op === 'hasAny' ? eb.exists(tagged) : eb.not(eb.exists(tagged));
  }
  const column = sql.ref<string | number>(`users.${columnOf[condition.field]}`);
  switch (condition.op) {
    case 'between':
      return eb.and([eb(column, '>=', condition.low), eb(column, '<=', condition.high)]);
    // Cast: PostgreSQL has no lower() for integer columns such as id.
    case 'startsWith':
      return sql<SqlBool>`lower(cast(${column} as text)) like ${likeLiteral(condition.value) + '%'} escape '\\'`;
    case 'contains':
      return sql<SqlBool>`lower(cast(${column} as text)) like ${'%' + likeLiteral(condition.value) + '%'} escape '\\'`;
    default:
      return scalarCondition(eb, column, condition);
  }
}

function whereAll<O>(builder: UsersBuilder<O>, query: UserQuery, appId: number): UsersBuilder<O> {
  if (query.conditions.length === 0) return builder;
  return builder.where((eb) => eb.and(query.conditions.map((condition) => conditionExpression(eb, condition, appId))));
}

export function applyUserQuery<O>(builder: UsersBuilder<O>, query: UserQuery, appId: number): UsersBuilder<O> {
  const filtered = whereAll(builder, query, appId);
  const sort = query.sort ?? { field: 'id', direction: 'asc' as const };
  const sorted = filtered.orderBy(sql.ref(`users.${columnOf[sort.field]}`), sort.direction);
  return sort.field === 'id' ? sorted : sorted.orderBy('users.id', 'asc');
}

export async function countUserQuery(builder: UsersBuilder<object>, query: UserQuery, appId: number): Promise<number> {
  const row = await whereAll(builder, query, appId)
    .select((eb) => eb.fn.countAll<number | string>().as('total'))
    .executeTakeFirstOrThrow();
  return Number(row.total);
}
