import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { loadConfig, startTurnRelay } from '@parley/server';
import { startServer, type StartServerOptions, type TestServer } from '@parley/testkit';
import { launchChromium, OFFICIAL_SDK_ROUTES, startStaticServer, type StaticServer } from '@parley/testkit/browser';
import { bundleParleySdk } from './sdk-bundle.js';
import { freeTurnPorts } from './turn-ports.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export type SdkKind = 'official' | 'parley';

export interface CallUser {
  page: Page;
  id: number;
  login: string;
  kind: SdkKind;
}

export interface VideochatOptions {
  answerTimeInterval?: number;
  dialingTimeInterval?: number;
  alwaysRelayCalls?: boolean;
  disconnectTimeInterval?: number;
  statsReportTimeInterval?: number;
}

const page = (scripts: string[]) => `<!doctype html><html><head><meta charset="utf-8"><title>call</title></head><body>${scripts.map((src) => `<script src="${src}"></script>`).join('')}</body></html>`;

/**
 * One Parley server, one static server (test pages, the official SDK bundle, webrtc-adapter, the
 * @parley/sdk bundle) and one Chromium for a test file; each user is a page in its own browser context.
 */
export class CallFixture {
  server!: TestServer;
  statics!: StaticServer;
  browser!: Browser;
  private contexts: BrowserContext[] = [];
  private serial = 0;

  async start(options: StartServerOptions & { parleySdk?: boolean } = {}): Promise<void> {
    this.server = await startServer(options);
    const routes = {
      ...OFFICIAL_SDK_ROUTES,
      '/call-driver.js': { content: await readFile(path.join(HERE, 'call-driver.js'), 'utf8'), type: 'text/javascript' },
      '/official.html': { content: page(['/vendor/adapter.js', '/vendor/connectycube.min.js', '/call-driver.js']) },
      '/parley.html': { content: page(['/vendor/adapter.js', '/parley-sdk.js', '/call-driver.js']) },
    };
    this.statics = await startStaticServer(routes);
    if (options.parleySdk) this.statics.set('/parley-sdk.js', { content: await bundleParleySdk(), type: 'text/javascript' });
    this.browser = await launchChromium();
  }

  /** A new user signed in and connected to chat in a fresh page of `kind`'s SDK. */
  async user(kind: SdkKind, videochat: VideochatOptions = {}): Promise<CallUser> {
    const created = await this.newAccount();
    return this.open(kind, created, videochat);
  }

  async newAccount(): Promise<{ id: number; login: string; password: string }> {
    const login = `call${Date.now().toString(36)}${(this.serial += 1)}`;
    const user = await this.server.server.services.users.signup(this.server.app.id, { login, password: 'secret-pwd' });
    return { id: user.id, login, password: 'secret-pwd' };
  }

  async open(kind: SdkKind, account: { id: number; login: string; password: string }, videochat: VideochatOptions = {}): Promise<CallUser> {
    const context = await this.browser.newContext();
    this.contexts.push(context);
    const tab = await context.newPage();
    tab.on('pageerror', (error) => process.stderr.write(`[${kind} ${account.login}] page error: ${error.message}\n`));
    await tab.goto(`${this.statics.url}/${kind}.html`);
    const { url, wsUrl, chatDomain, app } = this.server;
    await tab.evaluate((options) => window.T.init(options), { sdk: kind, apiUrl: url, wsUrl, chatDomain, appId: app.id, authKey: app.authKey, videochat });
    const id = await tab.evaluate(([login, password]) => window.T.login(login, password), [account.login, account.password] as const);
    expect(id).toBe(account.id);
    return { page: tab, id, login: account.login, kind };
  }

  /** Closes every page opened so far (between tests). */
  async closePages(): Promise<void> {
    const contexts = this.contexts;
    this.contexts = [];
    await Promise.all(contexts.map((context) => context.close().catch(() => undefined)));
  }

  async stop(): Promise<void> {
    await this.closePages();
    await this.browser?.close().catch(() => undefined);
    await this.statics?.close();
    await this.server?.stop();
  }
}

/**
 * A CallFixture for the whole test file, on a server whose TURN is a managed coturn on free loopback
 * ports (relaying to loopback peers): started before the first test, pages closed after each, all
 * stopped after the last.
 */
export function useCallFixtureWithTurn(options: { parleySdk?: boolean } = {}): CallFixture {
  const fixture = new CallFixture();
  let stopTurn: () => Promise<void> = async () => {};
  beforeAll(async () => {
    const ports = await freeTurnPorts();
    const config = loadConfig({ turn: 'managed', turnPort: String(ports.port), turnRelayMinPort: String(ports.relayMin), turnRelayMaxPort: String(ports.relayMax), dataDir: ports.dir, logLevel: 'silent' }, {});
    const relay = await startTurnRelay(config, undefined, { allowLoopbackPeers: true });
    stopTurn = relay.stop;
    await fixture.start({ ...options, overrides: { turn: relay.turn } });
  });
  afterEach(async () => {
    await fixture.closePages();
  });
  afterAll(async () => {
    await fixture.stop();
    await stopTurn();
  });
  return fixture;
}

/** Waits until the page recorded event `name` (from `userId`, when given). */
export async function waitEvent(user: CallUser, name: string, userId?: number, timeoutMs = 15_000): Promise<void> {
  await user.page.waitForFunction(([n, u]) => window.T.has(n, u ?? undefined), [name, userId ?? null] as const, { timeout: timeoutMs, polling: 100 });
}

/** Asserts media from `from` reaches `to`: inbound bytes grow over ~3 s on the expected candidate type. */
export async function expectMediaFlow(to: CallUser, from: CallUser, candidateType: 'host' | 'relay'): Promise<void> {
  // The selected pair exists once ICE connected; wait for the first bytes before measuring growth.
  await to.page.waitForFunction(async (id) => (await window.T.stats(id)).bytesReceived > 0, from.id, { timeout: 15_000, polling: 200 });
  const flow = await to.page.evaluate((id) => window.T.flow(id, 3000), from.id);
  expect(flow.after, `${to.login} receives from ${from.login}`).toBeGreaterThan(flow.before);
  expect(flow.candidateType).toBe(candidateType);
}

declare global {
  interface Window {
    T: {
      init(options: Record<string, unknown>): void;
      login(login: string, password: string): Promise<number>;
      useServerTurn(apiUrl: string): Promise<{ iceServers: unknown[]; username: string }>;
      call(opponents: number[], options?: { audioOnly?: boolean; extension?: Record<string, unknown>; additional?: Record<string, unknown> }): Promise<string>;
      accept(extension?: Record<string, unknown>): Promise<void>;
      reject(extension?: Record<string, unknown>): void;
      stop(extension?: Record<string, unknown>): void;
      rejectOverRest(sessionID: string, recipientId: number): Promise<unknown>;
      has(name: string, userId?: number): boolean;
      mute(kind: string): void;
      unmute(kind: string): void;
      setMaxBandwidth(kbps: number): Promise<void>;
      update(extension: Record<string, unknown>): void;
      switchCamera(): Promise<number>;
      shareScreen(): Promise<string[]>;
      iceRestart(userId: number): Promise<{ restarted: boolean; before?: string; after?: string }>;
      sender(userId: number, kind: string): { trackId: string; enabled: boolean; label: string; maxBitrate?: number } | undefined;
      stats(userId: number): Promise<{ bytesReceived: number; candidateType?: string }>;
      flow(userId: number, ms: number): Promise<{ before: number; after: number; candidateType?: string; remoteCandidateType?: string }>;
      events: { name: string; at: number; userId?: number; sessionId?: string; extension?: Record<string, unknown> }[];
      autoReject?: boolean;
      autoAccept?: boolean;
      session?: unknown;
    };
  }
}
