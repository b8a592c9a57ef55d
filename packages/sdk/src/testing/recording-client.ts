// Test-only: a client instance wired to a fake fetch, with a user session token and chat endpoints.
import { ConnectyCube } from '../connectycube.js';
import { fakeFetch } from './fake-fetch.js';
import type { FakeReply, RecordedCall } from './fake-fetch.js';

export const TEST_API = 'http://127.0.0.1:8080';
export const TEST_APP_ID = 7;
export const TEST_TOKEN = 'TOK';
export const TEST_CHAT_DOMAIN = 'chat.example.com';

/** Headers of a request with a JSON body (POST, PUT), and of one without (GET, DELETE). */
export const JSON_HEADERS = { 'Content-Type': 'application/json;charset=utf-8', 'CB-SDK': 'JS 6.1.2 - Client', 'CB-Token': TEST_TOKEN };
export const FORM_HEADERS = { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8', 'CB-SDK': 'JS 6.1.2 - Client', 'CB-Token': TEST_TOKEN };

export interface SentRequest extends RecordedCall {
  /** The URL without the API base, e.g. `/chat/Dialog.json?`. */
  path: string;
}

/** By default every call is answered `200 {}`, which both response modes can read. */
export function recordingClient(reply: (call: RecordedCall, index: number) => FakeReply = () => ({ text: '{}' })) {
  const fake = fakeFetch(reply);
  const cc = new ConnectyCube({ fetch: fake.fetch });
  cc.init({ appId: TEST_APP_ID, token: TEST_TOKEN }, { endpoints: { api_url: TEST_API, chat: TEST_CHAT_DOMAIN } });
  const last = (): SentRequest => {
    const call = fake.calls.at(-1);
    if (!call) throw new Error('no request sent');
    return { ...call, path: call.url.slice(TEST_API.length) };
  };
  return { cc, calls: fake.calls, last };
}

/** What a test compares: the request as sent, and the mode its response was read in. */
export function wire(call: SentRequest): Pick<SentRequest, 'method' | 'path' | 'headers' | 'body' | 'readAs'> {
  return { method: call.method, path: call.path, headers: call.headers, body: call.body, readAs: call.readAs };
}
