import { randomBytes } from 'node:crypto';
import { userJid } from '@parley/protocol';
import type { PrivacyService } from '../../domain/privacy/service.js';
import type { Logger } from '../../ops/logging.js';
import type { Bus, BusSubscription } from '../../ports/bus.js';
import type { ConnectionRevocation } from '../../ports/connection-revocation.js';
import type { OccupantsRemovedEvent } from '../../ports/live-events.js';
import type { SessionDirectory } from '../../ports/presence.js';
import type { RoomKey, RoomOccupancy, OccupancyChange } from '../modules/muc/occupancy.js';
import type { RemoteDelivery, RemoteSession, SessionRouter } from '../router.js';
import type { ClientSession } from '../session.js';
import type { ResumableSessions } from '../sm/resumable-sessions.js';
import { PreparedStanza } from './prepared-stanza.js';

export interface ClusterLinkDeps {
  bus: Bus;
  directory: SessionDirectory;
  router: SessionRouter;
  rooms: RoomOccupancy<ClientSession>;
  resumable: ResumableSessions;
  chatDomain: string;
  logger: Logger;
  /** The lease time: room snapshots are refreshed every third of it and lapse with it. */
  leaseMs: number;
  /** Ends this node's sessions resting on revoked credentials. */
  revokeLocal(event: ConnectionRevocation): Promise<number>;
  /** Takes this node's connections out of a room (a REST-started removal). */
  removeLocal(event: OccupantsRemovedEvent): number;
  /** A dead node's last connection of a user in a room is gone: tell this node's occupants it left. */
  remoteUserLeft(room: RoomKey, userId: number): void;
  /** Privacy lists: a change made on one node drops every node's cached copy before it is confirmed. */
  privacy: Pick<PrivacyService, 'onListsChanged' | 'forgetCached'>;
}

/** Node inbox: stanzas for connections of that node; answers to resumption hand-overs and to privacy changes. */
type InboxHint = { k: 'd'; c: string[]; s: string } | { k: 'ended'; t: string } | { k: 'forgot'; n: string; t: string };
/** The `cluster` subject: what every node must hear. */
type ClusterHint =
  | { k: 'revoke'; n: string; e: ConnectionRevocation }
  | { k: 'removed'; n: string; e: OccupantsRemovedEvent }
  | { k: 'privacy'; n: string; a: number; u: number; t: string }
  | { k: 'resume'; n: string; to: string; id: string; a: number; u: number; t: string }
  | { k: 'room'; n: string; j: 0 | 1; a: number; d: string; u: number; c: string; r: string; at: number };
/** A room snapshot entry: [appId, dialogId, userId, connectionId, resource]. */
type WireJoin = [number, string, number, string, string];
/** A node's room snapshot: its joins and when (its own clock) it was taken. */
interface RoomSnapshot {
  at: number;
  j: WireJoin[];
}
const joinKey = (node: string, room: RoomKey, connectionId: string) => `${node}/${room.appId}_${room.dialogId}/${connectionId}`;

const SUBJECT = 'cluster';
const roomsKey = (node: string) => `rooms.${node}`;
/** How long a failed resumption waits for the session's node to end it. */
const HANDOVER_TIMEOUT_MS = 3_000;
/**
 * How long a privacy list change waits for the other live nodes to drop their cached copy. A node that
 * does not answer in time is presumed dead (its leases lapse); were it alive, its copy still expires
 * with the privacy cache's TTL.
 */
const PRIVACY_ACK_TIMEOUT_MS = 2_000;

/**
 * This node's side of the cluster bus for the XMPP face: stanzas to other nodes' connections (one hint
 * per node and stanza, in order), stanzas from them, revocations and REST room removals every node
 * applies, the replica of other nodes' room occupants (hints plus a snapshot per node that lapses with
 * the node), and the hand-over of a session a client failed to resume elsewhere.
 */
export class ClusterLink implements RemoteDelivery {
  private readonly subscriptions: BusSubscription[] = [];
  private readonly waiting = new Map<string, () => void>();
  /** Per privacy change made here: the nodes that have not yet said they dropped their cached copy. */
  private readonly forgetting = new Map<string, { nodes: Set<string>; done: () => void }>();
  /** Nodes with entries in the room replica. */
  private readonly roomNodes = new Set<string>();
  /**
   * Per replica entry, the sender's clock of the hint that last joined or left it: a snapshot taken
   * before that hint neither removes a newer join nor brings back a newer leave.
   */
  private readonly hintedAt = new Map<string, { at: number; joined: boolean }>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly deps: ClusterLinkDeps) {}

  private get self(): string {
    return this.deps.bus.nodeId;
  }

  async start(): Promise<void> {
    const { bus, rooms } = this.deps;
    this.subscriptions.push(await bus.subscribeNode((payload) => this.onInbox(JSON.parse(payload) as InboxHint)));
    this.subscriptions.push(await bus.subscribeSubject(SUBJECT, (payload) => this.onCluster(JSON.parse(payload) as ClusterHint)));
    rooms.onChange((change) => this.roomChanged(change));
    this.deps.privacy.onListsChanged((appId, userId) => this.privacyChanged(appId, userId));
    await this.syncRooms().catch((error: unknown) => this.report(error));
    this.timer = setInterval(() => void this.syncRooms().catch((error: unknown) => this.report(error)), Math.max(50, Math.floor(this.deps.leaseMs / 3)));
    this.timer.unref();
  }

  /** Stops listening; `release` also drops this node's room snapshot (a graceful stop). */
  async stop(release: boolean): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    for (const subscription of this.subscriptions) await subscription.unsubscribe().catch(() => undefined);
    for (const resolve of this.waiting.values()) resolve();
    for (const { done } of this.forgetting.values()) done();
    if (release) await this.deps.bus.state.delete(roomsKey(this.self)).catch(() => undefined);
  }

  send(node: string, connectionIds: readonly string[], stanza: PreparedStanza): void {
    this.publishToNode(node, { k: 'd', c: [...connectionIds], s: stanza.text });
  }

  /** Every other node ends its sessions resting on the revoked credentials. */
  revoked(event: ConnectionRevocation): void {
    this.publishCluster({ k: 'revoke', n: this.self, e: event });
  }

  /** Every other node takes its connections out of the room. */
  occupantsRemoved(event: OccupantsRemovedEvent): void {
    this.publishCluster({ k: 'removed', n: this.self, e: event });
  }

  /**
   * A `<resume previd/>` this node does not hold: when the id names another live node, ask it to end the
   * session (its unacknowledged stanzas go to the offline queue) and wait for it, at most a few seconds.
   */
  async resumeFailed(previd: string, appId: number, userId: number): Promise<void> {
    const node = previd.slice(0, previd.indexOf('.'));
    if (this.stopped || node === '' || node === this.self || !this.deps.directory.liveNodes().includes(node)) return;
    const token = randomBytes(9).toString('base64url');
    const ended = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, HANDOVER_TIMEOUT_MS);
      timer.unref();
      this.waiting.set(token, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.publishCluster({ k: 'resume', n: this.self, to: node, id: previd, a: appId, u: userId, t: token });
    await ended;
    this.waiting.delete(token);
  }

  /**
   * A privacy list changed here: every other node drops its cached copy and says so; the change is
   * confirmed to its owner only after every live node answered (at most a couple of seconds), so a
   * confirmed block holds on every node.
   */
  async privacyChanged(appId: number, userId: number): Promise<void> {
    if (this.stopped) return;
    const token = randomBytes(9).toString('base64url');
    const nodes = new Set(this.deps.directory.liveNodes());
    const answered = new Promise<void>((resolve) => {
      if (nodes.size === 0) return resolve();
      const timer = setTimeout(resolve, PRIVACY_ACK_TIMEOUT_MS);
      timer.unref();
      this.forgetting.set(token, {
        nodes,
        done: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
    try {
      await this.deps.bus.publishToSubject(SUBJECT, JSON.stringify({ k: 'privacy', n: this.self, a: appId, u: userId, t: token } satisfies ClusterHint));
      await answered;
    } catch (error) {
      // The broker is away: no node hears the hint (nor, meanwhile, any stanza from this node); their
      // copies expire with the cache's TTL.
      this.report(error);
    } finally {
      this.forgetting.get(token)?.done();
      this.forgetting.delete(token);
    }
  }

  private onInbox(hint: InboxHint): void {
    if (hint.k === 'd') this.deps.router.deliverLocal(hint.c, PreparedStanza.fromText(hint.s));
    else if (hint.k === 'ended') this.waiting.get(hint.t)?.();
    else this.privacyForgotten(hint.t, hint.n);
  }

  private privacyForgotten(token: string, node: string): void {
    const pending = this.forgetting.get(token);
    if (!pending) return;
    pending.nodes.delete(node);
    if (pending.nodes.size === 0) pending.done();
  }

  private async onCluster(hint: ClusterHint): Promise<void> {
    if (hint.n === this.self) return;
    switch (hint.k) {
      case 'revoke':
        await this.deps.revokeLocal(hint.e);
        return;
      case 'removed':
        this.deps.removeLocal(hint.e);
        return;
      case 'privacy':
        this.deps.privacy.forgetCached(hint.a, hint.u);
        this.publishToNode(hint.n, { k: 'forgot', n: this.self, t: hint.t });
        return;
      case 'resume':
        if (hint.to !== this.self) return;
        await this.deps.resumable.endForResumeElsewhere(hint.id, hint.a, hint.u);
        this.publishToNode(hint.n, { k: 'ended', t: hint.t });
        return;
      case 'room': {
        const room = { appId: hint.a, dialogId: hint.d };
        this.hintedAt.set(joinKey(hint.n, room, hint.c), { at: hint.at, joined: hint.j === 1 });
        if (hint.j === 1) this.deps.rooms.remoteJoin(room, this.remoteSession(hint.n, [hint.a, hint.d, hint.u, hint.c, hint.r]));
        else this.deps.rooms.remoteLeave(room, hint.u, hint.n, hint.c);
        return;
      }
    }
  }

  private roomChanged(change: OccupancyChange<ClientSession>): void {
    const { room, userId, session, joined } = change;
    this.publishCluster({ k: 'room', n: this.self, j: joined ? 1 : 0, a: room.appId, d: room.dialogId, u: userId, c: session.id, r: session.resource, at: Date.now() });
  }

  /** Writes this node's room snapshot, then reconciles the replica with every live node's snapshot. */
  private async syncRooms(): Promise<void> {
    if (this.stopped) return;
    const { bus, rooms, leaseMs } = this.deps;
    const mine: RoomSnapshot = { at: Date.now(), j: [] };
    for (const { room, userId, session } of rooms.localJoins()) mine.j.push([room.appId, room.dialogId, userId, session.id, session.resource]);
    await bus.state.put(roomsKey(this.self), JSON.stringify(mine), leaseMs);
    const snapshots = await bus.state.list('rooms.');
    const nodes = new Set<string>();
    for (const [key, value] of snapshots) {
      const node = key.slice('rooms.'.length);
      if (node === this.self) continue;
      nodes.add(node);
      this.reconcile(node, JSON.parse(value) as RoomSnapshot);
    }
    // A node whose snapshot lapsed (it died) leaves every room; nobody else will say so, so every node
    // tells its own occupants about the users who are gone from the room with it.
    for (const node of [...this.roomNodes]) {
      if (nodes.has(node)) continue;
      this.roomNodes.delete(node);
      for (const { room, session } of rooms.remoteJoinsOf(node)) {
        rooms.remoteLeave(room, session.userId, node, session.id);
        if (!rooms.occupants(room).has(session.userId)) this.deps.remoteUserLeft(room, session.userId);
      }
      for (const key of [...this.hintedAt.keys()]) if (key.startsWith(`${node}/`)) this.hintedAt.delete(key);
    }
  }

  /** Makes the replica of one node's joins match its snapshot, except where a newer hint said otherwise. */
  private reconcile(node: string, snapshot: RoomSnapshot): void {
    const { rooms } = this.deps;
    const newer = (key: string) => {
      const hinted = this.hintedAt.get(key);
      if (hinted && hinted.at < snapshot.at) this.hintedAt.delete(key);
      return hinted !== undefined && hinted.at >= snapshot.at ? hinted : undefined;
    };
    const wanted = new Map<string, { room: RoomKey; join: WireJoin }>();
    for (const join of snapshot.j) {
      const room = { appId: join[0], dialogId: join[1] };
      wanted.set(joinKey(node, room, join[3]), { room, join });
    }
    for (const { room, session } of rooms.remoteJoinsOf(node)) {
      const key = joinKey(node, room, session.id);
      if (wanted.delete(key) || newer(key)?.joined) continue;
      rooms.remoteLeave(room, session.userId, node, session.id);
    }
    for (const [key, { room, join }] of wanted) if (newer(key)?.joined !== false) rooms.remoteJoin(room, this.remoteSession(node, join));
  }

  private remoteSession(node: string, [appId, , userId, id, resource]: WireJoin): RemoteSession {
    this.roomNodes.add(node);
    return {
      remote: true,
      available: true,
      closed: false,
      node,
      id,
      appId,
      userId,
      resource,
      carbons: false,
      inactive: false,
      jid: userJid(appId, userId, this.deps.chatDomain, resource || undefined),
    };
  }

  private publishToNode(node: string, hint: InboxHint): void {
    if (this.stopped) return;
    this.deps.bus.publishToNode(node, JSON.stringify(hint)).catch((error: unknown) => this.report(error));
  }

  private publishCluster(hint: ClusterHint): void {
    if (this.stopped) return;
    this.deps.bus.publishToSubject(SUBJECT, JSON.stringify(hint)).catch((error: unknown) => this.report(error));
  }

  private report(error: unknown): void {
    this.deps.logger.warn({ err: error }, 'cluster bus hint failed');
  }
}
