/**
 * One client connection as the stream code sees it, whatever carries it (RFC 7395 WebSocket or RFC 6120
 * TCP). Implementations never throw from `send`/`close`/`destroy`, also after the peer went away.
 */
export interface XmppConnection {
  /** Random hex id, unique on this node (the session id in logs and the presence directory). */
  readonly id: string;
  readonly transport: 'websocket' | 'tcp';
  readonly remoteAddress: string;
  /** TLS is in place (wss behind a proxy counts as insecure here; STARTTLS/direct TLS as secure). */
  readonly secure: boolean;
  /** Bytes accepted by `send` but not yet handed to the kernel (slow-reader protection). */
  readonly bufferedBytes: number;
  /** Writes one serialised top-level unit (WebSocket: one text frame). Ignored once closed. */
  send(text: string): void;
  /** Flushes what is queued, then closes (WebSocket close 1000 / TCP FIN). */
  close(): void;
  /** Drops the connection now (slow readers, timeouts after a last attempt to write). */
  destroy(): void;
  /** Transport-level liveness probe (WebSocket ping frame); false when the transport has none. */
  ping(): boolean;
  /** Stop / resume reading (back-pressure while stanzas queue for processing). */
  pause(): void;
  resume(): void;
  /** TCP only: upgrade to TLS in place (STARTTLS); resolves when the handshake completed. */
  startTls?(): Promise<void>;
  /** Raw inbound data (WebSocket: each text frame). */
  onData(listener: (chunk: Buffer | string) => void): void;
  /** Any sign of life that is not data (WebSocket pong). */
  onPong(listener: () => void): void;
  /** Fires once, whoever closed. */
  onClose(listener: () => void): void;
}
