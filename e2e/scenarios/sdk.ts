import OfficialConnectyCube from 'connectycube';
import { ConnectyCube as ParleyConnectyCube } from '@parley/sdk';
import { startServer, startTestS3, type TestDatabaseKind, type TestS3, type TestServer } from '@parley/testkit';
import type { ConfigKey } from '@parley/server/config';
import { afterAll, beforeAll } from 'vitest';
import { startNodes, type ClusterBus } from './two-nodes.js';

/**
 * The part of the ConnectyCube SDK API the scenarios use. Both the official `connectycube` package and
 * @parley/sdk satisfy it, so each scenario is written once and run against both.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- responses are checked field by field in tests */
export interface CubeLike {
  init(credentials: { appId: number; authKey?: string; token?: string }, config?: Record<string, unknown>): void;
  createSession(params?: Record<string, unknown>): Promise<any>;
  getSession(): Promise<any>;
  destroySession(): Promise<any>;
  setSession(session: Record<string, unknown>): void;
  login(params: Record<string, unknown>): Promise<any>;
  logout(): Promise<any>;
  users: {
    signup(user: Record<string, unknown>, authKey?: string): Promise<any>;
    getV2(params: Record<string, unknown>): Promise<any>;
    get(params: any): Promise<any>;
    update(user: Record<string, unknown>): Promise<any>;
    delete(): Promise<any>;
    resetPassword(email: string): Promise<any>;
    listOnline(params?: Record<string, unknown>): Promise<any>;
    getOnlineCount(): Promise<any>;
  };
  storage: {
    create(params: Record<string, unknown>): Promise<any>;
    createAndUpload(params: { name: string; file: any; type: string; size: number; public?: boolean }): Promise<any>;
    upload(params: { url: string; data: Record<string, unknown> }): Promise<any>;
    markUploaded(params: { id: number; size: number | string }): Promise<any>;
    getInfo(id: number | string): Promise<any>;
    getFile(uid: string): Promise<any>;
    getFileObject(uid: string, params: Record<string, unknown>): Promise<any>;
    update(params: { id: number; name: string }): Promise<any>;
    delete(id: number | string): Promise<any>;
    list(params?: Record<string, unknown>): Promise<any>;
    privateUrl(uid: string): string;
    publicUrl(uid: string): string;
  };
  data: {
    create(className: string, params?: Record<string, unknown> | Record<string, unknown>[]): Promise<any>;
    list(className: string, params?: Record<string, unknown> | string | string[]): Promise<any>;
    readPermissions(className: string, id: string): Promise<any>;
    update(className: string, params?: Record<string, unknown> | Record<string, unknown>[]): Promise<any>;
    delete(className: string, params: string | string[] | Record<string, unknown>): Promise<any>;
  };
  chat: {
    dialog: {
      list(params?: Record<string, unknown>): Promise<any>;
      create(params: Record<string, unknown>): Promise<any>;
      update(id: string, params: Record<string, unknown>): Promise<any>;
      delete(idOrIds: string | string[], params?: Record<string, unknown>): Promise<any>;
      clearHistory(id: string): Promise<any>;
      subscribe(id: string): Promise<any>;
      unsubscribe(id: string): Promise<any>;
      addAdmins(id: string, adminIds: number[]): Promise<any>;
      removeAdmins(id: string, adminIds: number[]): Promise<any>;
      updateNotificationsSettings(id: string, enabled: number | boolean): Promise<any>;
      getNotificationsSettings(id: string): Promise<any>;
      getPublicOccupants(id: string, params?: Record<string, unknown>): Promise<any>;
    };
    message: {
      list(params: Record<string, unknown>): Promise<any>;
      create(params: Record<string, unknown>): Promise<any>;
      update(id: string, params: Record<string, unknown>): Promise<any>;
      delete(ids: string | string[], params?: Record<string, unknown>): Promise<any>;
      unreadCount(params?: Record<string, unknown>): Promise<any>;
      listReactions(id: string): Promise<any>;
      addReaction(id: string, reaction: string): Promise<any>;
      removeReaction(id: string, reaction: string): Promise<any>;
      updateReaction(id: string, add?: string, remove?: string): Promise<any>;
      createSystem(params: Record<string, unknown>): Promise<any>;
    };
    search(params: Record<string, unknown>): Promise<any>;
    // Real time (realtime.md): listeners are assigned as properties, e.g. `chat.onMessageListener = fn`.
    isConnected: boolean;
    connect(params: { userId: number; password: string }): Promise<any>;
    disconnect(): Promise<any>;
    ping(): Promise<any>;
    send(to: string | number, message: Record<string, unknown>): string;
    sendSystemMessage(userId: number, message: Record<string, unknown>): string;
    sendIsTypingStatus(to: string | number): void;
    sendIsStopTypingStatus(to: string | number): void;
    sendDeliveredStatus(params: { messageId: string; userId: number; dialogId: string }): void;
    sendReadStatus(params: { messageId: string; userId: number; dialogId: string }): void;
    editMessage(params: { to: string | number; dialogId: string; body: string; originMessageId: string; last?: boolean; extension?: Record<string, unknown> }): void;
    deleteMessage(params: { to: string | number; dialogId: string; messageId: string }): void;
    getLastUserActivity(userIdOrJid: number | string): Promise<any>;
    subscribeToUserLastActivityStatus(userId: number): void;
    unsubscribeFromUserLastActivityStatus(userId: number): void;
    privacylist: {
      create(list: { name: string; items: { user_id: number; action: string; mutualBlock?: boolean }[] }): Promise<any>;
      getList(name: string): Promise<any>;
      update(list: { name: string; items: { user_id: number; action: string; mutualBlock?: boolean }[] }): Promise<any>;
      getNames(): Promise<any>;
      delete(name: string): Promise<any>;
      setAsDefault(name: string | null): Promise<any>;
    };
    muc: {
      join(dialogIdOrJid: string): Promise<any>;
      leave(dialogIdOrJid: string): Promise<any>;
      listOnlineUsers(dialogIdOrJid: string): Promise<any>;
    };
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export interface SdkFlavour {
  name: string;
  /** A fresh SDK instance (the official SDK shares its config between instances: init before each use). */
  create(): CubeLike;
}

export const officialSdk: SdkFlavour = {
  name: 'official connectycube 6.1.2',
  create: () => new (OfficialConnectyCube as unknown as { ConnectyCube: new () => CubeLike }).ConnectyCube(),
};

export const parleySdk: SdkFlavour = {
  name: '@parley/sdk',
  create: () => new ParleyConnectyCube() as unknown as CubeLike,
};

/** `ConnectyCube.init` pointed at a Parley server: the only change an existing app makes. */
export function initAgainst(cube: CubeLike, url: string, app: { id: number; authKey: string }, extra: Record<string, unknown> = {}): CubeLike {
  // `on` is reset explicitly: the official SDK keeps one config for all instances, so an earlier
  // test's sessionExpired handler would otherwise stay installed.
  cube.init({ appId: app.id, authKey: app.authKey }, { endpoints: { api_url: url, chat: 'localhost' }, debug: { mode: 0 }, on: { sessionExpired: undefined }, ...extra });
  return cube;
}

/** Awaits a rejected SDK call and returns its `{code, info}`. */
export async function rejection(promise: Promise<unknown>): Promise<{ code: number; info: unknown }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: number; info: unknown };
  }
  throw new Error('expected the call to be rejected');
}

/** Where a scenario file runs: one node on a database, or two nodes on PostgreSQL sharing a bus. */
export type ScenarioTarget = TestDatabaseKind | ClusterTarget;
export type ClusterTarget = `2 nodes + ${ClusterBus}`;

/** The cluster target of a bus (the label the suites print). */
export const clusterOn = (bus: ClusterBus): ClusterTarget => `2 nodes + ${bus}`;

const busOf = (target: ScenarioTarget): ClusterBus | undefined => (target === 'sqlite' || target === 'postgres' ? undefined : target === clusterOn('nats') ? 'nats' : 'redis');

/**
 * One face over the nodes a scenario runs on: the address in front of them (REST goes to either node),
 * the first node's app, store and services (they share the database), and the actions that must reach
 * every node (dropping a user's chat connections).
 */
function facade(nodes: TestServer[], frontUrl: string | undefined): TestServer {
  const first = nodes[0];
  if (!first) throw new Error('no node');
  if (nodes.length === 1 || frontUrl === undefined) return first;
  return {
    ...first,
    url: frontUrl,
    closeChatConnections: (userId, appId) => nodes.reduce((sum, node) => sum + node.closeChatConnections(userId, appId), 0),
  };
}

export interface ScenarioServerOptions {
  /** Option values for every node, read when the server starts (so they may come from an earlier `beforeAll`). */
  config?: () => Partial<Record<ConfigKey, string>>;
}

/**
 * The server a scenario file runs against (started before, stopped after its tests), with a clock the
 * tests can move instead of sleeping, unique names, and SDK instances pointed at it.
 * On a cluster target REST goes through a round-robin front (each connection to the next node) and
 * each `nextNode()` (the chat WebSocket of the next SDK instance) takes the next node in turn, so the
 * people of a scenario are spread over the nodes: the scenarios themselves do not change.
 * `PARLEY_TEST_BLOBS=s3` (by hand) keeps its files in a local S3-compatible server (s3rver) instead of on disk.
 */
export function scenarioServer(sdk: SdkFlavour, target: ScenarioTarget, options: ScenarioServerOptions = {}) {
  let nodes: TestServer[] = [];
  let frontUrl: string | undefined;
  let stopNodes: (() => Promise<void>) | undefined;
  let s3: TestS3 | undefined;
  let offsetMs = 0;
  let serial = 0;
  let turn = 0;
  beforeAll(async () => {
    const clock = () => Date.now() + offsetMs;
    const bus = busOf(target);
    const config = options.config?.() ?? {};
    if (bus) {
      const cluster = await startNodes({ bus, clock, config });
      nodes = cluster.nodes;
      frontUrl = cluster.frontUrl;
      stopNodes = cluster.stop;
      return;
    }
    if (process.env['PARLEY_TEST_BLOBS'] === 's3') s3 = await startTestS3();
    const server = await startServer({ db: target as TestDatabaseKind, clock, config: { ...config, ...s3?.serverConfig } });
    nodes = [server];
    stopNodes = () => server.stop();
  });
  afterAll(async () => {
    await stopNodes?.();
    await s3?.stop();
  });
  const running = (): TestServer[] => {
    if (nodes.length === 0) throw new Error('the scenario server has not started');
    return nodes;
  };
  const nextNode = (): TestServer => {
    const all = running();
    const node = all[turn % all.length] as TestServer;
    turn += 1;
    return node;
  };
  return {
    /** The server (on two nodes: the front's URL, and the first node's app, store and services, which are the cluster's). */
    get server() {
      return facade(running(), frontUrl);
    },
    /** Every node (one on a single-node target). */
    get nodes() {
      return running();
    },
    /** The node the next person's chat goes to (always the same one on a single-node target). */
    nextNode,
    /** Moves the server's clock forward (or back, with a negative value). */
    moveClock(ms: number): void {
      offsetMs += ms;
    },
    unique: (prefix: string) => `${prefix}${Date.now().toString(36)}${(serial += 1)}`,
    connect: () => {
      const server = facade(running(), frontUrl);
      return initAgainst(sdk.create(), server.url, server.app);
    },
  };
}
