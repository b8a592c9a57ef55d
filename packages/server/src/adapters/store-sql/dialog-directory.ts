import { sql, type Kysely } from 'kysely';
import type { DialogDirectoryRepository } from '../../ports/operators.js';
import { toDialog } from './dialogs.js';
import type { Database } from './schema.js';

/** `%`, `_` and `\` typed by an operator are matched literally. */
function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

export function sqlDialogDirectoryRepository(db: Kysely<Database>): DialogDirectoryRepository {
  return {
    async search(appId, query) {
      let base = db.selectFrom('dialogs').where('app_id', '=', appId);
      if (query.name) base = base.where(sql<boolean>`lower(name) like ${containsPattern(query.name)} escape '\\'`);
      if (query.type !== undefined) base = base.where('type', '=', query.type);
      const [rows, count] = await Promise.all([
        base.selectAll().orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(query.limit).offset(query.offset).execute(),
        base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { total: Number(count.n), dialogs: rows.map(toDialog) };
    },
  };
}
