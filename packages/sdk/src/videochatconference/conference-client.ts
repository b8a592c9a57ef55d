// `ConnectyCube.videochatconference`: creates conference sessions bound to the current REST session
// token, holds the listeners (sessions created later use them) and lists media devices.
import { ConferenceSession } from './conference-session.js';
import type { JanusWebSocketConstructor } from './janus-connection.js';
import type { ConferenceListeners } from './types.js';

export interface ConferenceDeps {
  /** `conference` and `videochat` sections of `init`. */
  config(): { server?: unknown; iceServers?: unknown; websocket?: unknown };
  token(): string | undefined;
}

export const DeviceInputType = { VIDEO: 'videoinput', AUDIO: 'audioinput' } as const;
export const JanusCallType = { VIDEO: 'video', AUDIO: 'audio' } as const;

export class ConferenceClient implements ConferenceListeners {
  /** As SDK 6.1.2 names it. */
  readonly DeviceInputType = DeviceInputType;
  readonly JanusCallType = JanusCallType;
  /** As the docs name it (SDK 6.1.2 has only `DeviceInputType`). */
  readonly DEVICE_INPUT_TYPES = DeviceInputType;
  onParticipantJoinedListener: ConferenceListeners['onParticipantJoinedListener'];
  onParticipantLeftListener: ConferenceListeners['onParticipantLeftListener'];
  onRemoteStreamListener: ConferenceListeners['onRemoteStreamListener'];
  onRemoteTracksUpdatedListener: ConferenceListeners['onRemoteTracksUpdatedListener'];
  onSlowLinkListener: ConferenceListeners['onSlowLinkListener'];
  onRemoteConnectionStateChangedListener: ConferenceListeners['onRemoteConnectionStateChangedListener'];
  onSessionConnectionStateChangedListener: ConferenceListeners['onSessionConnectionStateChangedListener'];
  onErrorListener: ConferenceListeners['onErrorListener'];
  readonly sessionsStore: Record<string, ConferenceSession> = {};

  constructor(private readonly deps: ConferenceDeps) {}

  /** A session for the current user; throws like the official SDK without a session token. */
  createNewSession(): ConferenceSession {
    const token = this.deps.token();
    if (!token) throw new Error('Session does not exist');
    const config = this.deps.config();
    const server = typeof config.server === 'string' ? config.server : 'wss://janus.connectycube.com:8989';
    const session = new ConferenceSession({
      server,
      token,
      iceServers: Array.isArray(config.iceServers) ? (config.iceServers as RTCIceServer[]) : [],
      listeners: () => this,
      WebSocketImpl: typeof config.websocket === 'function' ? (config.websocket as JanusWebSocketConstructor) : undefined,
    });
    this.sessionsStore[session.id] = session;
    return session;
  }

  async getMediaDevices(kind?: MediaDeviceKind): Promise<MediaDeviceInfo[]> {
    const devices = await navigator.mediaDevices.enumerateDevices();
    return kind ? devices.filter((device) => device.kind === kind) : devices;
  }
}
