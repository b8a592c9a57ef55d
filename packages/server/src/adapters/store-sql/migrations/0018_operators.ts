import type { Kysely } from 'kysely';
import { primaryIdColumn, type SqlDialectTraits } from '../dialect.js';

/** Dashboard operators and their browser sessions; declared dialog custom fields. Released: never edit, add a new migration. */
export async function up(db: Kysely<unknown>, traits: SqlDialectTraits): Promise<void> {
  await db.schema
    .createTable('operators')
    .addColumn('id', traits.serialType, primaryIdColumn(traits))
    .addColumn('login', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', traits.bigintType, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('operator_sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('operator_id', 'integer', (c) => c.notNull().references('operators.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', traits.bigintType, (c) => c.notNull())
    .addColumn('expires_at', traits.bigintType, (c) => c.notNull())
    .execute();
  // Dialog custom fields declared by an operator (rest.md §4.12): none = any key is kept.
  await db.schema
    .createTable('dialog_fields')
    .addColumn('app_id', 'integer', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', traits.bigintType, (c) => c.notNull())
    .addPrimaryKeyConstraint('dialog_fields_pk', ['app_id', 'name'])
    .execute();
  await db.schema.createIndex('operator_sessions_expires').on('operator_sessions').column('expires_at').execute();
}
