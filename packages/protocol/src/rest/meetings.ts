/** Meeting wire objects (rest.md §9). Request bodies are decoded by the meetings domain. */

/** One invitee: a user id, an email, or both. */
export interface MeetingAttendeeWire {
  id?: number;
  email?: string;
}

/** A meeting; the server sends every key. @parley/sdk exposes it as `Meeting`. */
export interface MeetingWire {
  _id: string;
  name: string;
  /** Unix seconds. */
  start_date: number;
  end_date: number;
  attendees: MeetingAttendeeWire[];
  record: boolean;
  /** The meeting's chat (a type-5 dialog), or `null` when created without `chat: true`. */
  chat_dialog_id: string | null;
  host_id: number;
  public: boolean;
  scheduled: boolean;
  notify: boolean;
  notify_before: { metric: 'minutes' | 'hours' | 'days' | 'weeks'; value: number } | null;
  /** `offset` in minutes from UTC. */
  timezone: { offset: number; name: string } | null;
  /** ISO 8601 with milliseconds. */
  created_at: string;
  updated_at: string;
}

/** A meeting's recording; @parley/sdk exposes it as `MeetingRecording`. */
export interface MeetingRecordingWire {
  _id: string;
  /** The meeting's `_id`. */
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
