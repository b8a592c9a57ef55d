// Per-instance configuration: what `init(credentials, config)` accepts and what the SDK keeps.
// Mirrors the official SDK's option names so apps can switch by changing only `endpoints`.
import type { Session } from './auth/types.js';
import type { ChatInitConfig } from './chat/realtime/config.js';
import type { FetchLike } from './http/types.js';

export interface Credentials {
  appId: number | string;
  /** Needed to create sessions and to sign up without a session. */
  authKey?: string;
  /** Accepted for compatibility with SDK v3 apps; the 6.x protocol does not sign requests. */
  authSecret?: string;
  /** Start from an existing session token instead of creating one. */
  token?: string;
}

/** Settles the failed request with its original error. */
export type SessionHandleResponse = () => void;
/** Re-sends the failed request with the given (new) session's token. */
export type SessionRetry = (session: Partial<Session>) => void;
export type SessionExpiredListener = (handleResponse: SessionHandleResponse, retry: SessionRetry) => void | Promise<void>;

export interface Listeners {
  /** Called when a request fails with 401 "Required session does not exist" (not for /session). */
  sessionExpired?: SessionExpiredListener | undefined;
  /** Kept for the chat module (traffic accounting hooks of the official SDK). */
  xmppDataWrite?: ((size: number, data?: unknown) => unknown) | undefined;
  xmppDataRead?: ((size: number, data?: unknown) => unknown) | undefined;
}

export interface Endpoints {
  /** API host; requests go to `https://<api>` unless `api_url` is set. */
  api: string;
  /** Full API base used verbatim, e.g. `http://127.0.0.1:8080` (no trailing slash). */
  api_url?: string | undefined;
  /** Chat (XMPP) domain. */
  chat: string;
  /** Full chat WebSocket URL; defaults to `wss://<chat>:5291` for the chat module. */
  chat_url?: string | undefined;
  /** Multi-user-chat domain, derived as `muc.<chat>`. */
  muc: string;
}

/** Sections later feature modules read; kept as given so apps can pass them today. */
type FeatureSection = Record<string, unknown>;

/** The second argument of `init`. Every key is optional. */
export interface InitConfig {
  endpoints?: Partial<Omit<Endpoints, 'muc'>>;
  on?: Listeners;
  /** `1` (or `true`) logs every request and response with `console.log`. */
  debug?: { mode: number | boolean };
  /** Milliseconds before a request is abandoned; 0/null means no limit. */
  timeout?: number | null;
  /** Replaces the global `fetch` (tests, custom agents, old runtimes). */
  fetch?: FetchLike;
  /** Real-time chat: `streamManagement`, `reconnect`, and `websocket` (the WebSocket class for Node 20). */
  chat?: ChatInitConfig & FeatureSection;
  chatProtocol?: FeatureSection;
  videochat?: FeatureSection;
  conference?: FeatureSection;
  whiteboard?: FeatureSection;
  linkpreview?: FeatureSection;
}

/** The resolved configuration one client instance works with. */
export interface SdkConfig {
  creds: Credentials;
  endpoints: Endpoints;
  on: Listeners;
  debug: { mode: number | boolean };
  timeout: number | null;
  fetch: FetchLike | undefined;
  features: Partial<Record<'chat' | 'chatProtocol' | 'videochat' | 'conference' | 'whiteboard' | 'linkpreview', FeatureSection>>;
}

export const DEFAULT_API_HOST = 'api.connectycube.com';
export const DEFAULT_CHAT_HOST = 'chat.connectycube.com';

const FEATURE_KEYS = ['chat', 'chatProtocol', 'videochat', 'conference', 'whiteboard', 'linkpreview'] as const;

/**
 * Builds a fresh configuration from credentials and options. It never reads earlier `init`
 * calls (unlike the official singleton), so calling `init` again fully reconfigures an instance.
 * Logging is off by default (the official SDK defaults to on); pass `debug: {mode: 1}`.
 */
export function resolveConfig(credentials: Credentials, options: InitConfig = {}): SdkConfig {
  const chat = options.endpoints?.chat ?? DEFAULT_CHAT_HOST;
  const features: SdkConfig['features'] = {};
  for (const key of FEATURE_KEYS) {
    const section = options[key];
    if (section) features[key] = { ...section };
  }

  return {
    creds: { ...credentials },
    endpoints: {
      api: options.endpoints?.api ?? DEFAULT_API_HOST,
      api_url: options.endpoints?.api_url,
      chat,
      chat_url: options.endpoints?.chat_url,
      muc: `muc.${chat}`,
    },
    on: { ...options.on },
    debug: { mode: options.debug?.mode ?? 0 },
    timeout: options.timeout ?? null,
    fetch: options.fetch,
    features,
  };
}
