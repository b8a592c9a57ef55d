import { nextConnectionId } from './connection-id.js';
import net from 'node:net';
import tls from 'node:tls';
import type { XmppConnection } from './connection.js';
import { CloseSignal } from './close-signal.js';

export interface TcpTransportOptions {
  host: string;
  /** 0 = any free port (tests); read the bound one from the result. */
  port: number;
  /** PEM certificate and key: STARTTLS is offered (and required before SASL). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  onConnection(connection: XmppConnection): void;
}

export interface TcpTransport {
  readonly port: number;
  close(): Promise<void>;
}

/** XMPP over TCP (RFC 6120, classic `<stream:stream>` framing) with optional STARTTLS. */
export async function listenTcpTransport(options: TcpTransportOptions): Promise<TcpTransport> {
  const context = options.tls ? tls.createSecureContext({ cert: options.tls.cert, key: options.tls.key }) : undefined;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.setNoDelay(true);
    options.onConnection(new TcpConnection(socket, context));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

class TcpConnection implements XmppConnection {
  readonly id = nextConnectionId();
  readonly transport = 'tcp' as const;
  readonly remoteAddress: string;
  private socket: net.Socket | tls.TLSSocket;
  private dataListeners: ((chunk: Buffer | string) => void)[] = [];
  private readonly closing = new CloseSignal();
  private tlsActive = false;

  constructor(socket: net.Socket, context: tls.SecureContext | undefined) {
    this.socket = socket;
    this.remoteAddress = socket.remoteAddress ?? '';
    this.wire(socket);
    if (context) this.startTls = () => this.upgrade(context);
  }

  get secure(): boolean {
    return this.tlsActive;
  }

  get bufferedBytes(): number {
    return this.socket.writableLength;
  }

  send(text: string): void {
    if (this.closing.fired || this.socket.destroyed || !this.socket.writable) return;
    this.socket.write(text);
  }

  close(): void {
    if (this.closing.fired) return;
    this.socket.end();
    // A peer that never reads would keep a half-closed socket forever.
    setTimeout(() => this.destroy(), 5000).unref();
  }

  destroy(): void {
    this.socket.destroy();
    this.closing.fire();
  }

  ping(): boolean {
    return false;
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  startTls?: () => Promise<void>;

  private async upgrade(context: tls.SecureContext): Promise<void> {
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    const secure = new tls.TLSSocket(plain, { isServer: true, secureContext: context });
    this.socket = secure;
    this.wire(secure);
    await new Promise<void>((resolve, reject) => {
      secure.once('secure', () => resolve());
      secure.once('error', reject);
    });
    this.tlsActive = true;
  }

  onData(listener: (chunk: Buffer | string) => void): void {
    this.dataListeners.push(listener);
  }

  onPong(): void {
    // TCP has no transport-level pong; XEP-0199 answers arrive as data.
  }

  onClose(listener: () => void): void {
    this.closing.add(listener);
  }

  private wire(socket: net.Socket): void {
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      for (const listener of this.dataListeners) listener(chunk);
    });
    socket.on('close', () => this.closing.fire());
  }
}
