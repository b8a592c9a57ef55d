// Meetings as the wire carries them (rest.md §9), named as in the official SDK's `Meetings` types.

export type MeetingDateMetric = 'minutes' | 'hours' | 'days' | 'weeks';

export interface MeetingAttendee {
  id?: number;
  email?: string;
}

export interface MeetingParams {
  name?: string;
  /** Unix seconds (or a date string). */
  start_date?: number | string;
  end_date?: number | string;
  attendees?: MeetingAttendee[];
  record?: boolean | null;
  public?: boolean;
  scheduled?: boolean;
  notify?: boolean;
  notify_before?: { metric: MeetingDateMetric | string; value: number };
  timezone?: { offset: number; name: string };
}

export interface CreateMeetingParams extends MeetingParams {
  /** Create a group chat (dialog type 5) for the meeting. */
  chat?: boolean;
}

export interface Meeting extends MeetingParams {
  _id: string;
  chat_dialog_id?: string | null;
  host_id: number;
  created_at: string;
  updated_at: string;
}

/** `{gt: …}`-style conditions or a plain value. */
export type MeetingSearchCondition<T> = T | Partial<Record<'lt' | 'lte' | 'gt' | 'gte' | 'ne' | 'in' | 'nin', T | T[]>>;

export interface GetMeetingsParams {
  _id?: string;
  limit?: number;
  offset?: number;
  start_date?: MeetingSearchCondition<number | string>;
  end_date?: MeetingSearchCondition<number | string>;
  start_at?: MeetingSearchCondition<number | string>;
  end_at?: MeetingSearchCondition<number | string>;
  created_at?: MeetingSearchCondition<number | string>;
  updated_at?: MeetingSearchCondition<number | string>;
  scheduled?: boolean;
}

export interface MeetingRecording {
  _id: string;
  room_id: string;
  participants_ids: number[];
  participants_count: number;
  /** Seconds. */
  duration: number;
  /** Megabytes. */
  size: number;
  /** Absolute URL, valid for one hour. */
  download_url: string;
  created_at: string;
  updated_at: string;
}
