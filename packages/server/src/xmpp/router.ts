import { userJid } from '@parley/protocol';
import type { Element } from '@xmpp/xml';
import type { RemoteConnection, SessionDirectory } from '../ports/presence.js';
import { PreparedStanza } from './cluster/prepared-stanza.js';
import type { ClientSession } from './session.js';

export interface DeliveryOptions {
  /** Only sessions that sent initial presence (default true: realtime.md §6.1). */
  onlyAvailable?: boolean;
  /** Skip this session (e.g. the sender's own connection). */
  except?: ClientSession;
}

/** The common path's filters, which other nodes can apply too. */
export interface UserDeliveryOptions extends DeliveryOptions {
  /** Only the connection bound to this resource (a full JID). */
  resource?: string;
  /** Only connections that enabled XEP-0280 carbons. */
  carbonsOnly?: boolean;
}

/**
 * An available connection of another node, as the cluster's presence leases describe it. Routing
 * treats it like a local session: the stanza crosses the bus to its node, which stamps `to` and sends.
 */
export interface RemoteSession extends RemoteConnection {
  readonly remote: true;
  readonly jid: string;
  readonly available: true;
  readonly closed: false;
}

/** A recipient connection: on this node or on another. */
export type SessionView = ClientSession | RemoteSession;

export const isRemote = (session: SessionView): session is RemoteSession => 'remote' in session && session.remote === true;

/** Sends stanzas to connections of other nodes (the cluster link over the bus). */
export interface RemoteDelivery {
  /** One hint per node and stanza; the bus keeps the order of one publisher's hints to one node. */
  send(node: string, connectionIds: readonly string[], stanza: PreparedStanza): void;
}

/**
 * The sessions connected to this node and delivery to them and, in a cluster, to other nodes' sessions.
 * A stanza for many connections is serialised once; each connection gets the same bytes with its JID
 * spliced in as `to`, and the same text crosses the bus once per other node.
 */
export interface SessionRouter {
  register(session: ClientSession): void;
  unregister(session: ClientSession): void;
  /** Bound sessions of a user on this node, in connection order. */
  sessionsOf(appId: number, userId: number): readonly ClientSession[];
  /** Available connections of a user on other nodes (empty on a single node). */
  remoteSessionsOf(appId: number, userId: number): readonly RemoteSession[];
  sessionByResource(appId: number, userId: number, resource: string): ClientSession | undefined;
  /** A bound session of this node by connection id. */
  byId(connectionId: string): ClientSession | undefined;
  /**
   * Sends `build(session)` to each session of the user, on this node and on others (undefined skips
   * that session), with `to` stamped to the recipient's full JID. When `build` returns the same element
   * for several sessions it is serialised once. Returns how many sessions got it (a remote one counts
   * when its hint was sent). Prefer `deliver` when every session gets the same stanza.
   */
  toUser(appId: number, userId: number, build: (session: SessionView) => Element | undefined, options?: DeliveryOptions): number;
  /**
   * The common path: one stanza to the user's matching sessions on every node, serialised once. A
   * function is called only when some session matches (a carbon is built only for someone).
   */
  deliver(appId: number, userId: number, stanza: Element | (() => Element), options?: UserDeliveryOptions): number;
  /** One stanza to each of these sessions (local or remote, e.g. a room's audience), serialised once. */
  toEach(sessions: Iterable<SessionView>, stanza: Element, except?: (session: SessionView) => boolean): number;
  /** Sends the element as is to one session (a remote one gets its JID as `to`); false when it is closed. */
  toSession(session: SessionView, element: Element): boolean;
  /** A stanza from another node for these connections of this node; returns how many got it. */
  deliverLocal(connectionIds: readonly string[], stanza: PreparedStanza): number;
  /** Every bound session on this node (shutdown, metrics). */
  all(): Iterable<ClientSession>;
  readonly size: number;
}

export interface ClusterRouting {
  directory: SessionDirectory;
  remote: RemoteDelivery;
  chatDomain: string;
}

/** Groups remote recipients by node, sends one hint per node. */
class RemoteBatch {
  private readonly byNode = new Map<string, string[]>();
  count = 0;

  add(session: RemoteSession): void {
    const ids = this.byNode.get(session.node);
    if (ids) ids.push(session.id);
    else this.byNode.set(session.node, [session.id]);
    this.count += 1;
  }

  flush(remote: RemoteDelivery | undefined, stanza: PreparedStanza): void {
    for (const [node, ids] of this.byNode) remote?.send(node, ids, stanza);
  }
}

/**
 * The session router of one node: a map lookup for local sessions and, given `cluster`, the other
 * nodes' available connections from the presence replica (read synchronously: routing never waits for
 * the broker). On one node the remote part is empty and nothing is serialised for the bus.
 */
export class LocalSessionRouter implements SessionRouter {
  private readonly users = new Map<string, ClientSession[]>();
  private readonly ids = new Map<string, ClientSession>();
  private count = 0;

  constructor(private readonly cluster?: ClusterRouting) {}

  register(session: ClientSession): void {
    const key = userKey(session.appId, session.userId);
    const list = this.users.get(key) ?? [];
    if (list.includes(session)) return;
    list.push(session);
    this.users.set(key, list);
    this.ids.set(session.id, session);
    this.count += 1;
  }

  unregister(session: ClientSession): void {
    if (!session.authenticated) return;
    const key = userKey(session.appId, session.userId);
    const list = this.users.get(key);
    const index = list?.indexOf(session) ?? -1;
    if (!list || index < 0) return;
    list.splice(index, 1);
    if (list.length === 0) this.users.delete(key);
    if (this.ids.get(session.id) === session) this.ids.delete(session.id);
    this.count -= 1;
  }

  sessionsOf(appId: number, userId: number): readonly ClientSession[] {
    return this.users.get(userKey(appId, userId)) ?? [];
  }

  remoteSessionsOf(appId: number, userId: number): readonly RemoteSession[] {
    if (!this.cluster) return [];
    const found = this.cluster.directory.remoteConnections(appId, userId);
    if (found.length === 0) return [];
    const { chatDomain } = this.cluster;
    return found.map((connection) => ({
      ...connection,
      remote: true as const,
      available: true as const,
      closed: false as const,
      jid: userJid(connection.appId, connection.userId, chatDomain, connection.resource || undefined),
    }));
  }

  sessionByResource(appId: number, userId: number, resource: string): ClientSession | undefined {
    return this.sessionsOf(appId, userId).find((s) => s.resource === resource);
  }

  byId(connectionId: string): ClientSession | undefined {
    return this.ids.get(connectionId);
  }

  toUser(appId: number, userId: number, build: (session: SessionView) => Element | undefined, options: DeliveryOptions = {}): number {
    const onlyAvailable = options.onlyAvailable ?? true;
    let delivered = 0;
    let last: { element: Element; prepared: PreparedStanza } | undefined;
    const prepare = (element: Element) => {
      if (last?.element !== element) last = { element, prepared: PreparedStanza.of(element) };
      return last.prepared;
    };
    for (const session of [...this.sessionsOf(appId, userId)]) {
      if (session === options.except || session.closed || (onlyAvailable && !session.available)) continue;
      const element = build(session);
      if (!element) continue;
      if (session.sendPrepared(prepare(element))) delivered += 1;
    }
    const remote = this.remoteSessionsOf(appId, userId);
    if (remote.length === 0) return delivered;
    const batches = new Map<Element, RemoteBatch>();
    for (const session of remote) {
      const element = build(session);
      if (!element) continue;
      let batch = batches.get(element);
      if (!batch) batches.set(element, (batch = new RemoteBatch()));
      batch.add(session);
    }
    for (const [element, batch] of batches) {
      batch.flush(this.cluster?.remote, prepare(element));
      delivered += batch.count;
    }
    return delivered;
  }

  deliver(appId: number, userId: number, stanza: Element | (() => Element), options: UserDeliveryOptions = {}): number {
    const onlyAvailable = options.onlyAvailable ?? true;
    const matches = (session: SessionView) =>
      (options.resource === undefined || session.resource === options.resource) && (!options.carbonsOnly || session.carbons);
    const targets: SessionView[] = [];
    for (const session of this.sessionsOf(appId, userId)) {
      if (session === options.except || session.closed || (onlyAvailable && !session.available) || !matches(session)) continue;
      targets.push(session);
    }
    for (const session of this.remoteSessionsOf(appId, userId)) if (matches(session)) targets.push(session);
    if (targets.length === 0) return 0;
    return this.toEach(targets, typeof stanza === 'function' ? stanza() : stanza);
  }

  toEach(sessions: Iterable<SessionView>, stanza: Element, except?: (session: SessionView) => boolean): number {
    let prepared: PreparedStanza | undefined;
    let delivered = 0;
    const batch = new RemoteBatch();
    for (const session of sessions) {
      if (session.closed || except?.(session)) continue;
      if (isRemote(session)) {
        batch.add(session);
        continue;
      }
      prepared ??= PreparedStanza.of(stanza);
      if (session.sendPrepared(prepared)) delivered += 1;
    }
    if (batch.count > 0) {
      prepared ??= PreparedStanza.of(stanza);
      batch.flush(this.cluster?.remote, prepared);
    }
    return delivered + batch.count;
  }

  toSession(session: SessionView, element: Element): boolean {
    if (!isRemote(session)) return session.send(element);
    this.cluster?.remote.send(session.node, [session.id], PreparedStanza.of(element));
    return this.cluster !== undefined;
  }

  deliverLocal(connectionIds: readonly string[], stanza: PreparedStanza): number {
    let delivered = 0;
    for (const id of connectionIds) {
      const session = this.ids.get(id);
      if (session && !session.closed && session.sendPrepared(stanza)) delivered += 1;
    }
    return delivered;
  }

  *all(): Iterable<ClientSession> {
    for (const list of [...this.users.values()]) yield* [...list];
  }

  get size(): number {
    return this.count;
  }
}

const userKey = (appId: number, userId: number) => `${appId}:${userId}`;
