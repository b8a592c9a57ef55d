import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server } from 'node:http';
import { mucDomain, occupantJid } from '@parley/protocol';
import { sendToEach } from './delivery.js';
import { occupantPresence } from './modules/muc/presences.js';
import type { Logger } from '../ops/logging.js';
import type { ConnectionRevoker } from '../ports/connection-revocation.js';
import type { XmppObserver } from '../ops/xmpp-metrics.js';
import type { ConnectionDirectory } from '../ports/connections.js';
import type { LiveEvents } from '../ports/live-events.js';
import { routerConnectionDirectory } from './connection-directory.js';
import { ClientStream, type ClientStreamSettings } from './client-stream.js';
import { StanzaDispatcher } from './dispatcher.js';
import type { XmppModule, XmppModuleDeps } from './module.js';
import { routerLiveEvents } from './live-events.js';
import { Delivery } from './delivery.js';
import { allModules } from './modules/index.js';
import { RoomOccupancy } from './modules/muc/occupancy.js';
import { PreAuthConnections } from './pre-auth-connections.js';
import { revokeSessions } from './revocation.js';
import { removeFromRoom } from './modules/muc/removal.js';
import type { ConnectionRevocation } from '../ports/connection-revocation.js';
import type { OccupantsRemovedEvent } from '../ports/live-events.js';
import { LocalSessionRouter, type RemoteDelivery, type SessionRouter } from './router.js';
import { ClusterLink } from './cluster/link.js';
import type { Bus } from '../ports/bus.js';
import { ResumableSessions, type ParkingLimits } from './sm/resumable-sessions.js';
import type { ClientSession } from './session.js';
import type { XmppConnection } from './transport/connection.js';
import { upgradeClientAddress } from './transport/client-address.js';
import { listenTcpTransport, type TcpTransport } from './transport/tcp.js';
import { attachWebSocketTransport, type WebSocketTransport } from './transport/websocket.js';

export interface XmppFaceSettings extends ClientStreamSettings {
  /** WebSocket endpoint path on the HTTP server. */
  wsPath: string;
  /** WebSocket paths of other endpoints on the same HTTP server (not answered here). */
  otherWebSocketPaths?: readonly string[];
  /** TLS certificate/key file paths for STARTTLS on TCP ('' = no TLS). */
  tlsCertFile: string;
  tlsKeyFile: string;
  /** WebSocket client address from X-Forwarded-For (the HTTP face's `trustProxy`). */
  trustProxy?: boolean;
  /** XEP-0198: how long a dropped resumable session waits for its client. */
  resumeWindowMs: number;
  /** XEP-0198: most parked sessions per user, app and node (default: unbounded). */
  parking?: ParkingLimits;
  /** Most connections one client address may hold before logging in (default: unbounded). */
  maxPreAuthPerAddress?: number;
}

export interface XmppFaceDeps extends Omit<XmppModuleDeps, 'router' | 'domains' | 'rooms' | 'delivery'> {
  settings: XmppFaceSettings;
  /**
   * The cluster bus: stanzas for other nodes' connections cross it (start with `joinCluster()`).
   * Without it the face routes on this node only.
   */
  cluster?: { bus: Bus; leaseMs: number };
  logger: Logger;
  /** Client address of an upgrade request. Default: `upgradeClientAddress` with `settings.trustProxy`. */
  clientAddress?: (request: IncomingMessage) => string;
  /** Counts connections refused by `settings.maxPreAuthPerAddress` (a metric). */
  onPreAuthRefused?: () => void;
  /** Metrics and operator log lines of connections and stanzas. */
  observer?: XmppObserver;
  /** Replace the module list (tests). Default: `allModules`. */
  modules?: (deps: XmppModuleDeps) => XmppModule[];
}

export interface XmppFace {
  readonly router: SessionRouter;
  readonly modules: readonly XmppModule[];
  /** REST-started live events (system messages …) delivered through this node's router. */
  readonly live: LiveEvents;
  /** Ends this node's connections and parked sessions whose credentials were revoked. */
  readonly revoker: ConnectionRevoker;
  /** Serves XMPP over WebSocket at `settings.wsPath` of this HTTP server. */
  attachWebSocket(server: Server): void;
  /** Starts the TCP listener; resolves with the bound port. */
  listenTcp(host: string, port: number): Promise<number>;
  /** XEP-0198 sessions of this node, the parked ones included (limits, metrics, tests). */
  readonly resumable: ResumableSessions;
  /** Live connections of this node, for operators (admin API). */
  readonly connections: ConnectionDirectory;
  /** The bound TCP port, if listening. */
  readonly tcpPort: number | undefined;
  /** Starts listening to the cluster bus (no-op without `deps.cluster`). */
  joinCluster(): Promise<void>;
  /** Stops accepting, sends `system-shutdown` to every connection. */
  close(): Promise<void>;
  /**
   * Stops like a process that died (tests of node death): sockets dropped without a stream error,
   * parked sessions forgotten without being flushed to the offline queue.
   */
  abandon(): Promise<void>;
}

/** The XMPP face: transports, negotiation, the module dispatcher and the session router of this node. */
export function createXmppFace(deps: XmppFaceDeps): XmppFace {
  const { settings, logger } = deps;
  const { presence } = deps.services;
  let link: ClusterLink | undefined;
  const remote: RemoteDelivery = { send: (node, ids, stanza) => link?.send(node, ids, stanza) };
  const router = new LocalSessionRouter(deps.cluster ? { directory: presence, remote, chatDomain: settings.chatDomain } : undefined);
  presence.describeWith((connectionId) => {
    const session = router.byId(connectionId);
    return session && { resource: session.resource, carbons: session.carbons };
  });
  const domains = { chat: settings.chatDomain, muc: mucDomain(settings.chatDomain) };
  // Room occupancy is shared: modules route to rooms, REST-started removals empty them.
  const rooms = new RoomOccupancy<ClientSession>();
  const delivery = new Delivery({ router, rooms, chatDomain: settings.chatDomain, offline: deps.services.offline });
  const moduleDeps: XmppModuleDeps = { ...deps, router, domains, rooms, delivery };
  const modules = (deps.modules ?? allModules)(moduleDeps);
  const dispatcher = new StanzaDispatcher({ modules, router, domains, logger, clock: deps.clock });
  const streams = new Set<ClientStream>();
  // In a cluster a resumption id starts with the node's id, so another node knows whose session it is.
  const resumable = new ResumableSessions(settings.resumeWindowMs, settings.parking, deps.cluster ? `${deps.cluster.bus.nodeId}.` : '');
  const preAuth = new PreAuthConnections(settings.maxPreAuthPerAddress ?? Infinity);
  let serial = 0;
  let ws: WebSocketTransport | undefined;
  let tcp: TcpTransport | undefined;

  const accept = (connection: XmppConnection) => {
    const stream = new ClientStream(connection, {
      settings,
      dispatcher,
      router,
      modules,
      verifier: deps.services.sessions,
      logger,
      nextSerial: () => (serial += 1),
      resumable,
      ...(deps.observer ? { observer: deps.observer } : {}),
      onResumeFailed: async (previd, appId, userId) => link?.resumeFailed(previd, appId, userId),
      onCarbonsChanged: (session) => {
        if (session.available) void presence.detailsChanged(session.appId, session.userId, session.id);
      },
    });
    streams.add(stream);
    connection.onClose(() => {
      streams.delete(stream);
      preAuth.prune(connection.remoteAddress);
    });
    // Like ejabberd's and Prosody's per-address limits: one address cannot hold many connections open
    // without logging in (each costs a socket, a parser and a timer until the login timeout).
    if (!preAuth.admit(connection.remoteAddress, stream.session)) {
      deps.onPreAuthRefused?.();
      stream.session.streamError('policy-violation', 'too many connections from your address are not logged in');
    }
  };

  const revokeLocal = (event: ConnectionRevocation) => revokeSessions([...streams].map((stream) => stream.session), resumable, event);
  const live = routerLiveEvents({ router, rooms, delivery, chatDomain: settings.chatDomain, privacy: deps.services.privacy });
  const removeLocal = (event: OccupantsRemovedEvent) => removeFromRoom(router, rooms, { appId: event.appId, dialogId: event.dialogId }, settings.chatDomain, event.actorId, event.removed);
  if (deps.cluster) {
    link = new ClusterLink({ ...deps.cluster, directory: presence, router, rooms, resumable, chatDomain: settings.chatDomain, logger, revokeLocal, removeLocal, privacy: deps.services.privacy,
      remoteUserLeft: (room, userId) => {
        const from = occupantJid(room.appId, room.dialogId, userId, settings.chatDomain);
        sendToEach(router, [...rooms.localOccupants(room).values()].flatMap((sessions) => [...sessions]), occupantPresence({ from, to: '' }, { available: false, affiliation: 'member' }));
      },
    });
  }

  return {
    router,
    modules,
    resumable,
    revoker: {
      revoke(event) {
        link?.revoked(event);
        return revokeLocal(event);
      },
    },
    connections: routerConnectionDirectory(router, resumable),
    live: {
      ...live,
      async occupantsRemoved(event) {
        link?.occupantsRemoved(event);
        return live.occupantsRemoved(event);
      },
    },
    async joinCluster() {
      await link?.start();
    },
    get tcpPort() {
      return tcp?.port;
    },
    attachWebSocket(server) {
      ws = attachWebSocketTransport(server, {
        path: settings.wsPath,
        ...(settings.otherWebSocketPaths ? { otherPaths: settings.otherWebSocketPaths } : {}),
        // Room for several stanzas per frame; bigger frames are refused by the framing layer (close 1009).
        maxPayload: Math.max(4 * settings.limits.maxStanzaBytes, 1024 * 1024),
        clientAddress: deps.clientAddress ?? ((request) => upgradeClientAddress(request, settings.trustProxy ?? false)),
        onConnection: accept,
      });
    },
    async listenTcp(host, port) {
      const tlsFiles = settings.tlsCertFile !== '' && settings.tlsKeyFile !== '';
      tcp = await listenTcpTransport({
        host,
        port,
        ...(tlsFiles ? { tls: { cert: readFileSync(settings.tlsCertFile), key: readFileSync(settings.tlsKeyFile) } } : {}),
        onConnection: accept,
      });
      return tcp.port;
    },
    async close() {
      ws?.close();
      for (const stream of [...streams]) stream.shutdown();
      await resumable.expireAll();
      await tcp?.close();
      await link?.stop(true);
    },
    async abandon() {
      await link?.stop(false);
      ws?.close();
      for (const session of resumable.parkedSessions()) resumable.forget(session);
      for (const stream of [...streams]) stream.session.connection.destroy();
      await tcp?.close();
    },
  };
}
