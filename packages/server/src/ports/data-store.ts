/**
 * Storage of custom objects (rest.md §6): classes with typed fields, and their records. Like every
 * store port, each method takes the application id and adapters put it in every query.
 *
 * Guarantees (checked by test/contract/data-store.contract.test.ts on each adapter):
 * - filters, sort, count, aggregation and the read/update/delete permission scope run in the database
 *   (a class is never loaded into memory); values are bound parameters; field names reach SQL only
 *   after `isFieldName` and the class definition vouched for them;
 * - a field declared `indexed` has a database index on (class, value), so equality, range and sort on it
 *   read the index;
 * - `insert` and `mutate` are atomic: all records or none; a mutator that throws leaves every row as it was;
 * - `delete` removes the records and, transitively, their children (`_parent_id`);
 * - times are epoch milliseconds in and out.
 */

export const fieldTypes = ['Integer', 'Float', 'Boolean', 'String', 'Array', 'Location', 'Date', 'File'] as const;
export type FieldType = (typeof fieldTypes)[number];

/** Field and class names: they reach SQL as identifiers/JSON paths, so only this alphabet. */
export function isFieldName(name: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(name);
}

export interface ClassField {
  name: string;
  type: FieldType;
  /** A database index on this field's value (equality, range, sort). */
  indexed: boolean;
}

export type Access = 'open' | 'owner' | 'not_allowed' | 'open_for_users_ids' | 'open_for_groups';

export interface AccessRule {
  access: Access;
  /** For `open_for_users_ids`. */
  userIds: number[];
  /** For `open_for_groups` (user tags). */
  groups: string[];
}

/** `class`: the class rule applies to every record; `record`: each record's own rule applies. */
export type PermissionLevel = 'class' | 'record';

export interface ClassPermissions {
  create: AccessRule;
  read: AccessRule & { level: PermissionLevel };
  update: AccessRule & { level: PermissionLevel };
  delete: AccessRule & { level: PermissionLevel };
}

export interface DataClassRecord {
  id: number;
  appId: number;
  name: string;
  fields: ClassField[];
  permissions: ClassPermissions;
  createdAt: number;
  updatedAt: number;
}

export type NewDataClass = Omit<DataClassRecord, 'id'>;

export type RecordAction = 'read' | 'update' | 'delete';

export type RecordPermissions = Record<RecordAction, AccessRule>;

export interface DataRecord {
  id: string;
  appId: number;
  classId: number;
  parentId: string | null;
  userId: number;
  /** Declared fields only, already coerced to their types (Date as ISO text, Location as [lng, lat]). */
  fields: Record<string, unknown>;
  permissions: RecordPermissions;
  createdAt: number;
  updatedAt: number;
}

/**
 * What a condition or sort applies to: a system column or a declared field. Conditions on
 * `created_at`/`updated_at` are in unix seconds (the wire's unit), though the columns hold ms.
 */
export type DataTarget =
  | { system: 'id' | 'parent_id' | 'user_id' | 'created_at' | 'updated_at' }
  | { field: string; type: FieldType };

export type DataScalar = string | number | boolean;

/**
 * One filter. On Array fields `eq`/`ne`/`in`/`nin`/`all` compare elements (by their text form);
 * `near` is on Location fields, with the radius in metres.
 */
export type DataCondition =
  | { target: DataTarget; op: 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte'; value: DataScalar }
  | { target: DataTarget; op: 'in' | 'nin' | 'all'; values: DataScalar[] }
  | { target: DataTarget; op: 'ctn'; value: string }
  | { target: DataTarget; op: 'near'; longitude: number; latitude: number; radiusMeters: number };

/**
 * Which records an action may touch, decided by the domain from the class permissions:
 * every record, none, the caller's own, or each record's own rule for the caller.
 */
export type RecordScope =
  | { kind: 'all' }
  | { kind: 'none' }
  | { kind: 'owner'; userId: number }
  | { kind: 'recordRule'; action: RecordAction; userId: number; groups: string[] };

export interface DataQuery {
  conditions: DataCondition[];
  scope: RecordScope;
  sort: { target: DataTarget; direction: 'asc' | 'desc' };
  limit: number;
  offset: number;
}

export type AggregateOp = 'avg' | 'min' | 'max' | 'sum';

export interface DataAggregation {
  conditions: DataCondition[];
  scope: RecordScope;
  field: { field: string; type: FieldType };
  op: AggregateOp;
  groupBy: DataTarget;
}

export interface AggregateRow {
  group: unknown;
  value: number | null;
}

export interface DataClassRepository {
  /** Creates the class and the indexes of its indexed fields; undefined when the app has a class of that name. */
  create(dataClass: NewDataClass): Promise<DataClassRecord | undefined>;
  /** Replaces fields and permissions (new indexed fields get their index). */
  update(appId: number, name: string, change: Pick<DataClassRecord, 'fields' | 'permissions' | 'updatedAt'>): Promise<DataClassRecord | undefined>;
  find(appId: number, name: string): Promise<DataClassRecord | undefined>;
  list(appId: number): Promise<DataClassRecord[]>;
  /** Deletes the class, its records and its indexes; false when there was no such class. */
  delete(appId: number, name: string): Promise<boolean>;
}

/** Returns the changed record, or undefined to leave it alone. May throw to roll everything back. */
export type RecordMutator = (record: DataRecord) => DataRecord | undefined;

export interface DataRecordRepository {
  /** All or nothing. */
  insert(records: DataRecord[]): Promise<void>;
  /** Records of the class among `ids` within the scope, in the order of `ids`. */
  findByIds(appId: number, classId: number, ids: string[], scope: RecordScope): Promise<DataRecord[]>;
  query(appId: number, classId: number, query: DataQuery): Promise<DataRecord[]>;
  count(appId: number, classId: number, conditions: DataCondition[], scope: RecordScope): Promise<number>;
  aggregate(appId: number, classId: number, aggregation: DataAggregation): Promise<AggregateRow[]>;
  /** Ids of matching records in the scope, in id order (for update/delete by criteria). */
  matchingIds(appId: number, classId: number, conditions: DataCondition[], scope: RecordScope): Promise<string[]>;
  /**
   * In one transaction: reads the records among `ids` (locked where the engine can), passes each to
   * `mutate` and writes back what it returns. Returns the written records.
   */
  mutate(appId: number, classId: number, ids: string[], mutate: RecordMutator): Promise<DataRecord[]>;
  /** Deletes the records (and their descendants in any class of the app); returns how many records of `ids` went. */
  delete(appId: number, classId: number, ids: string[]): Promise<number>;
}
