/**
 * Who is online: users with at least one live real-time connection. The XMPP face reports
 * connections; REST reads the directory. Guarantees: a user counts as online from `connected` until
 * their last `disconnected`; the local adapter sees one node, a cluster adapter all nodes (another
 * node's connections within the lease time: a node that dies takes its users offline when its leases
 * lapse).
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

/** What other nodes need to address one of this node's connections. */
export interface ConnectionDetails {
  resource: string;
  /** XEP-0280 carbons enabled. */
  carbons: boolean;
}

/** An available connection held by another node of the cluster, as its lease describes it. */
export interface RemoteConnection extends ConnectionDetails {
  node: string;
  /** The connection id on its node. */
  id: string;
  appId: number;
  userId: number;
  inactive: boolean;
}

/** A user came online or went offline cluster-wide; `remote` when another node (or its lapsed lease) caused it. */
export type OnlineChangeListener = (appId: number, userId: number, online: boolean, remote: boolean) => void;

/**
 * The cluster side of presence, read synchronously by the router (so routing never waits for the
 * broker): a replica of the other nodes' leases, kept by their hints and re-read every lease period.
 * On one node it is empty.
 */
export interface SessionDirectory {
  /** This node's id. */
  readonly nodeId: string;
  /** Available connections of the user on other nodes (a replica: at most one lease period stale). */
  remoteConnections(appId: number, userId: number): readonly RemoteConnection[];
  /** Other nodes whose heartbeat is live. */
  liveNodes(): readonly string[];
  /** Where the resource and carbons flag of this node's connections are read (the XMPP router). */
  describeWith(lookup: (connectionId: string) => ConnectionDetails | undefined): void;
  /** The resource or carbons flag of a connected connection changed: tell the other nodes. */
  detailsChanged(appId: number, userId: number, connectionId: string): Promise<void>;
  onOnlineChange(listener: OnlineChangeListener): void;
  /** Stops the lease refresh; `release` drops this node's leases (a graceful stop), else they lapse. */
  stop(release: boolean): Promise<void>;
}

/** Presence of a node that may be part of a cluster. */
export type ClusterPresence = PresenceDirectory & SessionDirectory;
