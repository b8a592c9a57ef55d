import type { Kysely } from 'kysely';
import type { DialogFieldRepository } from '../../ports/operators.js';
import { jsonOrNull, parseJson } from './json.js';
import type { Database } from './schema.js';

export function sqlDialogFieldRepository(db: Kysely<Database>): DialogFieldRepository {
  return {
    async list(appId) {
      const rows = await db.selectFrom('dialog_fields').select('name').where('app_id', '=', appId).orderBy('created_at').orderBy('name').execute();
      return rows.map((row) => row.name);
    },
    async add(appId, name, createdAt) {
      const result = await db.insertInto('dialog_fields').values({ app_id: appId, name, created_at: createdAt }).onConflict((conflict) => conflict.doNothing()).executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    async remove(appId, name) {
      return db.transaction().execute(async (trx) => {
        const result = await trx.deleteFrom('dialog_fields').where('app_id', '=', appId).where('name', '=', name).executeTakeFirst();
        if (Number(result.numDeletedRows) === 0) return false;
        // Dialogs holding the field lose it (rest.md §4.12); the text match only narrows the scan.
        const rows = await trx.selectFrom('dialogs').select(['id', 'extensions']).where('app_id', '=', appId).where('extensions', 'like', `%"${name}"%`).execute();
        for (const row of rows) {
          const extensions = parseJson<Record<string, string> | null>(row.extensions, null);
          if (!extensions || !(name in extensions)) continue;
          delete extensions[name];
          await trx.updateTable('dialogs').set({ extensions: jsonOrNull(Object.keys(extensions).length > 0 ? extensions : null) }).where('app_id', '=', appId).where('id', '=', row.id).execute();
        }
        return true;
      });
    },
  };
}
