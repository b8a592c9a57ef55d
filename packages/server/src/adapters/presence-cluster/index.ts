import type { Bus, BusSubscription } from '../../ports/bus.js';
import type { ClusterPresence, ConnectionDetails, OnlineChangeListener, RemoteConnection } from '../../ports/presence.js';

export interface ClusterPresenceOptions {
  /** How long another node trusts this node's leases without a refresh (PARLEY_CLUSTER_LEASE). */
  leaseMs: number;
  /** Broker trouble while writing leases or hints (logged; presence on this node goes on). */
  onError?: (error: unknown) => void;
  /** Time source of the replica's bookkeeping. */
  now?: () => number;
}

/** One connection in a lease: [id, resource, carbons, inactive]. */
type WireConnection = [string, string, 0 | 1, 0 | 1];
/** A lease value and a presence hint: the whole state of one user on one node. */
interface UserOnNode {
  c: WireConnection[];
}
interface PresenceHint extends UserOnNode {
  n: string;
  a: number;
  u: number;
}
interface ByeHint {
  n: string;
  bye: 1;
}
/** A node that just started: the others count it live at once, not at their next re-read. */
interface HelloHint {
  n: string;
  hello: 1;
}

interface Connection extends ConnectionDetails {
  inactive: boolean;
}
interface Entry {
  connections: Map<string, Connection>;
  /** When a hint or a lease read last set it (a lease read older than that does not remove it). */
  seenAt: number;
}

const SUBJECT = 'presence';
const leaseKey = (appId: number, userId: number, node: string) => `lease.${appId}.${userId}.${node}`;
const nodeKey = (node: string) => `node.${node}`;

/**
 * Presence for one node or many, on the bus port: this node's connections in memory (authoritative),
 * each user's connections on this node as one lease (`lease.<app>.<user>.<node>`, refreshed every
 * third of the lease time) and as a hint on the `presence` subject when they change; the other nodes'
 * leases as a replica kept by those hints and re-read from the cluster state every refresh. A node that
 * dies stops refreshing: its leases lapse and the next re-read drops its users.
 */
export async function createClusterPresence(bus: Bus, options: ClusterPresenceOptions): Promise<ClusterPresence> {
  const self = bus.nodeId;
  const now = options.now ?? Date.now;
  const report = (error: unknown) => options.onError?.(error);
  /** app → user → node → entry; this node's entries are the truth, the others a replica. */
  const apps = new Map<number, Map<number, Map<string, Entry>>>();
  let nodes = new Set<string>();
  const listeners: OnlineChangeListener[] = [];
  let lookup: (connectionId: string) => ConnectionDetails | undefined = () => undefined;
  /** Per user, the lease writes and hints of this node in order. */
  const writes = new Map<string, Promise<void>>();
  let stopped = false;

  const usersOf = (appId: number, create: boolean) => {
    let users = apps.get(appId);
    if (!users && create) apps.set(appId, (users = new Map()));
    return users;
  };
  const nodesOf = (appId: number, userId: number) => apps.get(appId)?.get(userId);
  const isOnlineNow = (appId: number, userId: number) => {
    for (const entry of nodesOf(appId, userId)?.values() ?? []) if (entry.connections.size > 0) return true;
    return false;
  };

  /** Replaces one user's entry on one node and tells the listeners when the user's online state flipped. */
  function setEntry(appId: number, userId: number, node: string, connections: Map<string, Connection> | undefined, seenAt: number): void {
    const before = isOnlineNow(appId, userId);
    const users = usersOf(appId, connections !== undefined && connections.size > 0);
    if (!users) return;
    let byNode = users.get(userId);
    if (connections && connections.size > 0) {
      if (!byNode) users.set(userId, (byNode = new Map()));
      byNode.set(node, { connections, seenAt });
    } else if (byNode) {
      byNode.delete(node);
      if (byNode.size === 0) users.delete(userId);
      if (users.size === 0) apps.delete(appId);
    }
    const after = isOnlineNow(appId, userId);
    if (before !== after) for (const listener of listeners) listener(appId, userId, after, node !== self);
  }

  const decode = (wire: WireConnection[]) =>
    new Map(wire.map(([id, resource, carbons, inactive]) => [id, { resource, carbons: carbons === 1, inactive: inactive === 1 }] as const));

  function encode(entry: Entry | undefined): UserOnNode {
    const c: WireConnection[] = [];
    for (const [id, connection] of entry?.connections ?? []) c.push([id, connection.resource, connection.carbons ? 1 : 0, connection.inactive ? 1 : 0]);
    return { c };
  }

  /** Writes this node's lease of the user and the hint, after the previous write of that user. */
  function publish(appId: number, userId: number): Promise<void> {
    const key = `${appId}.${userId}`;
    const previous = writes.get(key) ?? Promise.resolve();
    const next = previous.then(async () => {
      if (stopped) return;
      const value = encode(nodesOf(appId, userId)?.get(self));
      try {
        if (value.c.length > 0) await bus.state.put(leaseKey(appId, userId, self), JSON.stringify(value), options.leaseMs);
        else await bus.state.delete(leaseKey(appId, userId, self));
        await bus.publishToSubject(SUBJECT, JSON.stringify({ n: self, a: appId, u: userId, ...value } satisfies PresenceHint));
      } catch (error) {
        report(error);
      }
    });
    writes.set(key, next);
    void next.then(() => writes.get(key) === next && writes.delete(key));
    return next;
  }

  function localConnections(appId: number, userId: number): Map<string, Connection> {
    return new Map(nodesOf(appId, userId)?.get(self)?.connections ?? []);
  }

  function onHint(payload: string): void {
    const hint = JSON.parse(payload) as PresenceHint | ByeHint | HelloHint;
    if (hint.n === self) return;
    if ('bye' in hint) return dropNode(hint.n);
    nodes.add(hint.n);
    if ('hello' in hint) return;
    setEntry(hint.a, hint.u, hint.n, decode(hint.c), now());
  }

  function dropNode(node: string): void {
    nodes.delete(node);
    for (const [appId, users] of [...apps]) for (const [userId, byNode] of [...users]) if (byNode.has(node)) setEntry(appId, userId, node, undefined, now());
  }

  async function forgetPreviousLife(): Promise<void> {
    for (const key of (await bus.state.list('lease.', 1_000_000)).keys()) if (key.endsWith(`.${self}`)) await bus.state.delete(key);
  }

  /** Refreshes this node's heartbeat and leases, then re-reads everyone's. */
  async function refresh(): Promise<void> {
    const startedAt = now();
    await bus.state.put(nodeKey(self), String(startedAt), options.leaseMs);
    for (const [appId, users] of apps) {
      for (const [userId, byNode] of users) {
        const mine = byNode.get(self);
        if (mine) await bus.state.put(leaseKey(appId, userId, self), JSON.stringify(encode(mine)), options.leaseMs);
      }
    }
    const liveNodes = new Set([...(await bus.state.list('node.')).keys()].map((key) => key.slice('node.'.length)).filter((node) => node !== self));
    const leases = await bus.state.list('lease.', 1_000_000);
    const seen = new Set<string>();
    for (const [key, value] of leases) {
      const [, app, user, node] = key.split('.');
      if (node === undefined || node === self || !liveNodes.has(node)) continue;
      const appId = Number(app);
      const userId = Number(user);
      seen.add(`${appId}.${userId}.${node}`);
      const current = nodesOf(appId, userId)?.get(node);
      // A hint newer than this read wins.
      if (current && current.seenAt > startedAt) continue;
      setEntry(appId, userId, node, decode((JSON.parse(value) as UserOnNode).c), startedAt);
    }
    for (const [appId, users] of [...apps]) {
      for (const [userId, byNode] of [...users]) {
        for (const [node, entry] of [...byNode]) {
          if (node === self || seen.has(`${appId}.${userId}.${node}`) || entry.seenAt > startedAt) continue;
          setEntry(appId, userId, node, undefined, startedAt);
        }
      }
    }
    nodes = liveNodes;
  }

  const subscription: BusSubscription = await bus.subscribeSubject(SUBJECT, onHint);
  // A node restarted under the same id: the leases of its previous life name nobody connected now.
  await forgetPreviousLife().catch(report);
  await refresh().catch(report);
  // Its heartbeat key is written: nodes that re-read before the hello arrives see it too.
  await bus.publishToSubject(SUBJECT, JSON.stringify({ n: self, hello: 1 } satisfies HelloHint)).catch(report);
  let refreshing = false;
  const timer = setInterval(() => {
    if (refreshing || stopped) return;
    refreshing = true;
    refresh()
      .catch(report)
      .finally(() => (refreshing = false));
  }, Math.max(50, Math.floor(options.leaseMs / 3)));
  timer.unref();

  return {
    nodeId: self,
    async connected(appId, userId, connectionId) {
      const connections = localConnections(appId, userId);
      const details = lookup(connectionId) ?? { resource: '', carbons: false };
      connections.set(connectionId, { ...details, inactive: connections.get(connectionId)?.inactive ?? false });
      setEntry(appId, userId, self, connections, now());
      await publish(appId, userId);
    },
    async disconnected(appId, userId, connectionId) {
      const connections = localConnections(appId, userId);
      if (!connections.delete(connectionId)) return;
      setEntry(appId, userId, self, connections, now());
      await publish(appId, userId);
    },
    async onlineUserIds(appId, limit, offset) {
      const ids = [...(apps.get(appId)?.keys() ?? [])].sort((a, b) => a - b);
      return ids.slice(offset, offset + limit);
    },
    async onlineCount(appId) {
      return apps.get(appId)?.size ?? 0;
    },
    async isOnline(appId, userId) {
      return isOnlineNow(appId, userId);
    },
    async setInactive(appId, userId, connectionId, inactive) {
      const connections = localConnections(appId, userId);
      const connection = connections.get(connectionId);
      if (!connection || connection.inactive === inactive) return;
      connections.set(connectionId, { ...connection, inactive });
      setEntry(appId, userId, self, connections, now());
      await publish(appId, userId);
    },
    async activeUserIds(appId, userIds) {
      const active = new Set<number>();
      for (const userId of userIds) {
        for (const entry of nodesOf(appId, userId)?.values() ?? []) {
          if ([...entry.connections.values()].some((connection) => !connection.inactive)) active.add(userId);
        }
      }
      return active;
    },
    remoteConnections(appId, userId) {
      const byNode = nodesOf(appId, userId);
      if (!byNode || (byNode.size === 1 && byNode.has(self))) return [];
      const found: RemoteConnection[] = [];
      for (const [node, entry] of byNode) {
        if (node === self) continue;
        for (const [id, connection] of entry.connections) found.push({ node, id, appId, userId, ...connection });
      }
      return found;
    },
    liveNodes: () => [...nodes],
    describeWith(next) {
      lookup = next;
    },
    async detailsChanged(appId, userId, connectionId) {
      const connections = localConnections(appId, userId);
      const connection = connections.get(connectionId);
      const details = lookup(connectionId);
      if (!connection || !details || (details.resource === connection.resource && details.carbons === connection.carbons)) return;
      connections.set(connectionId, { ...connection, ...details });
      setEntry(appId, userId, self, connections, now());
      await publish(appId, userId);
    },
    onOnlineChange(listener) {
      listeners.push(listener);
    },
    async stop(release) {
      if (stopped) return;
      clearInterval(timer);
      await Promise.all([...writes.values()]);
      stopped = true;
      await subscription.unsubscribe().catch(report);
      if (!release) return;
      try {
        for (const [appId, users] of apps) for (const [userId, byNode] of users) if (byNode.has(self)) await bus.state.delete(leaseKey(appId, userId, self));
        await bus.state.delete(nodeKey(self));
        await bus.publishToSubject(SUBJECT, JSON.stringify({ n: self, bye: 1 } satisfies ByeHint));
      } catch (error) {
        report(error);
      }
    },
  };
}
