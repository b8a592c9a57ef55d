// Enumerations of `ConnectyCube.videochat`, with the official SDK's values.

export enum CallType {
  VIDEO = 1,
  AUDIO = 2,
}

/** `onSessionConnectionStateChangedListener` states (`videochat.SessionConnectionState`). */
export enum SessionConnectionState {
  UNDEFINED = 0,
  CONNECTING = 1,
  CONNECTED = 2,
  FAILED = 3,
  DISCONNECTED = 4,
  CLOSED = 5,
  COMPLETED = 6,
}

/** `session.state` (`videochat.CallSessionState`). */
export enum CallSessionState {
  NEW = 1,
  ACTIVE = 2,
  STOPPED = 3,
  REJECTED = 4,
  CLOSED = 5,
}

/** `connectionStateForUser(userId)`. */
export enum PeerConnectionState {
  NEW = 1,
  CONNECTING = 2,
  CHECKING = 3,
  CONNECTED = 4,
  DISCONNECTED = 5,
  FAILED = 6,
  CLOSED = 7,
  COMPLETED = 8,
}

export enum MediaType {
  AUDIO = 'audio',
  VIDEO = 'video',
  NONE = 'none',
}

/** `extraParams/signalType` values (realtime.md §12.1); `update` is the docs' own, ignored by the official SDK. */
export enum CallSignalType {
  CALL = 'call',
  ACCEPT = 'accept',
  REJECT = 'reject',
  STOP = 'hangUp',
  CANDIDATE = 'iceCandidates',
  RESTART = 'iceRestart',
  RESTART_ACCEPT = 'iceRestartAccept',
  UPDATE = 'update',
}

export const CALL_MODULE_IDENTIFIER = 'WebRTCVideoChat';
