// `ConnectyCube.videochat`: P2P calls over the chat connection (realtime.md §12), the docs' API and
// listeners, and TURN credentials fetched from Parley (`GET /calls/turn_credentials.json`) unless the
// app configured `videochat.iceServers` itself.
import type { TurnCredentialsWire } from '@parley/protocol';
import type { ApiRequest } from '../http/types.js';
import type { SdkConfig } from '../config.js';
import type { XmlElement } from '../chat/realtime/xml.js';
import { CallSessionState, CallSignalType, CallType, MediaType, PeerConnectionState, SessionConnectionState } from './enums.js';
import { CallSession, type SessionHost } from './session.js';
import { readSignal, signalStanza, type ReceivedSignal, type SignalFields, type UserInfo } from './signal-codec.js';
import type { VideoChatListeners } from './listeners.js';

/** What the video chat needs from the rest of the SDK. */
export interface VideoChatDeps {
  config(): SdkConfig;
  request<T>(request: ApiRequest): Promise<T>;
  chat: {
    readonly currentUserId: number;
    readonly helpers: { getBsonObjectId(): string; jidOrUserId(id: number | string): string };
    setCallSignalHandler(handler: ((userId: number | null, extraParams: XmlElement) => void) | undefined): void;
    sendCallSignal(stanza: XmlElement): void;
  };
}

export interface IceServer {
  urls: string | string[];
  url?: string;
  username?: string;
  credential?: string;
}

/** Fetched credentials are renewed this long before they expire. */
const TURN_RENEW_MARGIN_MS = 60_000;

export class VideoChatService implements VideoChatListeners {
  readonly CallType = CallType;
  readonly SessionConnectionState = SessionConnectionState;
  readonly CallSessionState = CallSessionState;
  readonly PeerConnectionState = PeerConnectionState;
  readonly MediaType = MediaType;
  /** Every session of this client by id (closed ones stay, so a re-sent `call` never rings again). */
  readonly sessions: Record<string, CallSession> = {};

  onCallListener: VideoChatListeners['onCallListener'];
  onAcceptCallListener: VideoChatListeners['onAcceptCallListener'];
  onRejectCallListener: VideoChatListeners['onRejectCallListener'];
  onStopCallListener: VideoChatListeners['onStopCallListener'];
  onUpdateCallListener: VideoChatListeners['onUpdateCallListener'];
  onInvalidEventsListener: VideoChatListeners['onInvalidEventsListener'];
  onUserNotAnswerListener: VideoChatListeners['onUserNotAnswerListener'];
  onRemoteStreamListener: VideoChatListeners['onRemoteStreamListener'];
  onSessionConnectionStateChangedListener: VideoChatListeners['onSessionConnectionStateChangedListener'];
  onSessionCloseListener: VideoChatListeners['onSessionCloseListener'];
  onCallStatsReport: VideoChatListeners['onCallStatsReport'];

  private signals: Promise<void> = Promise.resolve();
  private turn: { credentials: Promise<TurnCredentialsWire>; renewAt: number } | undefined;
  private readonly host: SessionHost;

  constructor(private readonly deps: VideoChatDeps) {
    deps.chat.setCallSignalHandler((userId, extraParams) => this.receive(userId, extraParams));
    this.host = this.sessionHost();
  }

  /** `calleesIds` excludes the current user; `options.bandwidth` (or `maxBandwidth`) caps video in kbps. */
  createNewSession(calleesIds: number[], callType: CallType = CallType.VIDEO, options: { bandwidth?: number; maxBandwidth?: number } = {}): CallSession {
    if (!Array.isArray(calleesIds) || calleesIds.length === 0) throw new Error('Callees ids must be a non-empty array');
    const session = new CallSession(this.host, uuid(), this.deps.chat.currentUserId, calleesIds.map(Number), callType, options.maxBandwidth ?? options.bandwidth ?? 0);
    this.sessions[session.ID] = session;
    return session;
  }

  clearSession(sessionId: string): void {
    delete this.sessions[sessionId];
  }

  /** Declines a call without a session (e.g. from a push): the server sends `reject` to `recipientId` for us. */
  callRejectRequest(params: { sessionID: string; recipientId: number; platform?: string; userInfo?: UserInfo }): Promise<unknown> {
    return this.deps.request({ method: 'POST', path: 'calls/reject', data: { platform: 'web', ...params } });
  }

  async getMediaDevices(kind?: MediaDeviceKind): Promise<MediaDeviceInfo[]> {
    const devices = await mediaDevices().enumerateDevices();
    return kind ? devices.filter((device) => device.kind === kind) : devices;
  }

  /** The ICE servers calls use now: the configured ones, or Parley's TURN credentials. */
  async iceServers(): Promise<IceServer[]> {
    const configured = this.settings().iceServers;
    if (Array.isArray(configured)) return configured as IceServer[];
    const now = Date.now();
    if (!this.turn || now >= this.turn.renewAt) {
      const credentials = this.deps.request<TurnCredentialsWire>({ method: 'GET', path: 'calls/turn_credentials' });
      this.turn = { credentials, renewAt: Number.POSITIVE_INFINITY };
      credentials.then(
        (value) => {
          if (this.turn?.credentials === credentials) this.turn.renewAt = now + Math.max(value.ttl * 1000 - TURN_RENEW_MARGIN_MS, 0);
        },
        () => {
          if (this.turn?.credentials === credentials) this.turn = undefined;
        },
      );
    }
    try {
      return (await this.turn.credentials).iceServers ?? [];
    } catch {
      // No TURN from the server (not signed in, older server): host and STUN candidates still work.
      return [];
    }
  }

  private settings(): Record<string, unknown> {
    return this.deps.config().features.videochat ?? {};
  }

  private seconds(name: string, fallback: number): number {
    const value = this.settings()[name];
    return typeof value === 'number' && value >= 0 ? value : fallback;
  }

  private sessionHost(): SessionHost {
    const send = (userId: number, type: CallSignalType, fields: SignalFields) => {
      const { chat } = this.deps;
      chat.sendCallSignal(signalStanza(chat.helpers.jidOrUserId(userId), chat.helpers.getBsonObjectId(), type, fields, platform()));
    };
    const { chat } = this.deps;
    return {
      get currentUserID() {
        return chat.currentUserId;
      },
      timers: () => ({
        answerMs: this.seconds('answerTimeInterval', 60) * 1000,
        dialingMs: Math.max(this.seconds('dialingTimeInterval', 5), 1) * 1000,
        disconnectMs: this.seconds('disconnectTimeInterval', 30) * 1000,
        statsMs: this.seconds('statsReportTimeInterval', 0) * 1000,
      }),
      rtcConfiguration: async () => ({
        iceServers: (await this.iceServers()).map((server) => ({ urls: server.urls ?? server.url ?? [], username: server.username, credential: server.credential })) as RTCIceServer[],
        iceTransportPolicy: this.settings().alwaysRelayCalls ? 'relay' : 'all',
      }),
      send,
      mediaDevices,
      notAnswered: (session, userId) => call(this.onUserNotAnswerListener, session, userId),
      remoteStream: (session, userId, stream) => call(this.onRemoteStreamListener, session, userId, stream),
      connectionState: (session, userId, state) => call(this.onSessionConnectionStateChangedListener, session, userId, state),
      statsReport: (session, userId, stats, error) => call(this.onCallStatsReport, session, userId, stats, error),
      closed: (session) => call(this.onSessionCloseListener, session),
    };
  }

  /** Signals are handled one at a time, in arrival order (a candidate never overtakes its offer). */
  private receive(userId: number | null, extraParams: XmlElement): void {
    if (userId === null) return;
    const signal = readSignal(extraParams);
    this.signals = this.signals.then(() => this.dispatch(userId, signal)).catch(() => undefined);
  }

  private async dispatch(userId: number, signal: ReceivedSignal): Promise<void> {
    const known = this.sessions[signal.sessionID];
    if (!known) {
      if (signal.signalType === CallSignalType.STOP) call(this.onInvalidEventsListener, undefined, userId, signal.userInfo);
      if (signal.signalType !== CallSignalType.CALL) return;
    }
    let session = known!;
    const live = known !== undefined && (known.state === CallSessionState.NEW || known.state === CallSessionState.ACTIVE);
    switch (signal.signalType) {
      case CallSignalType.CALL:
        if (!known) {
          const maxBandwidth = Number(signal.userInfo.maxBandwidth ?? 0) || 0;
          session = new CallSession(this.host, signal.sessionID, signal.callerID || userId, signal.opponentsIDs, signal.callType ?? CallType.VIDEO, maxBandwidth);
          this.sessions[session.ID] = session;
          // The offer is recorded first, so reject() or accept() inside the listener has a peer to answer.
          await session.onSignal(userId, signal);
          call(this.onCallListener, session, signal.userInfo);
          return;
        }
        if (live) await session.onSignal(userId, signal);
        return;
      case CallSignalType.ACCEPT:
        if (!live) return;
        call(this.onAcceptCallListener, session, userId, signal.userInfo);
        return session.onSignal(userId, signal);
      case CallSignalType.REJECT:
        call(this.onRejectCallListener, session, userId, signal.userInfo);
        return session.onSignal(userId, signal);
      case CallSignalType.STOP:
        if (!live) {
          call(this.onInvalidEventsListener, session, userId, signal.userInfo);
          return;
        }
        await session.onSignal(userId, signal);
        call(this.onStopCallListener, session, userId, signal.userInfo);
        return;
      case CallSignalType.UPDATE:
        if (live) call(this.onUpdateCallListener, session, userId, signal.userInfo);
        return;
      default:
        if (live) await session.onSignal(userId, signal);
    }
  }
}

/** Calls an app listener; an exception in app code never breaks signalling. */
function call<A extends unknown[]>(listener: ((...args: A) => unknown) | undefined, ...args: A): void {
  if (typeof listener !== 'function') return;
  try {
    listener(...args);
  } catch (error) {
    console.error('[VideoChat] listener failed:', error);
  }
}

function mediaDevices(): MediaDevices {
  const devices = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
  if (!devices) throw new Error("Your environment does not support 'getUserMedia' API");
  return devices;
}

function platform(): string {
  return typeof window !== 'undefined' && typeof document !== 'undefined' ? 'web' : 'node';
}

/** A v4 UUID (the session id the official SDK sends is one too). */
function uuid(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
