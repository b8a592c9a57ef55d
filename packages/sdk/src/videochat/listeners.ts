// The listener slots of `ConnectyCube.videochat` (the docs' names and arguments).
import type { SessionConnectionState } from './enums.js';
import type { CallSession } from './session.js';
import type { UserInfo } from './signal-codec.js';

export type OnCallListener = (session: CallSession, userInfo: UserInfo) => void;
export type OnCallEventListener = (session: CallSession, userId: number, userInfo: UserInfo) => void;
export type OnUserNotAnswerListener = (session: CallSession, userId: number) => void;
export type OnRemoteStreamListener = (session: CallSession, userId: number, stream: MediaStream) => void;
export type OnSessionConnectionStateChangedListener = (session: CallSession, userId: number, state: SessionConnectionState) => void;
export type OnSessionCloseListener = (session: CallSession) => void;
export type OnCallStatsReportListener = (session: CallSession, userId: number, stats: unknown, error?: Error) => void;

export interface VideoChatListeners {
  onCallListener?: OnCallListener | undefined;
  onAcceptCallListener?: OnCallEventListener | undefined;
  onRejectCallListener?: OnCallEventListener | undefined;
  onStopCallListener?: OnCallEventListener | undefined;
  /** `update` signals from Parley SDK peers (the official SDK neither sends nor reports them). */
  onUpdateCallListener?: OnCallEventListener | undefined;
  /** A `hangUp` for a session this client does not know or already closed. */
  onInvalidEventsListener?: ((session: CallSession | undefined, userId: number, userInfo: UserInfo) => void) | undefined;
  onUserNotAnswerListener?: OnUserNotAnswerListener | undefined;
  onRemoteStreamListener?: OnRemoteStreamListener | undefined;
  onSessionConnectionStateChangedListener?: OnSessionConnectionStateChangedListener | undefined;
  onSessionCloseListener?: OnSessionCloseListener | undefined;
  onCallStatsReport?: OnCallStatsReportListener | undefined;
}
