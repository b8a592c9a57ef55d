/** Who is asking: what every domain call takes instead of a request or a socket. */
export interface Actor {
  appId: number;
  /** null for an application session. */
  userId: number | null;
  sessionId: number;
  resource?: string;
}

/** Milliseconds since the epoch; injected so tests can move time. */
export type Clock = () => number;
