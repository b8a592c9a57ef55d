// Shapes of `data` (custom objects, rest.md §6) as the official SDK 6.1.2 types them; the record the
// server sends is declared in @parley/protocol.
import type { DataDeleteWire, DataListWire, DataPermissionsWire, DataRecordWire, DataUpdateWire } from '@parley/protocol';

/** Who may act on a record (rest.md §6.1). */
export enum DataPermissionAccess {
  OPEN = 'open',
  OWNER = 'owner',
  NOT_ALLOWED = 'not_allowed',
  OPEN_FOR_GROUPS = 'open_for_groups',
  OPEN_FOR_USERS_IDS = 'open_for_users_ids',
}

export enum DataPermission {
  CREATE = 'create',
  READ = 'read',
  UPDATE = 'update',
  DELETE = 'delete',
}

/** Sent as `ids`/`groups` (docs) or `user_ids`/`user_groups` (SDK type); returned as `users_ids`/`users_groups`. */
export interface DataPermissionOptions {
  access: DataPermissionAccess | string;
  ids?: string[];
  groups?: string[];
  user_ids?: string[];
  user_groups?: string[];
  users_ids?: string[];
  users_groups?: string[];
}

export type DataPermissions = Partial<Record<DataPermission | string, DataPermissionOptions>>;

/** A filter value: `v`, or `{lt, lte, gt, gte, ne, in, nin, all, or, ctn, near, calc}`. */
export type DataCondition = string | number | boolean | Record<string, unknown>;

export type DataCreateRecord = Record<string, unknown> & { permissions?: DataPermissions; _parent_id?: string | null };

export type DataRecord = DataRecordWire;

export type DataListParams = {
  sort_asc?: string;
  sort_desc?: string;
  skip?: number;
  limit?: number;
  count?: number;
  output?: { include?: string[]; exclude?: string[] };
  group_by?: string;
  [field: string]: unknown;
};

export type DataListResponse = DataListWire;

export type DataReadPermissionsResponse = DataPermissionsWire;

export type DataUpdateOptions = Record<string, unknown> & {
  id?: string | number;
  _id?: string | number;
  inc?: Record<string, number>;
  pull?: Record<string, unknown>;
  pull_with_filter?: Record<string, Record<string, unknown>>;
  pull_all?: Record<string, unknown[]>;
  pop?: Record<string, 1 | -1>;
  push?: Record<string, unknown[]>;
  add_to_set?: Record<string, unknown[]>;
  update_by_index?: Record<string, Record<number, unknown>>;
  search_criteria?: Record<string, DataCondition>;
};

export type DataUpdateResponse = DataUpdateWire;

export type DataDeleteResponse = DataDeleteWire;
