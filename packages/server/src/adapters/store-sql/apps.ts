import type { Kysely, Selectable } from 'kysely';
import { defaultAppSettings, type AppRecord, type AppRepository, type AppSettings } from '../../ports/store.js';
import type { AppsTable, Database } from './schema.js';


function toApp(row: Selectable<AppsTable>): AppRecord {
  return {
    id: row.id,
    name: row.name,
    authKey: row.auth_key,
    authSecret: row.auth_secret,
    settings: { ...defaultAppSettings, ...(JSON.parse(row.settings) as Partial<AppSettings>) },
    createdAt: Number(row.created_at),
  };
}

export function sqlAppRepository(db: Kysely<Database>): AppRepository {
  return {
    async create(app) {
      const row = await db
        .insertInto('apps')
        .values({
          name: app.name,
          auth_key: app.authKey,
          auth_secret: app.authSecret,
          settings: JSON.stringify(app.settings),
          created_at: app.createdAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toApp(row);
    },
    async findById(appId) {
      const row = await db.selectFrom('apps').selectAll().where('id', '=', appId).executeTakeFirst();
      return row && toApp(row);
    },
    async findByAuthKey(authKey) {
      const row = await db.selectFrom('apps').selectAll().where('auth_key', '=', authKey).executeTakeFirst();
      return row && toApp(row);
    },
    async findByName(name) {
      const row = await db.selectFrom('apps').selectAll().where('name', '=', name).orderBy('id').executeTakeFirst();
      return row && toApp(row);
    },
    async update(appId, change) {
      const values = {
        ...(change.name !== undefined ? { name: change.name } : {}),
        ...(change.authSecret !== undefined ? { auth_secret: change.authSecret } : {}),
        ...(change.settings !== undefined ? { settings: JSON.stringify(change.settings) } : {}),
      };
      const row =
        Object.keys(values).length === 0
          ? await db.selectFrom('apps').selectAll().where('id', '=', appId).executeTakeFirst()
          : await db.updateTable('apps').set(values).where('id', '=', appId).returningAll().executeTakeFirst();
      return row && toApp(row);
    },
    async delete(appId) {
      const result = await db.deleteFrom('apps').where('id', '=', appId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async list() {
      const rows = await db.selectFrom('apps').selectAll().orderBy('id').execute();
      return rows.map(toApp);
    },
  };
}
