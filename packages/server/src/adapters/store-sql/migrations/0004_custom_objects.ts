import { sql, type Kysely } from 'kysely';
import { primaryIdColumn, type SqlDialectTraits } from '../dialect.js';

/**
 * Custom objects (rest.md §6): classes and their records. Record fields live in one JSON column (jsonb
 * on PostgreSQL) read with json_extract / ->>; a field declared `indexed` gets an expression index
 * created with the class (adapters/store-sql/custom-objects-classes.ts). Each record's own
 * read/update/delete rule is kept in plain columns so permission filters run in SQL: the access value,
 * and user ids / groups as `,a,b,` lists. Released: never edit, add a new migration.
 */
export async function up(db: Kysely<unknown>, traits: SqlDialectTraits): Promise<void> {
  const big = traits.bigintType;

  await db.schema
    .createTable('data_classes')
    .addColumn('id', traits.serialType, primaryIdColumn(traits))
    .addColumn('app_id', 'integer', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('permissions', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('data_classes_app_name_unique').on('data_classes').columns(['app_id', 'name']).unique().execute();

  let table = db.schema
    .createTable('data_records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'integer', (c) => c.notNull())
    .addColumn('class_id', 'integer', (c) => c.notNull().references('data_classes.id').onDelete('cascade'))
    .addColumn('parent_id', 'text')
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('fields', traits.kind === 'postgres' ? sql`jsonb` : 'text', (c) => c.notNull());
  for (const action of ['read', 'update', 'delete']) {
    table = table
      .addColumn(`${action}_access`, 'text', (c) => c.notNull())
      .addColumn(`${action}_users`, 'text', (c) => c.notNull().defaultTo(''))
      .addColumn(`${action}_groups`, 'text', (c) => c.notNull().defaultTo(''));
  }
  await table.addColumn('created_at', big, (c) => c.notNull()).addColumn('updated_at', big, (c) => c.notNull()).execute();
  await db.schema.createIndex('data_records_class_id').on('data_records').columns(['class_id', 'id']).execute();
  await db.schema.createIndex('data_records_app_parent').on('data_records').columns(['app_id', 'parent_id']).execute();
}
