// The part of janode (Meetecho's Janus client, plain JavaScript) this adapter uses.
declare module 'janode' {
  export interface JanodeHandle {
    message(body: Record<string, unknown>): Promise<unknown>;
    detach(): Promise<void>;
  }
  export interface JanodeSession {
    attach<H>(plugin: { id: string; Handle: unknown }): Promise<H>;
    destroy(): Promise<void>;
    once(event: string, listener: (...args: unknown[]) => void): void;
  }
  export interface JanodeConnection {
    create(keepAliveSeconds?: number): Promise<JanodeSession>;
    close(): Promise<void>;
    once(event: string, listener: (...args: unknown[]) => void): void;
    on(event: string, listener: (...args: unknown[]) => void): void;
  }
  const Janode: {
    connect(config: { is_admin?: boolean; address: { url: string; apisecret?: string }; retry_time_secs?: number; max_retries?: number }): Promise<JanodeConnection>;
    Logger: { setLevel(level: 'none' | 'error' | 'warning' | 'info' | 'verbose' | 'debug'): void };
    EVENT: Record<string, string>;
  };
  export default Janode;
}

declare module 'janode/plugins/videoroom' {
  import type { JanodeHandle } from 'janode';
  export interface VideoRoomHandle extends JanodeHandle {
    create(params: Record<string, unknown>): Promise<unknown>;
    destroy(params: { room: string }): Promise<unknown>;
    exists(params: { room: string }): Promise<{ exists: boolean }>;
    kick(params: { room: string; feed: string }): Promise<unknown>;
    listParticipants(params: { room: string }): Promise<{ participants: { feed: string; display?: string; publisher: boolean }[] }>;
    enable_recording(params: { room: string; record: boolean }): Promise<unknown>;
  }
  const plugin: { id: string; Handle: unknown; EVENT: Record<string, string> };
  export default plugin;
}
