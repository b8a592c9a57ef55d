import { startPushReceivers, type PushReceivers } from '@parley/testkit';
import { afterAll, beforeAll } from 'vitest';
import { initAgainst, scenarioServer, type CubeLike, type ScenarioTarget, type SdkFlavour } from './sdk.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- SDK responses are checked field by field */

export const ADMIN_TOKEN = 'push-admin-token-0123456789';
export const PASSWORD = 'password123';

/** The push part of both SDKs. */
export interface PushApi {
  subscriptions: { create(params: any): Promise<any>; list(): Promise<any>; delete(id: number | string): Promise<any> };
  events: { create(event: any): Promise<any> };
  base64Encode(text: string, urlSafe?: boolean): string;
}
export type PushCube = CubeLike & { pushnotifications: PushApi; addressbook: { uploadAddressBook(contacts: any, params?: any): Promise<any> }; chat: CubeLike['chat'] & { markInactive(): void; markActive(): void } };

export interface Person {
  cube: PushCube;
  id: number;
  login: string;
}

/**
 * A server whose push providers are the local receivers (trusted through PARLEY_PUSH_CA_FILE, web
 * endpoints on loopback allowed), with the admin API on, and helpers for people and settings. On two
 * nodes every node pushes to the same receivers, and people are spread over the nodes as in any scenario.
 */
export function pushServer(sdk: SdkFlavour, target: ScenarioTarget) {
  let receivers: PushReceivers | undefined;
  // The receivers start first (the server's config names their CA and origin) and close last.
  beforeAll(async () => {
    receivers = await startPushReceivers();
  });
  afterAll(async () => {
    await receivers?.close();
  });
  const scenario = scenarioServer(sdk, target, {
    config: () => {
      if (!receivers) throw new Error('the push receivers have not started');
      return {
        adminToken: ADMIN_TOKEN,
        pushAllowPrivateEndpoints: 'true',
        pushCaFile: receivers.caFile,
        pushFcmUrl: receivers.origin,
        pushApnsUrl: receivers.origin,
        pushApnsSandboxUrl: receivers.origin,
        pushRetryBaseMs: '50',
      };
    },
  });
  const running = () => {
    if (!receivers) throw new Error('the push receivers have not started');
    return { server: scenario.server, receivers };
  };
  const { unique } = scenario;

  function cube(app = running().server.app): PushCube {
    const { url } = running().server;
    return initAgainst(sdk.create(), url, app, {
      endpoints: { api_url: url, chat: 'localhost', chat_url: `${url.replace(/^http/, 'ws')}/ws` },
      chat: { streamManagement: { enable: true } },
    }) as PushCube;
  }

  async function person(prefix: string, app = running().server.app): Promise<Person> {
    const own = cube(app);
    const login = unique(prefix);
    const session = await own.createSession({ login, password: PASSWORD });
    return { cube: own, id: session.user_id as number, login };
  }

  async function admin(method: 'GET' | 'PUT', body?: unknown, appId = running().server.app.id, token = ADMIN_TOKEN): Promise<{ status: number; body: any }> {
    const response = await fetch(`${running().server.url}/admin/apps/${appId}/push`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
  }

  /** Gives the app FCM and APNs credentials made by the receivers, and returns the VAPID public key. */
  async function configureProviders(appId = running().server.app.id): Promise<{ vapidKey: string; bundleId: string }> {
    const { receivers: local } = running();
    const apns = local.apnsKey();
    const answer = await admin('PUT', { fcm: { service_account: local.fcmServiceAccount() }, apns }, appId);
    if (answer.status !== 200) throw new Error(`push settings refused: ${JSON.stringify(answer.body)}`);
    return { vapidKey: answer.body.vapid.public_key as string, bundleId: apns.bundle_id };
  }

  /** A web subscription of `who` to a fresh receiver endpoint (keys made as a browser would). */
  async function subscribeWeb(who: Person, udid = unique('browser-')): Promise<{ subscription: any; endpointId: string }> {
    const browser = running().receivers.browserSubscription();
    const [subscription] = await who.cube.pushnotifications.subscriptions.create({
      notification_channel: 'web',
      push_token: { environment: 'production', web_endpoint: browser.endpoint, web_auth: browser.keys.auth, web_p256dh: browser.keys.p256dh },
      device: { platform: 'web', udid },
    });
    return { subscription, endpointId: browser.id };
  }

  async function subscribeDevice(who: Person, channel: 'apns' | 'apns_voip' | 'gcm', token: string, environment = 'development', udid = unique('device-')): Promise<any> {
    const [subscription] = await who.cube.pushnotifications.subscriptions.create({
      notification_channel: channel,
      push_token: { environment, client_identification_sequence: token },
      device: { platform: channel === 'gcm' ? 'android' : 'ios', udid },
    });
    return subscription;
  }

  /** Everything any node had to push so far is queued, and every queued push has been answered. */
  async function quiet(): Promise<void> {
    const nodes = scenario.nodes.map((node) => node.server);
    for (const node of nodes) await node.services.push.settled();
    // One queue in the shared database: any node delivers what is due.
    const [first] = nodes;
    if (!first) return;
    while ((await first.store.push.pendingCount()) > 0) {
      if ((await first.pushDelivery.deliverDue()) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  return {
    get server() {
      return running().server;
    },
    get receivers() {
      return running().receivers;
    },
    unique,
    cube,
    person,
    admin,
    configureProviders,
    subscribeWeb,
    subscribeDevice,
    quiet,
  };
}
