import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- Janus messages are checked field by field

/** A raw Janus-protocol client (what janus.js sends), for gateway tests: one request, its replies. */
export class JanusTestClient {
  private readonly messages: Json[] = [];
  private readonly waiters: { match: (m: Json) => boolean; resolve: (m: Json) => void }[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as Json;
      const waiter = this.waiters.findIndex((w) => w.match(message));
      if (waiter >= 0) this.waiters.splice(waiter, 1)[0]?.resolve(message);
      else this.messages.push(message);
    });
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static async open(url: string, protocol = 'janus-protocol'): Promise<JanusTestClient> {
    const ws = new WebSocket(url, protocol);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new JanusTestClient(ws);
  }

  /** The next message matching, already received or still to come. */
  next(match: (m: Json) => boolean, timeoutMs = 10_000): Promise<Json> {
    const index = this.messages.findIndex(match);
    if (index >= 0) return Promise.resolve(this.messages.splice(index, 1)[0] as Json);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching Janus message')), timeoutMs);
      this.waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }

  /** Sends a request and resolves with its first reply (ack, success or error). */
  async request(body: Json): Promise<Json> {
    const transaction = randomBytes(6).toString('hex');
    this.ws.send(JSON.stringify({ ...body, transaction }));
    return this.next((m) => m.transaction === transaction && m.janus !== 'event');
  }

  /**
   * Sends a plugin message and resolves with its first reply and, unless that was an error, the event
   * that answers it. Janus may send that event before or after its ack.
   */
  async event(body: Json): Promise<{ first: Json; event?: Json }> {
    const transaction = randomBytes(6).toString('hex');
    this.ws.send(JSON.stringify({ ...body, transaction }));
    const first = await this.next((m) => m.transaction === transaction);
    if (first.janus === 'error') return { first };
    if (first.janus === 'event') {
      await this.next((m) => m.transaction === transaction && m.janus === 'ack');
      return { first: { janus: 'ack', transaction }, event: first };
    }
    return { first, event: await this.next((m) => m.transaction === transaction && m.janus === 'event') };
  }

  send(raw: string | Buffer): void {
    this.ws.send(raw);
  }

  close(): void {
    this.ws.close();
  }
}
