/**
 * The SFU port: the media server that forwards conference media (Janus videoroom), seen from the
 * conference domain.
 *
 * Guarantees every adapter gives:
 * - `ensureRoom` is idempotent: a room that exists already counts as created (its settings stay);
 * - `destroyRoom` of a missing room is not an error;
 * - rooms are keyed by the meeting id string; participant ids are the user ids as decimal strings;
 * - `relay` describes where client traffic (the Janus JSON API over WebSocket) goes, so the gateway
 *   can forward the SDK's frames; the secret it holds is added by the gateway, never sent to clients.
 */

export interface SfuRoomSpec {
  room: string;
  description: string;
  /** Most publishers at once. */
  publishers: number;
  /** Record every publisher (to `recordingDir`). */
  record: boolean;
}

export interface SfuParticipant {
  id: string;
  display: string | undefined;
  publisher: boolean;
}

/** Where and how to open the per-client connection to the media server's client API. */
export interface SfuRelayTarget {
  url: string;
  subprotocol: string;
  /** Added to every relayed request; '' = none. */
  apiSecret: string;
}

export interface Sfu {
  readonly relay: SfuRelayTarget;
  /** Folder where a room's recordings are written (the media server must be able to write there). */
  recordingDir(room: string): string;
  ensureRoom(spec: SfuRoomSpec): Promise<void>;
  destroyRoom(room: string): Promise<void>;
  setRecording(room: string, record: boolean): Promise<void>;
  participants(room: string): Promise<SfuParticipant[]>;
  /** Removes a participant (e.g. an older publisher of the same user); missing ones are ignored. */
  kick(room: string, participantId: string): Promise<void>;
  close(): Promise<void>;
}
