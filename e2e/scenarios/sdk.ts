import OfficialConnectyCube from 'connectycube';
import { ConnectyCube as ParleyConnectyCube } from '@parley/sdk';
import { startServer, type TestDatabaseKind, type TestServer } from '@parley/testkit';
import { afterAll, beforeAll } from 'vitest';

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
    };
    search(params: Record<string, unknown>): Promise<any>;
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

/**
 * The server a scenario file runs against (started before, stopped after its tests), with a clock the
 * tests can move instead of sleeping, unique names, and SDK instances pointed at it.
 */
export function scenarioServer(sdk: SdkFlavour, db: TestDatabaseKind) {
  let server: TestServer | undefined;
  let offsetMs = 0;
  let serial = 0;
  beforeAll(async () => {
    server = await startServer({ db, clock: () => Date.now() + offsetMs });
  });
  afterAll(() => server?.stop());
  const running = (): TestServer => {
    if (!server) throw new Error('the scenario server has not started');
    return server;
  };
  return {
    get server() {
      return running();
    },
    /** Moves the server's clock forward (or back, with a negative value). */
    moveClock(ms: number): void {
      offsetMs += ms;
    },
    unique: (prefix: string) => `${prefix}${Date.now().toString(36)}${(serial += 1)}`,
    connect: () => initAgainst(sdk.create(), running().url, running().app),
  };
}
