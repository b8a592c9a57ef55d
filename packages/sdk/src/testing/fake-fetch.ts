// Test-only fetch double: records every call and answers from a handler. Not exported by index.ts.
import type { FetchLike } from '../http/types.js';

export interface RecordedCall {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  /** How the SDK read the response (its response mode); unset until it reads the body. */
  readAs?: 'json' | 'text';
}

export type FakeReply = { status?: number; body?: unknown; text?: string };

export interface FakeFetch {
  fetch: FetchLike;
  calls: RecordedCall[];
}

/** `reply` gets each call and returns JSON (`body`) or raw `text`; default status 200. */
export function fakeFetch(reply: (call: RecordedCall, index: number) => FakeReply = () => ({ body: {} })): FakeFetch {
  const calls: RecordedCall[] = [];
  const fetch: FetchLike = (url, init) => {
    const call: RecordedCall = {
      url,
      method: init.method ?? 'GET',
      headers: { ...(init.headers as Record<string, string>) },
      body: init.body as string | undefined,
    };
    calls.push(call);
    const { status = 200, body, text } = reply(call, calls.length - 1);
    const payload = text ?? (body === undefined ? '' : JSON.stringify(body));
    const response = new Response(payload === '' && (status === 204 || status === 304) ? null : payload, {
      status,
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
    });
    // Record which reader the SDK picks: that is the endpoint's response mode.
    return Promise.resolve({
      ok: response.ok,
      status: response.status,
      url: response.url,
      text: () => {
        call.readAs = 'text';
        return response.text();
      },
      json: () => {
        call.readAs = 'json';
        return response.json();
      },
    });
  };
  return { fetch, calls };
}

/** A queue of replies, one per call, for multi-step flows. */
export function replies(...queue: FakeReply[]): (call: RecordedCall, index: number) => FakeReply {
  return (_call, index) => queue[index] ?? { status: 500, body: { errors: ['no more fake replies'] } };
}
