// User shapes the SDK accepts (rest.md §3); what the server sends is declared in @parley/protocol.
import type { LegacyUsersPageWire, OnlineCountWire, OnlineUsersWire, UserResponseWire, UsersV2PageWire, UserWire } from '@parley/protocol';

/** ISO 8601 string, unix seconds, or a Date (sent via `Date.prototype.toString()` in queries). */
export type DateInput = string | number | Date;

/** The user object as the server sends it (every key, always). */
export type User = UserWire;

/** Profile fields a user may set on sign-up and update. */
export interface UserFields {
  login?: string | null;
  email?: string | null;
  full_name?: string | null;
  phone?: string | null;
  website?: string | null;
  custom_data?: string | null;
  avatar?: string | null;
  blob_id?: number | null;
  external_user_id?: number | null;
  external_id?: string | null;
  facebook_id?: string | null;
  twitter_id?: string | null;
  timezone?: number | null;
  /** Replaces the tag set; an array or a comma-separated string, at most 5 tags. */
  tag_list?: string[] | string;
}

/** `login` or `email` is required, and always a password. */
export type SignUpParams = UserFields & ({ login: string; password: string } | { email: string; password: string });

/** Changing the password needs the current one in `old_password`. */
export type UpdateUserParams = UserFields & { password?: string; old_password?: string };

/** A V2 filter value: equality, or an operator object. */
export type UserCondition<T> =
  | T
  | {
      in?: T[];
      nin?: T[];
      start_with?: string;
      gt?: DateInput;
      gte?: DateInput;
      lt?: DateInput;
      lte?: DateInput;
    };

/** `users.getV2` query; at least one stand-alone field with eq/in/start_with is required. */
export interface GetUsersV2Params {
  id?: UserCondition<number>;
  login?: UserCondition<string>;
  email?: UserCondition<string>;
  full_name?: UserCondition<string>;
  phone?: UserCondition<string>;
  external_id?: UserCondition<string>;
  facebook_id?: UserCondition<string>;
  twitter_id?: UserCondition<string>;
  user_tags?: UserCondition<string>;
  last_request_at?: UserCondition<DateInput>;
  created_at?: UserCondition<DateInput>;
  updated_at?: UserCondition<DateInput>;
  offset?: number;
  limit?: number;
  sort_asc?: string;
  sort_desc?: string;
  /** The server ignores unknown keys (official samples send e.g. `page`). */
  [key: string]: unknown;
}

export interface ListOnlineParams {
  limit?: number;
  offset?: number;
}

export type UserResponse = UserResponseWire;

export type UsersV2Response = UsersV2PageWire;

export type OnlineUsersResponse = OnlineUsersWire;

export type OnlineCountResponse = OnlineCountWire;

/** V1 filter entry, sent as `"<type> <field> <param> <value>"`. */
export interface LegacyUserFilter {
  field: string;
  param: 'gt' | 'lt' | 'ge' | 'le' | 'eq' | 'ne' | 'between' | 'in';
  value: string | number | boolean | Date | Array<string | number>;
}

/** V1 list query (`GET /users`, `by_full_name`, `by_tags`). */
export interface LegacyUserListParams {
  page?: number;
  per_page?: number;
  full_name?: string;
  tags?: string[] | string;
  /** An object, or one or more pre-formatted filter strings. */
  filter?: LegacyUserFilter | string | Array<LegacyUserFilter | string>;
  /** `{sort: 'asc', field: 'created_at'}`, or a pre-formatted `"asc date created_at"`. */
  order?: { sort: 'asc' | 'desc'; field: string } | string;
  [key: string]: unknown;
}

/** V1 single-user lookups; the first non-empty key picks the route. */
export type LegacyUserLookup =
  | { login: string }
  | { email: string }
  | { facebook_id: string | number }
  | { twitter_id: string | number }
  | { phone: string }
  | { external: string | number };

export type LegacyGetParams = number | LegacyUserLookup | LegacyUserListParams;

/** V1 page envelope: note each item wraps the user. */
export type LegacyUsersPage = LegacyUsersPageWire;
