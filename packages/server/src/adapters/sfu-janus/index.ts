import { createHmac } from 'node:crypto';
import path from 'node:path';
import Janode, { type JanodeConnection } from 'janode';
import VideoRoomPlugin, { type VideoRoomHandle } from 'janode/plugins/videoroom';
import type { Sfu, SfuRoomSpec } from '../../ports/sfu.js';

export { startManagedJanus, type ManagedJanus } from './managed-process.js';

export interface JanusSfuSettings {
  /** Janus WebSocket API, e.g. ws://127.0.0.1:8188 */
  url: string;
  apiSecret: string;
  /** videoroom `admin_key` (needed to create rooms). */
  adminKey: string;
  /** Recordings go to `<recordingsRoot>/<room>/`. */
  recordingsRoot: string;
}

/** Janus answers a create of an existing room with this code (realtime.md §13.7: treat as success). */
const ROOM_EXISTS = 427;
const NO_SUCH_ROOM = 426;
const NO_SUCH_FEED = 428;

function janusCode(error: unknown): number | undefined {
  const match = /^(\d{3})\b/.exec(String((error as Error | undefined)?.message ?? ''));
  return match ? Number(match[1]) : undefined;
}

/**
 * The SFU port on Janus's videoroom plugin, controlled through Meetecho's janode over one session and
 * one handle, reopened when the connection drops (e.g. Janus restarted).
 */
export function createJanusSfu(settings: JanusSfuSettings): Sfu {
  Janode.Logger.setLevel('none');
  let control: Promise<{ connection: JanodeConnection; handle: VideoRoomHandle }> | undefined;

  const open = async () => {
    const connection = await Janode.connect({ address: { url: settings.url, apisecret: settings.apiSecret }, retry_time_secs: 1, max_retries: 1 });
    // A dropped connection (or Janus restart) is reopened on the next call.
    connection.once(Janode.EVENT.CONNECTION_CLOSED ?? 'connection_closed', () => (control = undefined));
    connection.on(Janode.EVENT.CONNECTION_ERROR ?? 'connection_error', () => (control = undefined));
    const session = await connection.create(25);
    session.once(Janode.EVENT.SESSION_DESTROYED ?? 'session_destroyed', () => (control = undefined));
    const handle = await session.attach<VideoRoomHandle>(VideoRoomPlugin);
    return { connection, handle };
  };
  const videoroom = async (): Promise<VideoRoomHandle> => {
    control ??= open();
    try {
      return (await control).handle;
    } catch (error) {
      control = undefined;
      throw error;
    }
  };
  // Rooms get a secret only Parley knows, so no client can destroy, edit or kick through them.
  const roomSecret = (room: string) => createHmac('sha256', settings.adminKey).update(room).digest('hex');
  const recordingDir = (room: string) => path.join(settings.recordingsRoot, room);

  return {
    relay: { url: settings.url, subprotocol: 'janus-protocol', apiSecret: settings.apiSecret },
    recordingDir,
    async ensureRoom(spec: SfuRoomSpec) {
      const handle = await videoroom();
      try {
        await handle.create({
          room: spec.room,
          admin_key: settings.adminKey,
          secret: roomSecret(spec.room),
          description: spec.description,
          permanent: false,
          is_private: true,
          max_publishers: spec.publishers,
          bitrate: 1_024_000,
          fir_freq: 10,
          notify_joining: false,
          require_pvtid: false,
          talking_events: false,
          record: spec.record,
          rec_dir: recordingDir(spec.room),
        });
      } catch (error) {
        if (janusCode(error) !== ROOM_EXISTS) throw error;
      }
    },
    async destroyRoom(room) {
      const handle = await videoroom();
      try {
        await handle.message({ request: 'destroy', room, secret: roomSecret(room), permanent: false });
      } catch (error) {
        if (janusCode(error) !== NO_SUCH_ROOM) throw error;
      }
    },
    async setRecording(room, record) {
      const handle = await videoroom();
      try {
        await handle.message({ request: 'enable_recording', room, secret: roomSecret(room), record });
      } catch (error) {
        if (janusCode(error) !== NO_SUCH_ROOM) throw error;
      }
    },
    async participants(room) {
      const handle = await videoroom();
      try {
        const list = await handle.listParticipants({ room });
        return list.participants.map((p) => ({ id: String(p.feed), display: p.display, publisher: p.publisher }));
      } catch (error) {
        if (janusCode(error) === NO_SUCH_ROOM) return [];
        throw error;
      }
    },
    async kick(room, participantId) {
      const handle = await videoroom();
      try {
        await handle.message({ request: 'kick', room, id: participantId, secret: roomSecret(room) });
      } catch (error) {
        const code = janusCode(error);
        if (code !== NO_SUCH_ROOM && code !== NO_SUCH_FEED) throw error;
      }
    },
    async close() {
      const current = control;
      control = undefined;
      if (!current) return;
      try {
        await (await current).connection.close();
      } catch {
        // Already gone.
      }
    },
  };
}
