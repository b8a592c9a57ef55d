/** Custom-object wire objects (rest.md §6). Request bodies are decoded by the data domain. */

/** Who may act on a record (rest.md §6.1); the SDK names these values `DataPermissionAccess`. */
export type DataAccessWire = 'open' | 'owner' | 'not_allowed' | 'open_for_users_ids' | 'open_for_groups';

/** One action's rule as the server returns it: `users_ids` / `users_groups`, whatever keys were sent ([A-12]). */
export interface DataRuleWire {
  access: DataAccessWire;
  users_ids?: string[];
  users_groups?: string[];
}

/** A record's own scheme: every action it carries, always present. */
export interface DataRecordPermissionsWire {
  read: DataRuleWire;
  update: DataRuleWire;
  delete: DataRuleWire;
}

/** A record (rest.md §6.1); @parley/sdk exposes it as `DataRecord`. Every declared field is present (`null` when unset). */
export interface DataRecordWire {
  _id: string;
  _parent_id: string | null;
  user_id: number;
  /** Unix seconds. */
  created_at: number;
  updated_at: number;
  permissions: DataRecordPermissionsWire;
  [field: string]: unknown;
}

/** `GET /data/:class` (rest.md §6.4) listing records; `count=1` answers `DataCountWire`, `group_by` `DataAggregateWire`. */
export interface DataListWire {
  class_name: string;
  skip?: number;
  limit?: number;
  count?: number;
  items: DataRecordWire[];
}

/** `GET /data/:class?count=1` (rest.md §6.4). */
export interface DataCountWire {
  class_name: string;
  count: number;
}

/** One `group_by` row: the group's value under the grouped field, and `{ <op>: value }` under the computed field. */
export type DataAggregateRowWire = Record<string, unknown>;

/** `GET /data/:class?group_by=…` with a `calc` (rest.md §6.4). */
export interface DataAggregateWire {
  class_name: string;
  items: DataAggregateRowWire[];
}

/** `PUT /data/:class…` (rest.md §6.6): by ids (`not_found`) or by criteria (`total_found`). */
export interface DataUpdateWire {
  class_name: string;
  skip?: number;
  limit?: number;
  total_found?: number;
  not_found?: { ids: string[] };
  items: DataRecordWire[];
}

/** `DELETE /data/:class…` (rest.md §6.7): per id, or a count when deleting by criteria. */
export type DataDeleteWire =
  | { SuccessfullyDeleted: { ids: string[] }; WrongPermissions: { ids: string[] }; NotFound: { ids: string[] } }
  | { total_deleted: number };

/** `GET /data/:class/:id?permissions=1` (rest.md §6.5). */
export interface DataPermissionsWire {
  record_id: string;
  permissions: DataRecordPermissionsWire;
}
