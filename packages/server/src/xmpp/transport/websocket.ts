import { nextConnectionId } from './connection-id.js';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { XmppConnection } from './connection.js';
import { CloseSignal } from './close-signal.js';
import { corkForThisTurn, flushIfLarge } from './write-batch.js';

/** RFC 7395 §3.2: the subprotocol both sides must agree on. */
export const XMPP_SUBPROTOCOL = 'xmpp';

export interface WebSocketTransportOptions {
  /** URL path of the endpoint, e.g. `/ws`. */
  path: string;
  /** Paths other endpoints of this HTTP server upgrade (the conference gateway): left to them. */
  otherPaths?: readonly string[];
  /** Largest WebSocket message accepted by the framing layer (bigger → close 1009, before any parsing). */
  maxPayload: number;
  /** Address of the peer (honours X-Forwarded-For when the HTTP face trusts a proxy). */
  clientAddress?: (request: IncomingMessage) => string;
  onConnection(connection: XmppConnection): void;
}

export interface WebSocketTransport {
  /** Stops accepting upgrades (existing connections are closed by the stream layer). */
  close(): void;
}

/** XMPP over WebSocket on an existing HTTP server: handles `upgrade` requests for `options.path`. */
export function attachWebSocketTransport(server: Server, options: WebSocketTransportOptions): WebSocketTransport {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayload,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(XMPP_SUBPROTOCOL) ? XMPP_SUBPROTOCOL : false),
  });
  let accepting = true;
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (options.otherPaths?.includes(path)) return;
    if (!accepting || path !== options.path) return refuse(socket, 404, 'Not Found');
    const offered = String(request.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (!offered.includes(XMPP_SUBPROTOCOL)) return refuse(socket, 400, 'Bad Request');
    wss.handleUpgrade(request, socket, head, (ws) => {
      const address = options.clientAddress?.(request) ?? request.socket.remoteAddress ?? '';
      // `socket` is the one ws writes to: corking it batches the frames of one turn (write-batch.ts).
      options.onConnection(new WebSocketConnection(ws, socket, address));
    });
  };
  server.on('upgrade', onUpgrade);
  return {
    close() {
      accepting = false;
      server.off('upgrade', onUpgrade);
      wss.close();
    },
  };
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.on('error', () => undefined);
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

class WebSocketConnection implements XmppConnection {
  readonly id = nextConnectionId();
  readonly transport = 'websocket' as const;
  readonly secure = false;
  private readonly closing = new CloseSignal();

  constructor(
    private readonly ws: WebSocket,
    private readonly socket: Duplex,
    readonly remoteAddress: string,
  ) {
    ws.on('error', () => undefined);
    ws.on('close', () => this.closing.fire());
  }

  get bufferedBytes(): number {
    return this.ws.bufferedAmount;
  }

  send(text: string): void {
    if (this.closing.fired || this.ws.readyState !== WebSocket.OPEN) return;
    corkForThisTurn(this.socket);
    this.ws.send(text, { binary: false }, () => undefined);
    flushIfLarge(this.socket);
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(1000);
    else this.destroy();
  }

  destroy(): void {
    this.ws.terminate();
    this.closing.fire();
  }

  ping(): boolean {
    if (this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.ping(undefined, undefined, () => undefined);
    return true;
  }

  pause(): void {
    this.ws.pause();
  }

  resume(): void {
    this.ws.resume();
  }

  onData(listener: (chunk: Buffer | string) => void): void {
    this.ws.on('message', (data, isBinary) => {
      // RFC 7395 §3.3.3: text frames only; a binary frame is passed on and fails UTF-8/XML checks or parses
      // as the same text, which is harmless.
      void isBinary;
      listener(Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data));
    });
  }

  onPong(listener: () => void): void {
    this.ws.on('pong', listener);
  }

  onClose(listener: () => void): void {
    this.closing.add(listener);
  }
}
