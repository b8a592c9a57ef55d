// Test-only: what the official SDK would send for a call (its transport stubbed), next to what ours
// sends, so parity tests compare the two byte for byte.
import { vi } from 'vitest';
import OfficialConnectyCube from 'connectycube';
import type { ConnectyCube } from '../connectycube.js';
import { TEST_API, TEST_APP_ID, TEST_CHAT_DOMAIN, TEST_TOKEN, recordingClient } from './recording-client.js';

type OfficialParams = Parameters<typeof OfficialConnectyCube.service.buildRequestAndURL>[0];

/** A request as sent, and the mode its response is read in. */
export interface Wire {
  url: string;
  method: string;
  headers: Record<string, string> | undefined;
  body: string | undefined;
  mode: string | undefined;
}

/** Points the official SDK's shared config at the same test endpoints as `recordingClient`. */
export function initOfficial(): void {
  OfficialConnectyCube.init({ appId: TEST_APP_ID, token: TEST_TOKEN }, { endpoints: { api: 'unused.example', api_url: TEST_API, chat: TEST_CHAT_DOMAIN }, debug: { mode: 0 } });
}

/** Runs `call` on the official SDK's feature (picked by name) and returns the one request it would send. */
export async function officialWire<K extends keyof ConnectyCube>(feature: K, call: (service: ConnectyCube[K]) => Promise<unknown>): Promise<Wire> {
  let captured: OfficialParams | undefined;
  const ajax = vi.spyOn(OfficialConnectyCube.service, 'ajax').mockImplementation((params: OfficialParams) => {
    captured = params;
    return Promise.resolve({});
  });
  try {
    await call((OfficialConnectyCube as unknown as ConnectyCube)[feature]);
  } finally {
    ajax.mockRestore();
  }
  if (!captured) throw new Error('the official SDK sent nothing');
  const [request, url] = OfficialConnectyCube.service.buildRequestAndURL(captured);
  return {
    url,
    method: request.method,
    headers: request.headers as Record<string, string> | undefined,
    body: request.body as string | undefined,
    mode: (captured as { dataType?: string }).dataType ?? 'json',
  };
}

/** Runs `call` on @parley/sdk's feature and returns the one request it sent. */
export async function parleyWire<K extends keyof ConnectyCube>(feature: K, call: (service: ConnectyCube[K]) => Promise<unknown>): Promise<Wire> {
  const { cc, calls } = recordingClient();
  await call(cc[feature]);
  const sent = calls.at(-1);
  if (!sent || calls.length !== 1) throw new Error(`expected one request, got ${calls.length}`);
  return { url: sent.url, method: sent.method, headers: sent.headers, body: sent.body, mode: sent.readAs };
}
