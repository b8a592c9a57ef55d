/**
 * Who is online: users with at least one live real-time connection. The XMPP face reports
 * connections; REST reads the directory. Guarantees: a user counts as online from `connected` until
 * their last `disconnected`; the local adapter sees one node, a cluster adapter all nodes.
 */
export interface PresenceDirectory {
  connected(appId: number, userId: number, connectionId: string): Promise<void>;
  disconnected(appId: number, userId: number, connectionId: string): Promise<void>;
  /** Online user ids of the application, ascending, windowed. */
  onlineUserIds(appId: number, limit: number, offset: number): Promise<number[]>;
  onlineCount(appId: number): Promise<number>;
  /** Whether the user has at least one live connection. */
  isOnline(appId: number, userId: number): Promise<boolean>;
  /** Client state of one live connection (XEP-0352 / Tigase mobile v2); unknown connections are ignored. */
  setInactive(appId: number, userId: number, connectionId: string, inactive: boolean): Promise<void>;
  /** Those of `userIds` with at least one live connection that is not inactive. */
  activeUserIds(appId: number, userIds: number[]): Promise<Set<number>>;
}
