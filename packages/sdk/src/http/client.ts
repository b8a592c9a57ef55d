// The transport: sends ApiRequests with fetch, reads the body in the endpoint's mode, rejects
// with `{code, info}`, and runs the `on.sessionExpired` renew-and-retry flow (rest.md §1.4–1.5).
// Uses only the global fetch API, so it runs unchanged in Node 20 and browsers.
import type { Session } from '../auth/types.js';
import type { SdkConfig, SessionExpiredListener } from '../config.js';
import { debugLog } from '../log.js';
import { NO_BODY, apiError, failWith, isSessionMissing, networkError, parseErrorText } from './errors.js';
import { buildRequest } from './request.js';
import { apiBase } from './url.js';
import type { ApiError, ApiRequest, FetchLike, FetchResponseLike } from './types.js';

/** What the transport needs from its owner; read on every call, so `init` can swap them. */
export interface TransportContext {
  config(): SdkConfig;
  readonly session: {
    readonly token: string | undefined;
    set(session: Partial<Session>): void;
  };
}

/** Marker for "the 2xx body could not be read in the expected mode". */
const UNREADABLE = Symbol('unreadable');

export class HttpClient {
  private requestCount = 0;

  constructor(private readonly context: TransportContext) {}

  async request<T>(request: ApiRequest): Promise<T> {
    const config = this.context.config();
    const session = this.context.session;
    const requestId = ++this.requestCount;
    const { url, init } = buildRequest(request, apiBase(config.endpoints), session.token);
    debugLog(config.debug, `[Request][${requestId}]`, `${init.method} ${url}`, request.data ?? '');

    const response = await this.send(url, init, config);
    const mode = request.responseMode ?? 'json';
    const body = await readBody(response, mode);
    debugLog(config.debug, `[Response][${requestId}]`, response.status, body === UNREADABLE ? NO_BODY : body);

    if (response.ok) {
      // A JSON endpoint answering with an empty or non-JSON body is a failure, as in the official SDK.
      if (body === UNREADABLE) failWith(apiError(response.status, NO_BODY));
      return body as T;
    }

    const info = body === UNREADABLE ? NO_BODY : mode === 'text' ? parseErrorText(body as string) : body;
    const error = apiError(response.status, info);
    const listener = config.on.sessionExpired;
    // `/session` errors never start the renew loop (renewing *is* a /session call).
    const touchesSession = url.includes('session') || (response.url ?? '').includes('session');

    if (listener && !touchesSession && isSessionMissing(error)) {
      return this.renewAndRetry<T>(request, error, listener);
    }
    return failWith(error);
  }

  private async send(url: string, init: RequestInit, config: SdkConfig): Promise<FetchResponseLike> {
    // Call through a local so `fetch` is never invoked as a method (browsers throw "Illegal invocation").
    const fetchFn: FetchLike = config.fetch ?? globalThis.fetch;
    const requestInit: RequestInit = config.timeout ? { ...init, signal: AbortSignal.timeout(config.timeout) } : init;
    try {
      return await fetchFn(url, requestInit);
    } catch (cause) {
      return failWith(networkError(cause));
    }
  }

  /**
   * Hands the app `handleResponse` (give up: reject with the original error) and `retry(session)`
   * (store the new session and re-send the same request with its token). Whichever is called
   * first decides; the app's listener may also be async.
   */
  private async renewAndRetry<T>(request: ApiRequest, error: ApiError, listener: SessionExpiredListener): Promise<T> {
    const renewed = await new Promise<Partial<Session> | null>((settle) => {
      const handleResponse = (): void => settle(null);
      // Without a session there is nothing to retry with; fail instead of hanging forever.
      const retry = (session: Partial<Session>): void => settle(session || null);
      try {
        const outcome = listener(handleResponse, retry);
        // A listener whose own renewal fails must not leave the call pending.
        if (outcome instanceof Promise) outcome.catch(() => settle(null));
      } catch {
        settle(null);
      }
    });

    if (!renewed) return failWith(error);
    this.context.session.set(renewed);
    return this.request<T>(request);
  }
}

async function readBody(response: FetchResponseLike, mode: 'json' | 'text'): Promise<unknown> {
  try {
    return mode === 'text' ? await response.text() : await response.json();
  } catch {
    return UNREADABLE;
  }
}
