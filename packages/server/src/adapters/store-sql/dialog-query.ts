import { sql, type ExpressionBuilder, type Expression, type Kysely, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { DialogCondition, DialogField } from '../../ports/dialogs.js';
import { alwaysFalse, alwaysTrue, scalarCondition, type ScalarCondition } from './conditions.js';
import type { SqlDialectTraits } from './dialect.js';
import type { Database } from './schema.js';

/**
 * Ids of the dialogs a user sees: those they are a visible member of, plus every broadcast (type 1) they
 * have not hidden. A union, so each half uses its own index instead of scanning the app's dialogs.
 */
export function visibleDialogIds(db: Kysely<Database>, appId: number, userId: number) {
  const memberOf = db
    .selectFrom('dialog_members')
    .select('dialog_members.dialog_id')
    .where('dialog_members.app_id', '=', appId)
    .where('dialog_members.user_id', '=', userId)
    .where('dialog_members.hidden', '=', 0)
    .where('dialog_members.is_member', '=', 1);
  const broadcasts = db
    .selectFrom('dialogs as broadcast')
    .select('broadcast.id as dialog_id')
    .where('broadcast.app_id', '=', appId)
    .where('broadcast.type', '=', 1)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('dialog_members as hidden')
            .select('hidden.user_id')
            .whereRef('hidden.dialog_id', '=', 'broadcast.id')
            .where('hidden.user_id', '=', userId)
            .where('hidden.hidden', '=', 1),
        ),
      ),
    );
  return memberOf.union(broadcasts);
}

const columnOf: Record<DialogField, string> = {
  _id: 'dialogs.id',
  type: 'dialogs.type',
  name: 'dialogs.name',
  last_message_date_sent: 'dialogs.last_message_date_sent',
  created_at: 'dialogs.created_at',
  updated_at: 'dialogs.updated_at',
  user_id: 'dialogs.owner_id',
};

type DialogsBuilder = ExpressionBuilder<Database, 'dialogs'>;

function conditionExpression(eb: DialogsBuilder, condition: DialogCondition, appId: number, traits: SqlDialectTraits): Expression<SqlBool> {
  if (condition.field === 'occupants_ids') {
    const memberIn = (ids: number[]) =>
      eb.exists(
        eb
          .selectFrom('dialog_members as occupant')
          .select('occupant.user_id')
          .whereRef('occupant.dialog_id', '=', 'dialogs.id')
          .where('occupant.app_id', '=', appId)
          .where('occupant.is_member', '=', 1)
          .where('occupant.user_id', 'in', ids),
      );
    if (condition.values.length === 0) return condition.op === 'nin' ? alwaysTrue() : alwaysFalse();
    if (condition.op === 'in') return memberIn(condition.values);
    if (condition.op === 'nin') return eb.not(memberIn(condition.values));
    return eb.and(condition.values.map((id) => memberIn([id])));
  }
  const value = condition.field === 'extension' ? traits.jsonField(sql.ref('dialogs.extensions'), condition.key) : sql.ref(columnOf[condition.field]);
  if (condition.op === 'ctn') return traits.contains(value, condition.value);
  return scalarCondition(eb, value, condition as ScalarCondition);
}

/** Adds the app scope and the filters to a query over `dialogs` (joined with anything). */
export function applyDialogQuery<B extends SelectQueryBuilder<Database, 'dialogs', unknown>>(builder: B, conditions: DialogCondition[], appId: number, traits: SqlDialectTraits): B {
  const scoped = builder.where('dialogs.app_id', '=', appId);
  if (conditions.length === 0) return scoped as B;
  return scoped.where((eb) => eb.and(conditions.map((condition) => conditionExpression(eb, condition, appId, traits)))) as B;
}
