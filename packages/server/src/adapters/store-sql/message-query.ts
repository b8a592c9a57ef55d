import { sql, type Expression, type ExpressionBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { MessageCondition, MessageField } from '../../ports/messages.js';
import { scalarCondition } from './conditions.js';
import type { SqlDialectTraits } from './dialect.js';
import type { Database } from './schema.js';

const columnOf: Record<Exclude<MessageField, 'attachments.type'>, string> = {
  _id: 'messages.id',
  message: 'messages.body',
  date_sent: 'messages.date_sent',
  sender_id: 'messages.sender_id',
  recipient_id: 'messages.recipient_id',
  created_at: 'messages.created_at',
  updated_at: 'messages.updated_at',
};

type MessagesBuilder = ExpressionBuilder<Database, 'messages'>;

function conditionExpression(eb: MessagesBuilder, condition: MessageCondition, traits: SqlDialectTraits): Expression<SqlBool> {
  if (condition.field === 'attachments.type') {
    const column = sql.ref('messages.attachments');
    if (condition.op === 'in' || condition.op === 'nin') {
      const values = condition.values.map(String);
      if (values.length === 0) return condition.op === 'in' ? sql<SqlBool>`1 = 0` : sql<SqlBool>`1 = 1`;
      return condition.op === 'in' ? traits.jsonArrayHasType(column, values) : eb.not(traits.jsonArrayHasType(column, values));
    }
    if (condition.op === 'eq') return traits.jsonArrayHasType(column, [String(condition.value)]);
    if (condition.op === 'ne') return eb.not(traits.jsonArrayHasType(column, [String(condition.value)]));
    return sql<SqlBool>`1 = 0`;
  }
  const value = sql.ref(columnOf[condition.field]);
  return condition.op === 'ctn' ? traits.contains(value, condition.value) : scalarCondition(eb, value, condition);
}

/**
 * A viewer's history of one dialog: after their clear point, without what they hid, plus the filters.
 * `hasHidden` false skips the per-row hidden check (most users never hide a message).
 */
export function applyMessageConditions<B extends SelectQueryBuilder<Database, 'messages', unknown>>(
  builder: B,
  appId: number,
  dialogId: string,
  viewer: { userId: number; clearedSeq: number },
  conditions: MessageCondition[],
  traits: SqlDialectTraits,
  hasHidden = true,
): B {
  const scoped = builder.where('messages.app_id', '=', appId).where('messages.dialog_id', '=', dialogId);
  // Unary plus: the clear point must not steer SQLite to the seq index (it would sort the whole dialog).
  const cleared = viewer.clearedSeq > 0 ? scoped.where(sql<SqlBool>`+${sql.ref('messages.seq')} > ${viewer.clearedSeq}`) : scoped;
  return cleared
    .where((eb) =>
      eb.and([
        ...(hasHidden ? [eb.not(
          eb.exists(
            eb
              .selectFrom('message_states as hidden')
              .select('hidden.user_id')
              .whereRef('hidden.message_id', '=', 'messages.id')
              .whereRef('hidden.app_id', '=', 'messages.app_id')
              .where('hidden.user_id', '=', viewer.userId)
              .where('hidden.hidden', '=', 1),
          ),
        )] : []),
        ...conditions.map((condition) => conditionExpression(eb, condition, traits)),
      ]),
    ) as B;
}
