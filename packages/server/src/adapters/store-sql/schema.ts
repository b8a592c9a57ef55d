import type { Generated } from 'kysely';

/** Row types of the SQL schema, shared by the SQLite and PostgreSQL adapters. Times are epoch ms. */
export interface AppsTable {
  id: Generated<number>;
  name: string;
  auth_key: string;
  auth_secret: string;
  settings: string;
  created_at: number;
}

export interface UsersTable {
  id: Generated<number>;
  app_id: number;
  login: string | null;
  email: string | null;
  /** Lower-cased email: uniqueness and lookups ignore case. */
  email_norm: string | null;
  full_name: string | null;
  phone: string | null;
  /** `phoneMatchKey(phone)`: address books match users on it (0005). */
  phone_norm: string | null;
  website: string | null;
  custom_data: string | null;
  avatar: string | null;
  blob_id: number | null;
  external_user_id: number | null;
  external_id: string | null;
  facebook_id: string | null;
  twitter_id: string | null;
  timezone: number | null;
  /** Comma-joined tags as the wire shows them; `user_tags` rows are the index. */
  tags: string | null;
  is_guest: number;
  password_hash: string | null;
  scram_salt: string | null;
  scram_iterations: number | null;
  scram_stored_key: string | null;
  scram_server_key: string | null;
  created_at: number;
  updated_at: number;
  last_request_at: number | null;
  /** 0013: when an operator blocked the user (NULL = not blocked). */
  blocked_at: number | null;
}

export interface UserTagsTable {
  app_id: number;
  user_id: number;
  tag: string;
}

export interface SessionsTable {
  id: Generated<number>;
  app_id: number;
  user_id: number | null;
  token_hash: string;
  nonce: number;
  ts: number;
  created_at: number;
  updated_at: number;
  expires_at: number;
  hard_expires_at: number | null;
  /** 0007: SCRAM-SHA-1 keys of the token (NULL = none). */
  scram_salt: string | null;
  scram_iterations: number | null;
  scram_stored_key: string | null;
  scram_server_key: string | null;
}

export interface Database {
  apps: AppsTable;
  users: UsersTable;
  user_tags: UserTagsTable;
  sessions: SessionsTable;
  dialogs: DialogsTable;
  dialog_members: DialogMembersTable;
  messages: MessagesTable;
  message_states: MessageStatesTable;
  message_reactions: MessageReactionsTable;
  blobs: BlobsTable;
  address_book_contacts: AddressBookContactsTable;
  data_classes: DataClassesTable;
  data_records: DataRecordsTable;
  offline_stanzas: OfflineStanzasTable;
  last_activity: LastActivityTable;
  privacy_lists: PrivacyListsTable;
  ai_settings: AiSettingsTable;
  ai_summaries: AiSummariesTable;
  push_subscriptions: PushSubscriptionsTable;
  push_events: PushEventsTable;
  push_jobs: PushJobsTable;
  push_app_config: PushAppConfigTable;
  push_deliveries: PushDeliveriesTable;
  meetings: MeetingsTable;
  meeting_attendees: MeetingAttendeesTable;
  meeting_recordings: MeetingRecordingsTable;
  operators: OperatorsTable;
  dialog_fields: DialogFieldsTable;
  operator_sessions: OperatorSessionsTable;
}

export interface DialogsTable {
  id: string;
  app_id: number;
  type: number;
  owner_id: number;
  name: string | null;
  description: string | null;
  photo: string | null;
  occupant_ids: string;
  admin_ids: string;
  pinned_message_ids: string;
  subscribers_count: number;
  extensions: string | null;
  permissions: string | null;
  private_key: string | null;
  last_message_id: string | null;
  last_message: string | null;
  last_message_user_id: number | null;
  last_message_date_sent: number | null;
  created_at: number;
  updated_at: number;
}

export interface DialogMembersTable {
  app_id: number;
  dialog_id: string;
  user_id: number;
  is_member: number;
  hidden: Generated<number>;
  unread_count: Generated<number>;
  cleared_seq: Generated<number>;
  joined_seq: Generated<number>;
  notifications: Generated<number>;
  joined_at: number;
}

export interface MessagesTable {
  seq: Generated<number>;
  id: string;
  app_id: number;
  dialog_id: string;
  sender_id: number;
  recipient_id: number;
  body: string | null;
  date_sent: number;
  attachments: string;
  custom: string | null;
  markable: number;
  created_at: number;
  updated_at: number;
}

export interface MessageStatesTable {
  app_id: number;
  dialog_id: string;
  message_id: string;
  user_id: number;
  read: Generated<number>;
  delivered: Generated<number>;
  hidden: Generated<number>;
}

export interface MessageReactionsTable {
  app_id: number;
  message_id: string;
  user_id: number;
  reaction: string;
  created_at: number;
}

export interface OfflineStanzasTable {
  id: Generated<number>;
  app_id: number;
  user_id: number;
  payload: string;
  created_at: number;
}

export interface DataClassesTable {
  id: Generated<number>;
  app_id: number;
  name: string;
  /** JSON array of {name, type, indexed}. */
  fields: string;
  /** JSON of the class permission scheme. */
  permissions: string;
  created_at: number;
  updated_at: number;
}

/** `*_users` / `*_groups` are `,a,b,` lists (empty when unused), so membership is a substring test. */
export interface DataRecordsTable {
  id: string;
  app_id: number;
  class_id: number;
  parent_id: string | null;
  user_id: number;
  /** JSON text on SQLite; jsonb on PostgreSQL (written as JSON text, read back parsed). */
  fields: string;
  read_access: string;
  read_users: Generated<string>;
  read_groups: Generated<string>;
  update_access: string;
  update_users: Generated<string>;
  update_groups: Generated<string>;
  delete_access: string;
  delete_users: Generated<string>;
  delete_groups: Generated<string>;
  created_at: number;
  updated_at: number;
}

export interface AddressBookContactsTable {
  app_id: number;
  user_id: number;
  /** '' = the global book. */
  udid: string;
  phone_key: string;
  phone: string;
  name: string;
  created_at: number;
  updated_at: number;
}

export interface BlobsTable {
  id: Generated<number>;
  app_id: number;
  owner_id: number;
  uid: string;
  name: string;
  content_type: string;
  is_public: number;
  stored_size: number | null;
  uploaded_at: number | null;
  completed_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface LastActivityTable {
  app_id: number;
  user_id: number;
  seen_at: number;
}

export interface PrivacyListsTable {
  id: Generated<number>;
  app_id: number;
  user_id: number;
  name: string;
  /** JSON array of StoredPrivacyItem, in stored order. */
  items: string;
  /** 1 for the user's default list. */
  is_default: number;
  created_at: number;
  updated_at: number;
}

export interface AiSettingsTable {
  app_id: number;
  provider: string;
  model: string;
  stored_key: string;
  base_url: string;
  user_requests_per_minute: number | null;
  app_requests_per_day: number | null;
  updated_at: number;
}

export interface AiSummariesTable {
  app_id: number;
  cache_key: string;
  summary: string;
  provider: string;
  created_at: number;
}
export interface PushSubscriptionsTable {
  id: Generated<number>;
  app_id: number;
  user_id: number;
  channel: string;
  environment: string;
  platform: string;
  udid: string;
  token: string;
  bundle_id: string | null;
  web_auth: string | null;
  web_p256dh: string | null;
  created_at: number;
  updated_at: number;
}

export interface PushEventsTable {
  id: Generated<number>;
  app_id: number;
  user_id: number;
  channel: string | null;
  environment: string | null;
  message: string;
  created_at: number;
}

export interface PushJobsTable {
  id: Generated<number>;
  app_id: number;
  subscription_id: number;
  /** JSON of the PushMessage. */
  message: string;
  status: 'pending' | 'failed';
  attempts: number;
  next_attempt_at: number;
  locked_until: number;
  last_error: string | null;
  created_at: number;
}

export interface PushDeliveriesTable {
  id: Generated<number>;
  app_id: number;
  job_id: number;
  subscription_id: number;
  user_id: number;
  channel: string;
  outcome: string;
  reason: string | null;
  attempt: number;
  elapsed_ms: number;
  created_at: number;
}

export interface PushAppConfigTable {
  app_id: number;
  /** JSON of the PushAppConfig (credentials included: the database is trusted like the key files). */
  config: string;
  updated_at: number;
}

export interface MeetingsTable {
  app_id: number;
  id: string;
  host_id: number;
  name: string;
  start_date: number;
  end_date: number;
  attendees: string;
  record: number;
  public: number;
  scheduled: number;
  notify: number;
  notify_before: string | null;
  timezone: string | null;
  chat_dialog_id: string | null;
  remind_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface MeetingAttendeesTable {
  app_id: number;
  meeting_id: string;
  user_id: number;
}

export interface MeetingRecordingsTable {
  app_id: number;
  id: string;
  meeting_id: string;
  blob_id: number;
  participants_ids: string;
  duration: number;
  size_bytes: number;
  created_at: number;
  updated_at: number;
}

export interface OperatorsTable {
  id: Generated<number>;
  login: string;
  password_hash: string;
  created_at: number;
}

export interface OperatorSessionsTable {
  token_hash: string;
  operator_id: number;
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

export interface DialogFieldsTable {
  app_id: number;
  name: string;
  created_at: number;
}
