// The Janus JSON API over one WebSocket (subprotocol `janus-protocol`), as janus.js in the official
// SDK speaks it (realtime.md §13.2–13.3): 12-character transactions, the session token on every
// request, a keepalive every 25 s, replies matched by transaction and events handed to a listener.

export type JanusMessage = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- Janus JSON is read field by field

/** The WebSocket class to use (the browser's by default). */
export type JanusWebSocketConstructor = new (url: string, protocols: string) => WebSocket;

const KEEPALIVE_MS = 25_000;
const REQUEST_TIMEOUT_MS = 30_000;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function transactionId(): string {
  let id = '';
  for (let i = 0; i < 12; i += 1) id += ALPHABET[Math.floor(Math.random() * ALPHABET.length)];
  return id;
}

/** A local ICE candidate as janus.js trickles it: exactly these three fields. */
export function candidateOf(candidate: RTCIceCandidate): RTCIceCandidateInit {
  return { candidate: candidate.candidate, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex };
}

/** A failed Janus request: rejects with the same `"<code> <reason>"` text janus.js uses. */
export class JanusError extends Error {
  override name = 'JanusError';
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(`${code} ${reason}`);
  }
}

interface Pending {
  resolve(message: JanusMessage): void;
  reject(error: Error): void;
  /** For plugin messages: settle on the event with this transaction rather than the ack. */
  awaitEvent: boolean;
  timer: ReturnType<typeof setTimeout>;
}

export class JanusConnection {
  private socket: WebSocket | undefined;
  private readonly pending = new Map<string, Pending>();
  private keepalive: ReturnType<typeof setInterval> | undefined;
  sessionId: number | undefined;
  /** Asynchronous messages (events without a waiting request, webrtcup, media, slowlink, hangup …). */
  onEvent: (message: JanusMessage) => void = () => undefined;
  /** The socket closed (not by `close()`). */
  onClosed: () => void = () => undefined;

  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly WebSocketImpl: JanusWebSocketConstructor = WebSocket,
  ) {}

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = new this.WebSocketImpl(this.url, 'janus-protocol');
      this.socket = socket;
      socket.onopen = () => resolve();
      socket.onerror = () => reject(new Error(`cannot connect to ${this.url}`));
      socket.onmessage = (event) => this.receive(String(event.data));
      socket.onclose = () => {
        this.stopKeepalive();
        for (const [id, waiting] of this.pending) {
          clearTimeout(waiting.timer);
          waiting.reject(new Error('Lost connection to the server'));
          this.pending.delete(id);
        }
        if (this.socket === socket) this.onClosed();
      };
    });
  }

  /** `create`: the Janus session, with keepalives from now on. */
  async createSession(): Promise<number> {
    const reply = await this.request({ janus: 'create' });
    this.sessionId = reply.data.id as number;
    this.keepalive = setInterval(() => void this.request({ janus: 'keepalive' }).catch(() => undefined), KEEPALIVE_MS);
    return this.sessionId;
  }

  async attach(): Promise<number> {
    const reply = await this.request({ janus: 'attach', plugin: 'janus.plugin.videoroom' });
    return reply.data.id as number;
  }

  /** A plugin message: resolves with the synchronous `success` or, after the ack, the answering event. */
  message(handleId: number, body: JanusMessage, jsep?: RTCSessionDescriptionInit, awaitEvent = true): Promise<JanusMessage> {
    return this.request({ janus: 'message', handle_id: handleId, body, ...(jsep ? { jsep } : {}) }, awaitEvent);
  }

  trickle(handleId: number, candidate: RTCIceCandidateInit | { completed: true }): void {
    this.send({ janus: 'trickle', handle_id: handleId, candidate, transaction: transactionId() });
  }

  request(message: JanusMessage, awaitEvent = false): Promise<JanusMessage> {
    const transaction = transactionId();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(transaction);
        reject(new Error(`Janus request '${String(message.janus)}' timed out`));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(transaction, { resolve, reject, awaitEvent, timer });
      try {
        this.send({ ...message, transaction });
      } catch (error) {
        clearTimeout(timer);
        this.pending.delete(transaction);
        reject(error as Error);
      }
    });
  }

  close(): void {
    this.stopKeepalive();
    const socket = this.socket;
    this.socket = undefined;
    socket?.close();
  }

  private send(message: JanusMessage): void {
    if (!this.socket || this.socket.readyState !== 1) throw new Error('not connected to the conference server');
    const out: JanusMessage = { ...message, token: this.token };
    if (this.sessionId !== undefined && message.janus !== 'create') out.session_id = this.sessionId;
    this.socket.send(JSON.stringify(out));
  }

  private receive(text: string): void {
    let message: JanusMessage;
    try {
      message = JSON.parse(text) as JanusMessage;
    } catch {
      return;
    }
    const waiting = typeof message.transaction === 'string' ? this.pending.get(message.transaction) : undefined;
    if (waiting && message.transaction) {
      const settle = () => {
        clearTimeout(waiting.timer);
        this.pending.delete(message.transaction as string);
      };
      if (message.janus === 'error') {
        settle();
        waiting.reject(new JanusError(Number(message.error?.code), String(message.error?.reason)));
        return;
      }
      if (message.janus === 'ack' && waiting.awaitEvent) return;
      if (message.janus === 'event' || message.janus === 'success' || message.janus === 'ack') {
        settle();
        waiting.resolve(message);
        // An event that answered a request may still carry news for the session (publishers, jsep …).
        if (message.janus === 'event') this.onEvent(message);
        return;
      }
    }
    this.onEvent(message);
  }

  private stopKeepalive(): void {
    if (this.keepalive !== undefined) clearInterval(this.keepalive);
    this.keepalive = undefined;
  }
}
