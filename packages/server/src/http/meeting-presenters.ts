import type { MeetingRecordingWire, MeetingWire } from '@parley/protocol';
import type { MeetingRecord, RecordingRecord } from '../ports/meetings.js';

/** A meeting as rest.md §9 shows it (dates ISO with milliseconds). */
export function meetingWire(meeting: MeetingRecord): MeetingWire {
  return {
    _id: meeting.id,
    name: meeting.name,
    start_date: meeting.startDate,
    end_date: meeting.endDate,
    attendees: meeting.attendees,
    record: meeting.record,
    chat_dialog_id: meeting.chatDialogId,
    host_id: meeting.hostId,
    public: meeting.public,
    scheduled: meeting.scheduled,
    notify: meeting.notify,
    notify_before: meeting.notifyBefore,
    timezone: meeting.timezone,
    created_at: new Date(meeting.createdAt).toISOString(),
    updated_at: new Date(meeting.updatedAt).toISOString(),
  };
}

/** A recording: duration in seconds, size in MB (two decimals kept as given by the contract's example). */
export function recordingWire(recording: RecordingRecord, downloadUrl: string): MeetingRecordingWire {
  return {
    _id: recording.id,
    room_id: recording.meetingId,
    participants_ids: recording.participantIds,
    participants_count: recording.participantIds.length,
    duration: recording.duration,
    size: Math.round((recording.sizeBytes / (1024 * 1024)) * 1000) / 1000,
    download_url: downloadUrl,
    created_at: new Date(recording.createdAt).toISOString(),
    updated_at: new Date(recording.updatedAt).toISOString(),
  };
}
