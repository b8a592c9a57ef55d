import { unixSeconds, type DataRecordPermissionsWire, type DataRecordWire, type DataRuleWire } from '@parley/protocol';
import type { AccessRule, ClassPermissions, DataClassRecord, DataRecord, RecordPermissions } from '../ports/data-store.js';

/** Custom objects on the wire (rest.md §6): records with unix-second times and `users_ids`/`users_groups` rules. */

export function ruleWire(rule: AccessRule): DataRuleWire {
  const wire: DataRuleWire = { access: rule.access };
  if (rule.access === 'open_for_users_ids') wire.users_ids = rule.userIds.map(String);
  if (rule.access === 'open_for_groups') wire.users_groups = rule.groups;
  return wire;
}

export function recordPermissionsWire(permissions: RecordPermissions): DataRecordPermissionsWire {
  return { read: ruleWire(permissions.read), update: ruleWire(permissions.update), delete: ruleWire(permissions.delete) };
}

export interface Projection {
  include?: string[];
  exclude?: string[];
}

const systemKeys = new Set(['_id', '_parent_id', 'user_id', 'created_at', 'updated_at']);

/** A record: system fields, every declared field (null when missing), then its permissions. */
export function recordWire(record: DataRecord, projection?: Projection): DataRecordWire {
  let fields = Object.entries(record.fields);
  // System fields always stay (rest.md §6.4); only declared fields are projected.
  if (projection?.include) fields = fields.filter(([name]) => projection.include?.includes(name));
  if (projection?.exclude) fields = fields.filter(([name]) => !projection.exclude?.includes(name));
  return {
    _id: record.id,
    _parent_id: record.parentId,
    user_id: record.userId,
    created_at: unixSeconds(record.createdAt),
    updated_at: unixSeconds(record.updatedAt),
    ...Object.fromEntries(fields.filter(([name]) => !systemKeys.has(name))),
    permissions: recordPermissionsWire(record.permissions),
  };
}

/** A class definition as the admin API and the CLI show it. */
export function dataClassWire(dataClass: DataClassRecord): Record<string, unknown> {
  const permissions: ClassPermissions = dataClass.permissions;
  return {
    name: dataClass.name,
    fields: dataClass.fields.map((field) => ({ name: field.name, type: field.type, indexed: field.indexed })),
    permissions: {
      create: ruleWire(permissions.create),
      read: { ...ruleWire(permissions.read), level: permissions.read.level },
      update: { ...ruleWire(permissions.update), level: permissions.update.level },
      delete: { ...ruleWire(permissions.delete), level: permissions.delete.level },
    },
    created_at: unixSeconds(dataClass.createdAt),
    updated_at: unixSeconds(dataClass.updatedAt),
  };
}
