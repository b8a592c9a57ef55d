import { randomBytes } from 'node:crypto';
import { isFeatures, RawXmppClient, xml, type Element } from '@parley/testkit';

const SM = 'urn:xmpp:sm:3';
const SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';
/** Messages sent before asking the server for an ack. */
const DEFAULT_ACK_EVERY = 50;
/** Messages the sender lets go unacknowledged before it waits (flow control). */
const DEFAULT_WINDOW = 400;

let counter = randomBytes(3).readUIntBE(0, 3);
/** A client-made ObjectId (the stored `_id`: a resend with the same id is the same message). */
export function objectId(): string {
  counter = (counter + 1) % 0x1000000;
  return Math.floor(Date.now() / 1000).toString(16).padStart(8, '0') + randomBytes(5).toString('hex') + counter.toString(16).padStart(6, '0');
}

export interface BurstPlan {
  domain: string;
  appId: number;
  userId: number;
  password: string;
  /** Who the messages go to, and the private dialog they belong to. */
  peerId: number;
  dialogId: string;
  /** The messages' ids, in sending order. */
  ids: string[];
  /** Messages in flight (sent, not acknowledged) at most; default 400. */
  window?: number;
  /** An `<r/>` after every this many messages; default 50. */
  ackEvery?: number;
}

const isStanza = (element: Element) => ['message', 'presence', 'iq'].includes(element.name);

/**
 * One user sending a burst of chat messages over XMPP with XEP-0198 acks, as a careful client does:
 * a message counts as delivered only when the server's `<a h/>` covers it (the server acks after the
 * database commit). When the connection dies the sender reconnects to the node it is told, tries to
 * resume the old stream (`<resume/>`), and sends again everything not acknowledged — with the same ids,
 * so a message the server had stored but not yet acked is stored once.
 */
export class BurstSender {
  /** How many of `plan.ids`, from the start, the server acknowledged. */
  acked = 0;
  /** How many of `plan.ids`, from the start, were written to some connection at least once. */
  sentOnce = 0;
  /** `<message type="error">` bounces received (a refused message counts in `h` like a stored one). */
  readonly errors: string[] = [];
  /** Connections opened (1 + reconnects) and how each reconnect went. */
  readonly reconnects: ('resumed' | 'new stream')[] = [];
  private client: RawXmppClient | undefined;
  private smId: string | undefined;
  /** What the current stream carried from us, in order: a message's index in `plan.ids`, or -1 (a ping answer). */
  private sent: number[] = [];
  /** Stanzas received on the current stream (our `h`). */
  private inbound = 0;
  private wake: (() => void) | undefined;

  constructor(readonly plan: BurstPlan) {}

  get done(): boolean {
    return this.acked >= this.plan.ids.length;
  }

  /** Logs in at `wsUrl`, resuming the previous stream when there was one, and sends until everything is acked or the connection dies. */
  async run(wsUrl: string): Promise<void> {
    const client = await RawXmppClient.websocket(wsUrl);
    this.client = client;
    client.onElement((element) => this.onElement(client, element));
    await this.login(client);
    await this.sendRemaining(client);
  }

  /** Resolves when the current connection is gone. */
  async closed(): Promise<void> {
    await this.client?.closed;
  }

  stop(): void {
    this.client?.destroy();
  }

  private async login(client: RawXmppClient): Promise<void> {
    const { domain, appId, userId, password } = this.plan;
    client.open(domain);
    await client.next(isFeatures);
    client.send(xml('auth', { xmlns: SASL, mechanism: 'PLAIN' }, Buffer.from(`\u0000${userId}-${appId}\u0000${password}`).toString('base64')));
    const sasl = await client.next((e) => e.attrs.xmlns === SASL && (e.name === 'success' || e.name === 'failure'));
    if (sasl.name === 'failure') throw new Error(`SASL refused for user ${userId}`);
    client.open(domain);
    await client.next(isFeatures);
    if (this.smId !== undefined) {
      client.send(xml('resume', { xmlns: SM, previd: this.smId, h: String(this.inbound) }));
      const answer = await client.next((e) => e.attrs.xmlns === SM && (e.name === 'resumed' || e.name === 'failed'), 10_000);
      if (answer.name === 'resumed') {
        this.reconnects.push('resumed');
        this.acknowledge(Number(answer.attrs.h));
        return;
      }
      this.reconnects.push('new stream');
    }
    client.send(xml('iq', { xmlns: 'jabber:client', type: 'set', id: 'bind-1' }, xml('bind', { xmlns: 'urn:ietf:params:xml:ns:xmpp-bind' })));
    await client.next((e) => e.name === 'iq' && e.attrs.id === 'bind-1');
    client.send(xml('enable', { xmlns: SM, resume: 'true' }));
    const enabled = await client.next((e) => e.attrs.xmlns === SM && (e.name === 'enabled' || e.name === 'failed'));
    if (enabled.name !== 'enabled') throw new Error(`stream management refused: ${enabled.toString()}`);
    this.smId = enabled.attrs.id;
    this.inbound = 0;
    this.sent = [];
  }

  private onElement(client: RawXmppClient, element: Element): void {
    if (client !== this.client) return;
    if (isStanza(element)) {
      this.inbound += 1;
      if (element.name === 'message' && element.attrs.type === 'error') this.errors.push(element.toString());
      // The server's keep-alive ping (XEP-0199) is answered; the answer counts in the server's h.
      if (element.name === 'iq' && element.attrs.type === 'get' && element.getChild('ping', 'urn:xmpp:ping')) {
        this.sent.push(-1);
        client.send(xml('iq', { xmlns: 'jabber:client', type: 'result', id: element.attrs.id ?? '', ...(element.attrs.from ? { to: element.attrs.from } : {}) }));
      }
    } else if (element.attrs.xmlns === SM && element.name === 'r') client.send(xml('a', { xmlns: SM, h: String(this.inbound) }));
    else if (element.attrs.xmlns === SM && element.name === 'a') this.acknowledge(Number(element.attrs.h));
  }

  /** The server handled the first `h` stanzas this stream carried: the messages among them are stored. */
  private acknowledge(h: number): void {
    if (!Number.isInteger(h)) return;
    for (let index = Math.min(h, this.sent.length) - 1; index >= 0; index -= 1) {
      const message = this.sent[index] as number;
      if (message < 0) continue;
      this.acked = Math.max(this.acked, message + 1);
      break;
    }
    this.wake?.();
  }

  private async sendRemaining(client: RawXmppClient): Promise<void> {
    const { ids, peerId, appId, domain, dialogId } = this.plan;
    // Everything not acknowledged is sent again (on a resumed stream the server answered how much it had).
    const window = this.plan.window ?? DEFAULT_WINDOW;
    const ackEvery = this.plan.ackEvery ?? DEFAULT_ACK_EVERY;
    let next = this.acked;
    while (!this.done && client.isOpen) {
      if (next < ids.length && next - this.acked < window) {
        const id = ids[next] as string;
        client.send(
          xml(
            'message',
            { xmlns: 'jabber:client', type: 'chat', to: `${peerId}-${appId}@${domain}`, id },
            xml('body', {}, `burst ${next}`),
            xml('extraParams', { xmlns: 'jabber:client' }, xml('save_to_history', {}, '1'), xml('dialog_id', {}, dialogId)),
          ),
        );
        this.sent.push(next);
        next += 1;
        this.sentOnce = Math.max(this.sentOnce, next);
        if (next % ackEvery === 0 || next === ids.length) client.send(xml('r', { xmlns: SM }));
        // Let the socket drain now and then.
        if (next % ackEvery === 0) await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      // The window is full (or all is sent): wait for an ack or the end of the connection.
      await Promise.race([new Promise<void>((resolve) => (this.wake = resolve)), client.closed, new Promise((resolve) => setTimeout(resolve, 1000))]);
      if (next >= ids.length && !this.done && client.isOpen) client.send(xml('r', { xmlns: SM }));
    }
  }
}
