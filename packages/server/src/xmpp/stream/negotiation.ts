import { randomBytes } from 'node:crypto';
import type { Element} from '@xmpp/xml';
import { xml } from '@xmpp/xml';
import { NS } from '../ns.js';
import { encodeSaslPayload, type SaslMechanismName } from '../sasl/index.js';
import type { ClientSession } from '../session.js';
import type { XmppConnection } from '../transport/connection.js';
import type { XmlStreamParser } from './parser.js';
import { SaslExchange, type SaslStep, type XmppCredentialVerifier } from './sasl-exchange.js';

export interface NegotiatorOptions {
  session: ClientSession;
  connection: XmppConnection;
  parser: XmlStreamParser;
  verifier: XmppCredentialVerifier;
  chatDomain: string;
  /** Offer SCRAM-SHA-1 besides PLAIN (realtime.md §4.2). */
  scram: boolean;
  /** Numeric id of the connection for `Actor.sessionId`. */
  nextSerial(): number;
  /** Resource bound: register the session and run the `bound` hooks. */
  onBound(session: ClientSession): Promise<void>;
  /** XEP-0198 `<resume/>` instead of binding: true when a parked session was taken over. */
  onResume?(element: Element): Promise<boolean>;
  /** A refused SASL attempt (condition only, never credentials), for logs and metrics. */
  onAuthFailure?(condition: string): void;
}

type Stage = 'tls' | 'sasl' | 'restart' | 'bind' | 'done';

/**
 * Everything before the session is bound (RFC 6120 §4–§7, realtime.md §4): stream headers and features,
 * STARTTLS (TCP), SASL, the stream restart, and resource binding.
 */
export class StreamNegotiator {
  private stage: Stage;
  private awaitingOpen = true;
  private sasl: SaslExchange | undefined;

  constructor(private readonly options: NegotiatorOptions) {
    this.stage = options.connection.startTls && !options.connection.secure ? 'tls' : 'sasl';
  }

  get done(): boolean {
    return this.stage === 'done';
  }

  /** `<open/>` / `<stream:stream>` from the client. */
  onStreamStart(attrs: Record<string, string>): void {
    const { session } = this.options;
    if (!this.awaitingOpen || this.stage === 'done') return session.streamError('policy-violation', 'unexpected stream restart');
    if (session.transport === 'tcp' && (attrs['xmlns:stream'] !== NS.stream || (attrs.xmlns ?? NS.client) !== NS.client)) {
      return session.streamError('invalid-namespace');
    }
    this.awaitingOpen = false;
    session.streamTo = attrs.to ?? '';
    session.openStream(attrs.to || this.options.chatDomain);
    if (this.stage === 'restart') this.stage = 'bind';
    session.send(this.features());
  }

  /** One element received before binding finished. */
  async onElement(element: Element): Promise<void> {
    const { session } = this.options;
    if (this.awaitingOpen) return session.streamError('not-authorized', 'stream not open');
    switch (this.stage) {
      case 'tls':
        if (element.is('starttls', NS.tls)) return this.startTls();
        if (element.is('auth', NS.sasl)) return this.saslFailure({ ok: false, condition: 'encryption-required' });
        return session.streamError('policy-violation', 'STARTTLS is required');
      case 'sasl':
        if (element.is('auth', NS.sasl)) return this.saslStep(() => this.exchange().start(element));
        if (element.is('response', NS.sasl) && this.sasl) return this.saslStep(() => this.exchange().respond(element));
        if (element.is('abort', NS.sasl)) {
          this.sasl = undefined;
          session.send(xml('failure', { xmlns: NS.sasl }, xml('aborted')));
          return;
        }
        return session.streamError('not-authorized', 'authenticate first');
      case 'bind':
        if (element.name === 'iq' && element.attrs.type === 'set' && element.getChild('bind', NS.bind)) return this.bind(element);
        if (element.is('resume', NS.sm) && this.options.onResume) {
          if (await this.options.onResume(element)) this.stage = 'done';
          return;
        }
        if (element.is('enable', NS.sm)) {
          session.send(xml('failed', { xmlns: NS.sm }, xml('unexpected-request', { xmlns: NS.stanzas })));
          return;
        }
        return session.streamError('not-authorized', 'bind a resource first');
      default:
        return session.streamError('not-authorized');
    }
  }

  private features(): Element {
    const features = xml('stream:features', { 'xmlns:stream': NS.stream });
    if (this.stage === 'tls') {
      features.append(xml('starttls', { xmlns: NS.tls }, xml('required')));
    } else if (this.stage === 'sasl') {
      features.append(xml('mechanisms', { xmlns: NS.sasl }, ...this.offered().map((m) => xml('mechanism', {}, m))));
    } else {
      features.append(
        xml('bind', { xmlns: NS.bind }),
        xml('session', { xmlns: NS.session }, xml('optional')),
        xml('sm', { xmlns: NS.sm }),
        xml('csi', { xmlns: NS.csi }),
      );
    }
    return features;
  }

  private offered(): SaslMechanismName[] {
    return this.options.scram ? ['SCRAM-SHA-1', 'PLAIN'] : ['PLAIN'];
  }

  private exchange(): SaslExchange {
    this.sasl ??= new SaslExchange({
      verifier: this.options.verifier,
      offered: this.offered(),
      chatDomain: this.options.chatDomain,
      streamTo: this.options.session.streamTo,
      clientAddress: this.options.connection.remoteAddress,
    });
    return this.sasl;
  }

  private async startTls(): Promise<void> {
    const { connection, parser, session } = this.options;
    session.send(xml('proceed', { xmlns: NS.tls }));
    try {
      await connection.startTls?.();
    } catch {
      connection.destroy();
      return;
    }
    parser.reset();
    this.awaitingOpen = true;
    this.stage = 'sasl';
  }

  private async saslStep(run: () => Promise<SaslStep>): Promise<void> {
    const { session, parser } = this.options;
    let step: SaslStep;
    try {
      step = await run();
    } catch {
      step = { ok: false, condition: 'temporary-auth-failure' };
    }
    if ('ok' in step) return this.saslFailure(step);
    if (step.step === 'challenge') {
      const payload = step.payload === '' ? undefined : encodeSaslPayload(step.payload);
      session.send(payload === undefined ? xml('challenge', { xmlns: NS.sasl }) : xml('challenge', { xmlns: NS.sasl }, payload));
      return;
    }
    this.sasl = undefined;
    session.authenticate(step.appId, step.userId, this.options.nextSerial());
    session.send(step.payload === undefined ? xml('success', { xmlns: NS.sasl }) : xml('success', { xmlns: NS.sasl }, encodeSaslPayload(step.payload)));
    parser.authenticated();
    if (session.transport === 'tcp') parser.reset();
    this.awaitingOpen = true;
    this.stage = 'restart';
  }

  /** realtime.md §4.3: `<failure>` then close the stream. */
  private saslFailure(failure: { ok: false; condition: string; text?: string }): void {
    this.options.onAuthFailure?.(failure.condition);
    const { session } = this.options;
    this.sasl = undefined;
    const element = xml('failure', { xmlns: NS.sasl }, xml(failure.condition));
    if (failure.text) element.append(xml('text', { 'xml:lang': 'en' }, failure.text));
    session.send(element);
    session.end();
  }

  private async bind(iq: Element): Promise<void> {
    const { session } = this.options;
    const proposed = iq.getChild('bind', NS.bind)?.getChildText('resource')?.trim() ?? '';
    // realtime.md §4.5: server-generated 32-hex resources; a client proposal only gets a random suffix.
    const random = randomBytes(16).toString('hex');
    const resource = /^[A-Za-z0-9._-]{1,64}$/.test(proposed) ? `${proposed}-${random}` : random;
    session.bind(resource);
    this.stage = 'done';
    const attrs: Record<string, string> = { xmlns: NS.client, type: 'result', to: session.jid };
    if (iq.attrs.id !== undefined) attrs.id = iq.attrs.id;
    session.send(xml('iq', attrs, xml('bind', { xmlns: NS.bind }, xml('jid', {}, session.jid))));
    await this.options.onBound(session);
  }
}
