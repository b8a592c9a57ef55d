// Listener and option types of `videochatconference`, named as in the official SDK's docs.
import type { ConferenceSession } from './conference-session.js';

export type OnParticipantJoinedListener = (session: ConferenceSession, userId: number, userDisplayName: string, isExistingParticipant: boolean) => void;
export type OnParticipantLeftListener = (session: ConferenceSession, userId: number) => void;
export type OnConferenceRemoteStreamListener = (session: ConferenceSession, userId: number, stream: MediaStream) => void;
export type OnRemoteTracksUpdatedListener = (session: ConferenceSession, userId: number, track: MediaStreamTrack, eventType: 'added' | 'removed') => void;
export type OnSlowLinkListener = (session: ConferenceSession, userId: number | undefined, uplink: boolean, nacks: number) => void;
export type OnRemoteConnectionStateChangedListener = (session: ConferenceSession, userId: number, iceState: RTCIceConnectionState) => void;
export type OnConferenceSessionConnectionStateChangedListener = (session: ConferenceSession, iceState: RTCIceConnectionState) => void;
export type OnErrorListener = (session: ConferenceSession, error: unknown) => void;

/** The listeners an app assigns on `ConnectyCube.videochatconference`; sessions created later use them. */
export interface ConferenceListeners {
  onParticipantJoinedListener?: OnParticipantJoinedListener | undefined;
  onParticipantLeftListener?: OnParticipantLeftListener | undefined;
  onRemoteStreamListener?: OnConferenceRemoteStreamListener | undefined;
  onRemoteTracksUpdatedListener?: OnRemoteTracksUpdatedListener | undefined;
  onSlowLinkListener?: OnSlowLinkListener | undefined;
  onRemoteConnectionStateChangedListener?: OnRemoteConnectionStateChangedListener | undefined;
  onSessionConnectionStateChangedListener?: OnConferenceSessionConnectionStateChangedListener | undefined;
  onErrorListener?: OnErrorListener | undefined;
}

export interface ConferenceParticipant {
  id: number;
  display?: string;
  publisher: boolean;
  talking?: boolean;
}

export interface AttachMediaStreamOptions {
  muted?: boolean;
  mirror?: boolean;
}
