import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { AccessRule, DataRecord, DataRecordRepository, RecordAction } from '../../ports/data-store.js';
import { orderSql, targetExpression, whereSql, fieldExpression } from './custom-objects-query.js';
import type { SqlDialectTraits } from './dialect.js';
import type { Database, DataRecordsTable } from './schema.js';

const actions: readonly RecordAction[] = ['read', 'update', 'delete'];

/** Ids per statement: well under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 500;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let at = 0; at < items.length; at += size) out.push(items.slice(at, at + size));
  return out;
}

const joinList = (items: (string | number)[]) => (items.length === 0 ? '' : `,${items.join(',')},`);
const splitList = (text: string) => text.split(',').filter((item) => item !== '');

function toRow(record: DataRecord): Insertable<DataRecordsTable> {
  const row: Insertable<DataRecordsTable> = {
    id: record.id,
    app_id: record.appId,
    class_id: record.classId,
    parent_id: record.parentId,
    user_id: record.userId,
    fields: JSON.stringify(record.fields),
    read_access: record.permissions.read.access,
    update_access: record.permissions.update.access,
    delete_access: record.permissions.delete.access,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
  for (const action of actions) {
    const rule = record.permissions[action];
    row[`${action}_users`] = joinList(rule.userIds);
    row[`${action}_groups`] = joinList(rule.groups);
  }
  return row;
}

function rule(row: Selectable<DataRecordsTable>, action: RecordAction): AccessRule {
  return {
    access: row[`${action}_access`] as AccessRule['access'],
    userIds: splitList(row[`${action}_users`]).map(Number),
    groups: splitList(row[`${action}_groups`]),
  };
}

function toRecord(row: Selectable<DataRecordsTable>): DataRecord {
  // PostgreSQL hands jsonb back parsed; SQLite gives the text.
  const fields = typeof row.fields === 'string' ? (JSON.parse(row.fields) as Record<string, unknown>) : (row.fields as Record<string, unknown>);
  return {
    id: row.id,
    appId: row.app_id,
    classId: row.class_id,
    parentId: row.parent_id,
    userId: row.user_id,
    fields,
    permissions: { read: rule(row, 'read'), update: rule(row, 'update'), delete: rule(row, 'delete') },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Custom-object records: every filter, sort, count and permission scope is SQL (custom-objects-query.ts). */
export function sqlDataRecordRepository(db: Kysely<Database>, traits: SqlDialectTraits): DataRecordRepository {
  const inClass = (appId: number, classId: number) => db.selectFrom('data_records').where('app_id', '=', appId).where('class_id', '=', classId);

  return {
    async insert(records) {
      if (records.length === 0) return;
      await db.transaction().execute(async (trx) => {
        // Rows are wide (17 columns): 200 a statement stays under SQLite's parameter limit.
        for (const part of chunks(records, 200)) await trx.insertInto('data_records').values(part.map(toRow)).execute();
      });
    },

    async findByIds(appId, classId, ids, scope) {
      if (ids.length === 0) return [];
      const found = new Map<string, DataRecord>();
      for (const part of chunks([...new Set(ids)])) {
        const rows = await inClass(appId, classId).selectAll().where('id', 'in', part).where(whereSql(traits, [], scope)).execute();
        for (const row of rows) found.set(row.id, toRecord(row));
      }
      return [...new Set(ids)].flatMap((id) => {
        const record = found.get(id);
        return record ? [record] : [];
      });
    },

    async query(appId, classId, query) {
      const rows = await inClass(appId, classId)
        .selectAll()
        .where(whereSql(traits, query.conditions, query.scope))
        .orderBy(orderSql(traits, query.sort.target, query.sort.direction))
        .limit(query.limit)
        .offset(query.offset)
        .execute();
      return rows.map(toRecord);
    },

    async count(appId, classId, conditions, scope) {
      const row = await inClass(appId, classId)
        .select((eb) => eb.fn.countAll<number | string>().as('total'))
        .where(whereSql(traits, conditions, scope))
        .executeTakeFirstOrThrow();
      return Number(row.total);
    },

    async aggregate(appId, classId, aggregation) {
      const value = fieldExpression(traits, aggregation.field.field, aggregation.field.type);
      const groupExpression = targetExpression(traits, aggregation.groupBy);
      const fn = sql.raw(aggregation.op);
      const rows = await inClass(appId, classId)
        .select([sql<unknown>`${groupExpression}`.as('grp'), sql<number | string | null>`${fn}(${value})`.as('value')])
        .where(whereSql(traits, aggregation.conditions, aggregation.scope))
        .groupBy(sql`${groupExpression}`)
        .orderBy(sql`${groupExpression} asc nulls first`)
        .execute();
      const booleanGroups = 'field' in aggregation.groupBy && aggregation.groupBy.type === 'Boolean';
      // SQLite keeps booleans as 1/0; the wire wants the field's own type.
      const group = (value: unknown) => (booleanGroups && (value === 0 || value === 1) ? value === 1 : value);
      return rows.map((row) => ({ group: group(row.grp), value: row.value === null ? null : Number(row.value) }));
    },

    async matchingIds(appId, classId, conditions, scope) {
      const rows = await inClass(appId, classId).select('id').where(whereSql(traits, conditions, scope)).orderBy('id').execute();
      return rows.map((row) => row.id);
    },

    async mutate(appId, classId, ids, mutate) {
      if (ids.length === 0) return [];
      return db.transaction().execute(async (trx) => {
        const written: DataRecord[] = [];
        for (const part of chunks([...new Set(ids)])) {
          const select = trx.selectFrom('data_records').selectAll().where('app_id', '=', appId).where('class_id', '=', classId).where('id', 'in', part).orderBy('id');
          const rows = await (traits.rowLocks ? select.forUpdate() : select).execute();
          for (const row of rows) {
            const changed = mutate(toRecord(row));
            if (!changed) continue;
            const { id: _id, app_id: _app, class_id: _class, created_at: _created, ...values } = toRow(changed);
            await trx.updateTable('data_records').set(values).where('app_id', '=', appId).where('id', '=', row.id).execute();
            written.push(changed);
          }
        }
        return written;
      });
    },

    async delete(appId, classId, ids) {
      if (ids.length === 0) return 0;
      return db.transaction().execute(async (trx) => {
        let deleted = 0;
        for (const part of chunks([...new Set(ids)])) {
          const result = await trx.deleteFrom('data_records').where('app_id', '=', appId).where('class_id', '=', classId).where('id', 'in', part).executeTakeFirst();
          deleted += Number(result.numDeletedRows);
        }
        // Children of deleted records go too, down every level (in any class of the app).
        let parents = [...new Set(ids)];
        while (parents.length > 0) {
          const next: string[] = [];
          for (const part of chunks(parents)) {
            const rows = await trx.deleteFrom('data_records').where('app_id', '=', appId).where('parent_id', 'in', part).returning('id').execute();
            next.push(...rows.map((row) => row.id));
          }
          parents = next;
        }
        return deleted;
      });
    },
  };
}
