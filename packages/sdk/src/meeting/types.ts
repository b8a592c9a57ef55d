// Meetings (rest.md §9), named as in the official SDK's `Meetings` types: the SDK's parameters here,
// what the server sends from @parley/protocol.
import type { MeetingAttendeeWire, MeetingRecordingWire, MeetingWire } from '@parley/protocol';

export type MeetingDateMetric = 'minutes' | 'hours' | 'days' | 'weeks';

export type MeetingAttendee = MeetingAttendeeWire;

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
  /** `null` clears it (as a fetched meeting carries it). */
  notify_before?: { metric: MeetingDateMetric | string; value: number } | null;
  timezone?: { offset: number; name: string } | null;
}

export interface CreateMeetingParams extends MeetingParams {
  /** Create a group chat (dialog type 5) for the meeting. */
  chat?: boolean;
}

/** Every key is sent; a fetched meeting can be passed back as `MeetingParams`. */
export type Meeting = MeetingWire;

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

export type MeetingRecording = MeetingRecordingWire;
