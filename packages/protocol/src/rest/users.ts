import { Type, type Static } from '@sinclair/typebox';

/**
 * The User object on the wire (rest.md §3.1); every key is always sent. @parley/sdk exposes it as
 * `User`. The official SDK types `user_tags` as an array, but the wire carries a comma string.
 */
export interface UserWire {
  id: number;
  full_name: string | null;
  email: string | null;
  login: string | null;
  phone: string | null;
  website: string | null;
  /** ISO 8601, seconds precision. */
  created_at: string;
  updated_at: string;
  last_request_at: string | null;
  external_user_id: number | null;
  external_id: string | null;
  facebook_id: string | null;
  twitter_id: string | null;
  blob_id: number | null;
  custom_data: string | null;
  avatar: string | null;
  /** Comma-separated (`"vip,accountant"`); set through `tag_list`. */
  user_tags: string | null;
  /** Minutes offset from UTC. */
  timezone: number | null;
  /** `true` for guests, else `null`. */
  is_guest: boolean | null;
}

/** `{user}`: sign-up, `GET /users/:id`, update and the V1 lookups (rest.md §3). */
export interface UserResponseWire {
  user: UserWire;
}

/** `GET /users/v2` (rest.md §3.3): bare users. */
export interface UsersV2PageWire {
  limit: number;
  skip: number;
  total_entries: number;
  items: UserWire[];
}

/** `GET /users/online` (rest.md §3.7). */
export interface OnlineUsersWire {
  users: UserWire[];
}

/** `GET /users/online?count=true` (rest.md §3.7). */
export interface OnlineCountWire {
  count: number;
}

/** The V1 lists (`GET /users`, `by_full_name`, `by_tags`, rest.md §3.8): each item wraps its user. */
export interface LegacyUsersPageWire {
  current_page: number;
  per_page: number;
  total_entries: number;
  items: { user: UserWire }[];
}

const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableInteger = Type.Union([Type.Integer(), Type.Null()]);
/** `tag_list` arrives as an array or a comma string (rest.md ). */
const TagList = Type.Union([Type.Array(Type.String()), Type.String(), Type.Null()]);

/** Fields a user may set at sign-up and update (rest.md §3.2, §3.4). */
export const UserFieldsSchema = Type.Object({
  login: Type.Optional(NullableString),
  email: Type.Optional(NullableString),
  password: Type.Optional(Type.String()),
  old_password: Type.Optional(Type.String()),
  full_name: Type.Optional(NullableString),
  phone: Type.Optional(NullableString),
  website: Type.Optional(NullableString),
  custom_data: Type.Optional(NullableString),
  avatar: Type.Optional(NullableString),
  blob_id: Type.Optional(NullableInteger),
  external_user_id: Type.Optional(NullableInteger),
  external_id: Type.Optional(Type.Union([Type.String(), Type.Integer(), Type.Null()])),
  facebook_id: Type.Optional(Type.Union([Type.String(), Type.Integer(), Type.Null()])),
  twitter_id: Type.Optional(Type.Union([Type.String(), Type.Integer(), Type.Null()])),
  timezone: Type.Optional(NullableInteger),
  tag_list: Type.Optional(TagList),
});
export type UserFields = Static<typeof UserFieldsSchema>;

export const UserEnvelopeSchema = Type.Object({ user: UserFieldsSchema });
export type UserEnvelope = Static<typeof UserEnvelopeSchema>;

export const ResetPasswordSchema = Type.Object({ email: Type.String({ minLength: 1 }) });
