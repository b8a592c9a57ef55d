// The chat part of `init(creds, {endpoints, chat})`, with the official SDK 6.1.2 defaults
// (realtime.md §2), plus `chat.websocket`: the WebSocket class to use where there is no global one.
import type { SdkConfig } from '../../config.js';

/** A WebSocket class: the browser's, or e.g. the `ws` package's in Node 20. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => unknown;

export interface RealtimeConfig {
  /** WebSocket URL: `endpoints.chat_url`, else `wss://<endpoints.chat>:5291`. */
  websocketUrl: string;
  /** The chat (XMPP) domain: user JIDs and ping target. */
  chatDomain: string;
  reconnect: { enable: boolean; timeInterval: number };
  streamManagement: { enable: boolean; acknowledgementTimeout: number; resume: boolean };
  ping: { enable: boolean; timeInterval: number; timeout: number };
  websocket: WebSocketConstructor | undefined;
}

/** What apps may pass as `init(…, { chat })`. */
export interface ChatInitConfig {
  /**
   * `{enable: true}` turns on the "sent" status (`onSentMessageCallback`); ack timeout in seconds.
   * Parley addition, off by default: `resume: true` resumes the session after a lost connection
   * (XEP-0198) instead of logging in afresh; it implies `enable`.
   */
  streamManagement?: { enable?: boolean; acknowledgementTimeout?: number; resume?: boolean };
  /** Automatic reconnection after a lost connection; `timeInterval` in seconds. */
  reconnect?: { enable?: boolean; timeInterval?: number };
  /** Parley addition, off by default: ping every `timeInterval` s, reconnect when no answer within `timeout` s. */
  ping?: { enable?: boolean; timeInterval?: number; timeout?: number };
  /** WebSocket class when the runtime has no global `WebSocket` (Node 20: `import WebSocket from 'ws'`). */
  websocket?: WebSocketConstructor;
}

let defaultWebSocket: WebSocketConstructor | undefined;

/**
 * The WebSocket class used when `init` names none and the runtime has no global one. The Node entry
 * (`node.ts`) sets the `ws` package here, as the official SDK's Node build does, so Node 20 apps need
 * no extra option.
 */
export function useDefaultWebSocket(constructor: WebSocketConstructor | undefined): void {
  defaultWebSocket = constructor;
}

function section<T extends object>(value: unknown): Partial<T> {
  return value !== null && typeof value === 'object' ? (value as Partial<T>) : {};
}

function number(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

export function resolveRealtimeConfig(config: SdkConfig): RealtimeConfig {
  const chat = section<ChatInitConfig>(config.features.chat);
  const reconnect = section<NonNullable<ChatInitConfig['reconnect']>>(chat.reconnect);
  const streamManagement = section<NonNullable<ChatInitConfig['streamManagement']>>(chat.streamManagement);
  const ping = section<NonNullable<ChatInitConfig['ping']>>(chat.ping);
  return {
    websocketUrl: config.endpoints.chat_url ?? `wss://${config.endpoints.chat}:5291`,
    chatDomain: config.endpoints.chat,
    reconnect: { enable: reconnect.enable ?? true, timeInterval: number(reconnect.timeInterval, 5) },
    streamManagement: {
      enable: (streamManagement.enable ?? false) || streamManagement.resume === true,
      acknowledgementTimeout: number(streamManagement.acknowledgementTimeout, 30),
      resume: streamManagement.resume === true,
    },
    ping: { enable: ping.enable ?? false, timeInterval: number(ping.timeInterval, 60) || 60, timeout: number(ping.timeout, 10) || 10 },
    websocket: typeof chat.websocket === 'function' ? chat.websocket : typeof globalThis.WebSocket === 'function' ? undefined : defaultWebSocket,
  };
}
