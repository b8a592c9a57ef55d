/** Users of an application: the users aggregate of the store port (see store.ts for the guarantees). */

import type { ScramKeys } from './sessions.js';

export interface UserProfile {
  login: string | null;
  email: string | null;
  fullName: string | null;
  phone: string | null;
  website: string | null;
  customData: string | null;
  avatar: string | null;
  blobId: number | null;
  externalUserId: number | null;
  externalId: string | null;
  facebookId: string | null;
  twitterId: string | null;
  timezone: number | null;
  tags: string[];
}

export interface UserRecord extends UserProfile {
  id: number;
  appId: number;
  isGuest: boolean;
  passwordHash: string | null;
  scram: ScramKeys | null;
  createdAt: number;
  updatedAt: number;
  lastRequestAt: number | null;
  /** When an operator blocked the user: no new sessions or logins (absent/null = not blocked). */
  blockedAt?: number | null;
}

export type NewUser = Omit<UserRecord, 'id' | 'appId'>;

/** A partial user change; `tags` replaces the tag set. */
export type UserChange = Partial<Omit<UserRecord, 'id' | 'appId' | 'createdAt'>>;

/** User fields a list query may filter or sort on. */
export type UserField =
  | 'id'
  | 'login'
  | 'email'
  | 'full_name'
  | 'phone'
  | 'website'
  | 'external_id'
  | 'external_user_id'
  | 'facebook_id'
  | 'twitter_id'
  | 'blob_id'
  | 'timezone'
  | 'created_at'
  | 'updated_at'
  | 'last_request_at';

export type UserCondition =
  | { field: UserField; op: 'eq' | 'ne' | 'gt' | 'lt' | 'gte' | 'lte'; value: string | number }
  | { field: UserField; op: 'in' | 'nin'; values: (string | number)[] }
  | { field: UserField; op: 'between'; low: string | number; high: string | number }
  | { field: UserField; op: 'startsWith' | 'contains'; value: string }
  | { field: 'tags'; op: 'hasAny' | 'hasNone'; values: string[] };

export interface UserQuery {
  conditions: UserCondition[];
  sort?: { field: UserField; direction: 'asc' | 'desc' };
  limit: number;
  offset: number;
}

export interface UserPage {
  total: number;
  users: UserRecord[];
}

export interface UserRepository {
  create(appId: number, user: NewUser): Promise<UserRecord>;
  findById(appId: number, userId: number): Promise<UserRecord | undefined>;
  /** The users of this application among `userIds`, in id order. */
  findByIds(appId: number, userIds: number[]): Promise<UserRecord[]>;
  findByLogin(appId: number, login: string): Promise<UserRecord | undefined>;
  /** Emails match case-insensitively. */
  findByEmail(appId: number, email: string): Promise<UserRecord | undefined>;
  update(appId: number, userId: number, change: UserChange): Promise<UserRecord | undefined>;
  /** Deletes the user and all of its sessions; false when there was no such user. */
  delete(appId: number, userId: number): Promise<boolean>;
  query(appId: number, query: UserQuery): Promise<UserPage>;
  /** Guests whose every session has ended before `now`, across applications (for the sweeper). */
  deleteExpiredGuests(now: number): Promise<number>;
}
