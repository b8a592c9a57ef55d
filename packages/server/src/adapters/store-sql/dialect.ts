import { sql, type ColumnDataType, type ColumnDefinitionBuilder, type Expression, type RawBuilder, type SqlBool } from 'kysely';

/** What differs between the SQL engines, so the shared code and migrations stay one. */
export interface SqlDialectTraits {
  readonly kind: 'sqlite' | 'postgres';
  /** Column type of an auto-increment integer primary key. */
  readonly serialType: ColumnDataType;
  /** Integer column wide enough for epoch milliseconds. */
  readonly bigintType: ColumnDataType;
  /** Maps a driver error to the unique column it violated, or undefined when it is no such error. */
  uniqueViolationColumn(error: unknown): string | undefined;
  /** Whether ids need AUTOINCREMENT so a deleted newest row's id is never handed out again (SQLite). */
  readonly autoIncrementIds: boolean;
  /** Whether `select … for update` exists (SQLite serialises writers on its single connection instead). */
  readonly rowLocks: boolean;
  /** Case-sensitive substring test. */
  contains(value: Expression<unknown>, text: string): RawBuilder<SqlBool>;
  /** A text field of a JSON object column. */
  jsonField(column: Expression<unknown>, key: string): RawBuilder<string | null>;
  /** True when the JSON array column holds an object whose `type` is one of `values`. */
  jsonArrayHasType(column: Expression<unknown>, values: string[]): RawBuilder<SqlBool>;
}

/** An integer primary key that never reuses the id of a deleted newest row. */
export function primaryIdColumn(traits: SqlDialectTraits): (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
  return (column) => (traits.autoIncrementIds ? column.primaryKey().autoIncrement() : column.primaryKey());
}

export const sqliteTraits: SqlDialectTraits = {
  kind: 'sqlite',
  serialType: 'integer',
  bigintType: 'integer',
  uniqueViolationColumn(error) {
    const { code, message } = error as { code?: string; message?: string };
    if (code !== 'SQLITE_CONSTRAINT_UNIQUE' && code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') return undefined;
    // "UNIQUE constraint failed: users.app_id, users.login"
    return /\.(\w+)$/.exec(message ?? '')?.[1] ?? 'unknown';
  },
  rowLocks: false,
  autoIncrementIds: true,
  contains: (value, text) => sql<SqlBool>`instr(${value}, ${text}) > 0`,
  jsonField: (column, key) => sql<string | null>`json_extract(${column}, ${`$."${key}"`})`,
  jsonArrayHasType: (column, values) =>
    sql<SqlBool>`exists (select 1 from json_each(${column}) where json_extract(json_each.value, '$.type') in (${sql.join(values)}))`,
};

export const postgresTraits: SqlDialectTraits = {
  kind: 'postgres',
  serialType: 'serial',
  bigintType: 'bigint',
  uniqueViolationColumn(error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    if (code !== '23505') return undefined;
    // Index names end with the column: users_app_login_unique → login
    return /^(?:users|dialogs)_app_(\w+?)_unique$/.exec(constraint ?? '')?.[1] ?? 'unknown';
  },
  rowLocks: true,
  autoIncrementIds: false,
  contains: (value, text) => sql<SqlBool>`strpos(cast(${value} as text), ${text}) > 0`,
  jsonField: (column, key) => sql<string | null>`(cast(${column} as jsonb) ->> ${key})`,
  jsonArrayHasType: (column, values) =>
    sql<SqlBool>`exists (select 1 from jsonb_array_elements(cast(${column} as jsonb)) as element where element ->> 'type' in (${sql.join(values)}))`,
};
