import { newObjectId } from '@parley/protocol';
import type { MeetingRecord } from '../../ports/meetings.js';
import type { RecordingConverter } from '../../ports/recording-converter.js';
import type { Store } from '../../ports/store.js';
import type { BlobService } from '../blobs/service.js';
import type { Clock } from '../shared/actor.js';
import type { RoomEndedListener } from './service.js';

export interface RecordingLog {
  warn(data: object, message: string): void;
  info(data: object, message: string): void;
}

/**
 * When a recorded room ends, its raw recordings become playable files, stored as private blobs of the
 * host and listed on the meeting (rest.md §9 Recording); the raw files are then removed.
 */
export class RecordingService implements RoomEndedListener {
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Pick<Store, 'meetings'>,
    private readonly blobs: BlobService,
    private readonly converter: RecordingConverter,
    private readonly clock: Clock,
    private readonly log: RecordingLog,
  ) {}

  roomEnded(meeting: Pick<MeetingRecord, 'id' | 'appId' | 'hostId'>, recordingDir: string): void {
    // One room at a time: conversions are CPU-heavy and must not pile up.
    this.running = this.running.then(() => this.process(meeting, recordingDir)).catch((error: unknown) => this.log.warn({ err: error, meeting: meeting.id }, 'recording processing failed'));
  }

  /** Resolves when every room ended so far has been processed. */
  idle(): Promise<void> {
    return this.running;
  }

  private async process(meeting: Pick<MeetingRecord, 'id' | 'appId' | 'hostId'>, recordingDir: string): Promise<void> {
    const files = await this.converter.convertRoom(recordingDir);
    for (const file of files) {
      const userId = Number(file.participantId);
      const blob = await this.blobs.storeServerFile(meeting.appId, meeting.hostId, `meeting-${meeting.id}-${file.participantId}-${file.startedAt}.webm`, file.contentType, file.open());
      const now = this.clock();
      await this.store.meetings.addRecording({
        id: newObjectId(now),
        appId: meeting.appId,
        meetingId: meeting.id,
        blobId: blob.id,
        participantIds: Number.isSafeInteger(userId) ? [userId] : [],
        duration: file.duration,
        sizeBytes: file.sizeBytes,
        createdAt: now,
        updatedAt: now,
      });
    }
    if (files.length > 0) this.log.info({ meeting: meeting.id, files: files.length }, 'meeting recordings stored');
    await this.converter.discardRoom(recordingDir);
  }
}
