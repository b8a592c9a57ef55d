import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ConvertedRecording, RecordingConverter } from '../../ports/recording-converter.js';

const run = promisify(execFile);

export interface JanusPpRecSettings {
  /** janus-pp-rec (Debian janus-tools). */
  ppRec: string;
  /** ffmpeg, to put audio and video in one file; ffprobe is taken from the same folder. */
  ffmpeg: string;
}

/** `videoroom-<room>-user-<id>-<µs>-<audio|video|data>-<mindex>.mjr`, as Janus 1.x names them. */
const RAW_NAME = /^videoroom-.+-user-(.+)-(\d+)-(audio|video)-\d+\.mjr$/;

interface Session {
  participantId: string;
  startedMicros: number;
  audio?: string;
  video?: string;
}

/** Streams of one publisher recorded this close together belong to one file. */
const SAME_SESSION_MICROS = 10_000_000;

/** Groups raw files per publisher session: each video with the nearest audio of the same participant. */
function pairStreams(names: string[], recordingDir: string): Session[] {
  const streams = names.flatMap((name) => {
    const match = RAW_NAME.exec(name);
    if (!match) return [];
    const [, participantId = '', micros = '0', kind = 'video'] = match;
    return [{ participantId, micros: Number(micros), kind, file: path.join(recordingDir, name) }];
  });
  const sessions: Session[] = [];
  const audios = streams.filter((s) => s.kind === 'audio');
  for (const video of streams.filter((s) => s.kind === 'video')) {
    const candidates = audios.filter((a) => a.participantId === video.participantId && Math.abs(a.micros - video.micros) <= SAME_SESSION_MICROS);
    candidates.sort((a, b) => Math.abs(a.micros - video.micros) - Math.abs(b.micros - video.micros));
    const audio = candidates[0];
    if (audio) audios.splice(audios.indexOf(audio), 1);
    sessions.push({ participantId: video.participantId, startedMicros: Math.min(video.micros, audio?.micros ?? video.micros), video: video.file, ...(audio ? { audio: audio.file } : {}) });
  }
  for (const audio of audios) sessions.push({ participantId: audio.participantId, startedMicros: audio.micros, audio: audio.file });
  return sessions;
}

/** Recordings via janus-pp-rec (per stream) and ffmpeg (muxing), durations by ffprobe. */
export function createJanusPpRecConverter(settings: JanusPpRecSettings): RecordingConverter {
  const ffprobe = path.join(path.dirname(settings.ffmpeg), 'ffprobe');

  const duration = async (file: string): Promise<number> => {
    const { stdout } = await run(ffprobe, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'default=noprint_wrappers=1:nokey=1', file]);
    const seconds = Number.parseFloat(stdout.trim());
    return Number.isFinite(seconds) ? seconds : 0;
  };

  return {
    async convertRoom(recordingDir) {
      let names: string[];
      try {
        names = await readdir(recordingDir);
      } catch {
        return [];
      }
      const sessions = pairStreams(names, recordingDir);
      const out: ConvertedRecording[] = [];
      for (const session of sessions) {
        const key = `${session.participantId}-${session.startedMicros}`;
        try {
          const parts: string[] = [];
          if (session.video) {
            const file = path.join(recordingDir, `${key}-video.webm`);
            await run(settings.ppRec, [session.video, file]);
            parts.push(file);
          }
          if (session.audio) {
            const file = path.join(recordingDir, `${key}-audio.opus`);
            await run(settings.ppRec, [session.audio, file]);
            parts.push(file);
          }
          if (parts.length === 0) continue;
          const final = path.join(recordingDir, `${key}.webm`);
          await run(settings.ffmpeg, ['-v', 'error', '-y', ...parts.flatMap((part) => ['-i', part]), '-c', 'copy', final]);
          const seconds = await duration(final);
          if (seconds <= 0) continue;
          out.push({
            participantId: session.participantId,
            path: final,
            contentType: 'video/webm',
            duration: Math.round(seconds * 1000) / 1000,
            sizeBytes: (await stat(final)).size,
            startedAt: Math.floor(session.startedMicros / 1000),
            open: () => createReadStream(final),
          });
        } catch {
          // A stream that cannot be converted (too short, no keyframe …) yields no file.
        }
      }
      return out;
    },
    async discardRoom(recordingDir) {
      await rm(recordingDir, { recursive: true, force: true });
    },
  };
}
