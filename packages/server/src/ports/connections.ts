/** One live real-time connection of this node, as operators see it (admin API, `parley connections`). */
export interface ConnectionInfo {
  /** Random hex id of the connection (the stream id in logs). */
  id: string;
  appId: number;
  userId: number;
  resource: string;
  transport: 'websocket' | 'tcp';
  /** TLS in place on this hop (STARTTLS on TCP; wss behind a proxy counts as not secure here). */
  secure: boolean;
  remoteAddress: string;
  /** Sent initial presence (counts as online). */
  available: boolean;
  /** Waiting for an XEP-0198 resumption after its connection dropped. */
  detached: boolean;
}

export interface ConnectionFilter {
  appId?: number;
  userId?: number;
}

/**
 * The live connections of this node and the operator's way to end them. Implemented by the XMPP face;
 * a cluster adapter would ask every node.
 */
export interface ConnectionDirectory {
  list(filter?: ConnectionFilter): ConnectionInfo[];
  /** Ends the matching connections with a stream error (no resumption); returns how many. */
  kick(filter: ConnectionFilter & { id?: string }, reason: string): number;
}
