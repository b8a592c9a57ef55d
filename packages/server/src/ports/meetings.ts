/**
 * The meetings port (rest.md §9): meetings with their attendees, and the recordings of their
 * conferences.
 *
 * Guarantees every adapter gives (checked by test/contract/meetings.contract.test.ts):
 * - a meeting and its user attendees are written atomically; `listFor` finds a meeting by its host and
 *   by every attendee that has an `id`;
 * - deleting a meeting deletes its attendee rows and recording rows (the blobs are the caller's);
 * - rows of another application are never read or written.
 */

export interface MeetingAttendee {
  id?: number;
  email?: string;
}

export interface NotifyBefore {
  metric: 'minutes' | 'hours' | 'days' | 'weeks';
  value: number;
}

export interface MeetingTimezone {
  offset: number;
  name: string;
}

export interface MeetingRecord {
  id: string;
  appId: number;
  hostId: number;
  name: string;
  /** Unix seconds. */
  startDate: number;
  endDate: number;
  attendees: MeetingAttendee[];
  record: boolean;
  public: boolean;
  scheduled: boolean;
  notify: boolean;
  notifyBefore: NotifyBefore | null;
  timezone: MeetingTimezone | null;
  chatDialogId: string | null;
  /** Unix seconds when the reminder mail is due; null = none (or sent). */
  remindAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export type MeetingChange = Partial<Omit<MeetingRecord, 'id' | 'appId' | 'hostId' | 'createdAt'>>;

/** One condition of a meeting list; fields are columns, dates in their stored unit. */
export type MeetingCondition =
  | { field: MeetingFilterField; op: 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte'; value: number }
  | { field: MeetingFilterField; op: 'in' | 'nin'; values: number[] };

export type MeetingFilterField = 'start_date' | 'end_date' | 'created_at' | 'updated_at' | 'scheduled';

export interface MeetingQuery {
  conditions: MeetingCondition[];
  limit: number;
  offset: number;
}

export interface RecordingRecord {
  id: string;
  appId: number;
  meetingId: string;
  blobId: number;
  participantIds: number[];
  /** Seconds. */
  duration: number;
  sizeBytes: number;
  createdAt: number;
  updatedAt: number;
}

export interface MeetingRepository {
  create(meeting: MeetingRecord): Promise<MeetingRecord>;
  findById(appId: number, meetingId: string): Promise<MeetingRecord | undefined>;
  /** The meeting whose chat dialog this is. */
  findByDialog(appId: number, dialogId: string): Promise<MeetingRecord | undefined>;
  update(appId: number, meetingId: string, change: MeetingChange): Promise<MeetingRecord | undefined>;
  /** False when there was no such meeting. */
  delete(appId: number, meetingId: string): Promise<boolean>;
  /** Meetings the user hosts or attends, newest start first. */
  listFor(appId: number, userId: number, query: MeetingQuery): Promise<MeetingRecord[]>;
  /** Meetings of any application whose reminder is due at `nowSeconds` and that have not started. */
  dueReminders(nowSeconds: number, limit: number): Promise<MeetingRecord[]>;
  /** Clears the reminder if it is still the one seen (false when another node took it). */
  takeReminder(appId: number, meetingId: string, remindAt: number): Promise<boolean>;
  /** Every meeting of the app (operators), newest start first, with how many recordings each has. */
  listOfApp(appId: number, page: { limit: number; offset: number }): Promise<{ meeting: MeetingRecord; recordings: number }[]>;
  addRecording(recording: RecordingRecord): Promise<void>;
  recordings(appId: number, meetingId: string): Promise<RecordingRecord[]>;
}
