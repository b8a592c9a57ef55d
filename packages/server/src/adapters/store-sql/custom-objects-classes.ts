import type { Kysely, Selectable } from 'kysely';
import type { ClassField, ClassPermissions, DataClassRecord, DataClassRepository } from '../../ports/data-store.js';
import { createFieldIndex, dropFieldIndex, removeFieldValues } from './custom-objects-query.js';
import type { SqlDialectTraits } from './dialect.js';
import { parseJson } from './json.js';
import type { Database, DataClassesTable } from './schema.js';

function toClass(row: Selectable<DataClassesTable>): DataClassRecord {
  return {
    id: row.id,
    appId: row.app_id,
    name: row.name,
    fields: parseJson<ClassField[]>(row.fields, []),
    permissions: parseJson<ClassPermissions>(row.permissions, {} as ClassPermissions),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Creates the missing indexes of indexed fields and drops those no longer indexed. */
async function syncIndexes(db: Kysely<Database>, traits: SqlDialectTraits, classId: number, before: ClassField[], after: ClassField[]): Promise<void> {
  for (const field of before) {
    const still = after.find((candidate) => candidate.name === field.name);
    if (field.indexed && (!still?.indexed || still.type !== field.type)) await dropFieldIndex(classId, field.name).execute(db);
  }
  for (const field of after) if (field.indexed) await createFieldIndex(traits, classId, field.name, field.type).execute(db);
}

/** Custom-object classes (definitions) and the indexes of their indexed fields. */
export function sqlDataClassRepository(db: Kysely<Database>, traits: SqlDialectTraits): DataClassRepository {
  const find = async (executor: Kysely<Database>, appId: number, name: string) => {
    const row = await executor.selectFrom('data_classes').selectAll().where('app_id', '=', appId).where('name', '=', name).executeTakeFirst();
    return row && toClass(row);
  };

  return {
    async create(dataClass) {
      return db.transaction().execute(async (trx) => {
        if (await find(trx, dataClass.appId, dataClass.name)) return undefined;
        const row = await trx
          .insertInto('data_classes')
          .values({
            app_id: dataClass.appId,
            name: dataClass.name,
            fields: JSON.stringify(dataClass.fields),
            permissions: JSON.stringify(dataClass.permissions),
            created_at: dataClass.createdAt,
            updated_at: dataClass.updatedAt,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await syncIndexes(trx, traits, row.id, [], dataClass.fields);
        return toClass(row);
      });
    },

    async update(appId, name, change) {
      return db.transaction().execute(async (trx) => {
        const existing = await find(trx, appId, name);
        if (!existing) return undefined;
        const row = await trx
          .updateTable('data_classes')
          .set({ fields: JSON.stringify(change.fields), permissions: JSON.stringify(change.permissions), updated_at: change.updatedAt })
          .where('id', '=', existing.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await syncIndexes(trx, traits, existing.id, existing.fields, change.fields);
        // A removed field's values go with it, so a later field of that name (maybe of another type)
        // never meets old values its casts cannot read.
        for (const field of existing.fields) {
          if (change.fields.some((kept) => kept.name === field.name)) continue;
          await removeFieldValues(traits, existing.id, field.name).execute(trx);
        }
        return toClass(row);
      });
    },

    find: (appId, name) => find(db, appId, name),

    async list(appId) {
      const rows = await db.selectFrom('data_classes').selectAll().where('app_id', '=', appId).orderBy('name').execute();
      return rows.map(toClass);
    },

    async delete(appId, name) {
      return db.transaction().execute(async (trx) => {
        const existing = await find(trx, appId, name);
        if (!existing) return false;
        await syncIndexes(trx, traits, existing.id, existing.fields, []);
        await trx.deleteFrom('data_records').where('app_id', '=', appId).where('class_id', '=', existing.id).execute();
        await trx.deleteFrom('data_classes').where('id', '=', existing.id).execute();
        return true;
      });
    },
  };
}
