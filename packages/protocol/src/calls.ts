/** P2P call signalling (realtime.md §12) and TURN credentials (rest.md §10), shared by the server and tests. */

/** `extraParams/moduleIdentifier` of every call signal. */
export const CALL_MODULE_IDENTIFIER = 'WebRTCVideoChat';

/** The signal types Parley routes: the SDK's seven plus the docs' `update` (realtime.md §12.1). */
export const CALL_SIGNAL_TYPES = ['call', 'accept', 'reject', 'hangUp', 'iceCandidates', 'iceRestart', 'iceRestartAccept', 'update'] as const;
export type CallSignalType = (typeof CALL_SIGNAL_TYPES)[number];

export function isCallSignalType(value: string): value is CallSignalType {
  return (CALL_SIGNAL_TYPES as readonly string[]).includes(value);
}

/** Signals that carry an SDP offer or answer. */
export const SDP_SIGNAL_TYPES: readonly CallSignalType[] = ['call', 'accept', 'iceRestart', 'iceRestartAccept'];

/** Longest `sessionID` accepted (the SDK sends a 36-character UUID). */
export const MAX_CALL_SESSION_ID_LENGTH = 128;

/**
 * `GET /calls/turn_credentials.json`: the TURN REST convention (username `expiry:userId`, password
 * base64(HMAC-SHA1(secret, username))), plus `iceServers` ready for `RTCPeerConnection` and for the
 * official SDK's `videochat.iceServers`. Empty lists when the server has no TURN.
 */
export interface TurnCredentialsWire {
  username: string;
  password: string;
  /** Seconds the credentials stay valid. */
  ttl: number;
  uris: string[];
  iceServers: { urls: string[]; username?: string; credential?: string }[];
}
