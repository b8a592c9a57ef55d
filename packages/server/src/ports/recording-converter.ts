/**
 * Turns the raw per-stream recordings the SFU wrote for one room into playable files, one per
 * publisher session (audio and video together when both exist).
 *
 * Guarantees: every returned file exists and has a duration read back by a media probe; files of
 * streams that could not be converted are skipped (never returned half-made); the raw input is left
 * for the caller to delete.
 */
import type { Readable } from 'node:stream';

export interface ConvertedRecording {
  /** The publisher's participant id as the SFU knew it (the user id, as a string). */
  participantId: string;
  path: string;
  contentType: string;
  /** Seconds. */
  duration: number;
  sizeBytes: number;
  /** When the publisher started sending (epoch ms). */
  startedAt: number;
  /** The file's bytes. */
  open(): Readable;
}

export interface RecordingConverter {
  convertRoom(recordingDir: string): Promise<ConvertedRecording[]>;
  /** Deletes the room's raw and converted files (after they were stored). */
  discardRoom(recordingDir: string): Promise<void>;
}
