import type { Element} from '@xmpp/xml';
import { xml } from '@xmpp/xml';
import type { Logger } from '../ops/logging.js';
import type { StanzaDispatcher } from './dispatcher.js';
import type { SessionHooks, XmppModule } from './module.js';
import { NS } from './ns.js';
import type { SessionRouter } from './router.js';
import { ClientSession } from './session.js';
import type { ResumableSessions, SessionOwner } from './sm/resumable-sessions.js';
import { bounceOf } from './stanza-errors.js';
import { StanzaPipeline } from './stanza-pipeline.js';
import { StreamNegotiator } from './stream/negotiation.js';
import { XmlStreamParser } from './stream/parser.js';
import type { XmlStreamLimits } from './stream/limits.js';
import type { XmppCredentialVerifier } from './stream/sasl-exchange.js';
import type { XmppConnection } from './transport/connection.js';
import type { XmppObserver } from '../ops/xmpp-metrics.js';

export interface ClientStreamSettings {
  chatDomain: string;
  scram: boolean;
  limits: XmlStreamLimits;
  /** Liveness probe period (WebSocket ping frame, or XEP-0199 ping on TCP); 2 unanswered → closed. */
  keepAliveMs: number;
  /** Closed when nothing at all arrived for this long, or when not bound this long after connecting. */
  idleTimeoutMs: number;
  maxOutboundBytes: number;
  /** XEP-0198: most bytes of unacknowledged stanzas kept per session. */
  maxUnackedBytes?: number;
}

export interface ClientStreamDeps {
  settings: ClientStreamSettings;
  dispatcher: StanzaDispatcher;
  router: SessionRouter;
  modules: readonly XmppModule[];
  verifier: XmppCredentialVerifier;
  logger: Logger;
  nextSerial(): number;
  /** XEP-0198 resumable sessions of this node. */
  resumable: ResumableSessions;
  /** Metrics and operator log lines (optional). */
  observer?: XmppObserver;
  /**
   * A `<resume/>` this node could not honour (the session may live on another node of the cluster):
   * resolves once that node ended it, so its unacknowledged stanzas are in the offline queue.
   */
  onResumeFailed?(previd: string, appId: number, userId: number): Promise<void>;
  /** A session's carbons flag changed (cluster presence leases carry it). */
  onCarbonsChanged?(session: ClientSession): void;
}

/** Pause reading while this many elements wait for their handlers. */
const QUEUE_HIGH_WATER = 64;
/** Most pipelined content messages of one connection in flight (ADR 0022). */
const PIPELINE_DEPTH = 32;
export const KEEPALIVE_ID_PREFIX = 'parley-keepalive-';

type Work = { kind: 'element'; element: Element } | { kind: 'end' };

/**
 * Drives one connection: bytes → parser → negotiation, then the module dispatcher. Elements are handled
 * in arrival order through a `StanzaPipeline` (ADR 0022): content messages overlap their commits (up to
 * PIPELINE_DEPTH), everything else starts after every earlier element finished; XEP-0198 `h` counts a
 * stanza once it and every earlier one were handled. Also owns keep-alive and the close sequence
 * (unregister, `closed` hooks).
 */
export class ClientStream {
  /** Replaced by the resumed session when this connection resumes one (XEP-0198). */
  session: ClientSession;
  private readonly parser: XmlStreamParser;
  private readonly negotiator: StreamNegotiator;
  private readonly queue: Work[] = [];
  private readonly pipeline = new StanzaPipeline(PIPELINE_DEPTH);
  private running = false;
  private paused = false;
  private drained: Promise<void> = Promise.resolve();
  private lastSeen = Date.now();
  private readonly connectedAt = Date.now();
  private unanswered = 0;
  private probes = 0;
  private timer: NodeJS.Timeout | undefined;
  private finished = false;

  constructor(
    private readonly connection: XmppConnection,
    private readonly deps: ClientStreamDeps,
  ) {
    const { settings } = deps;
    this.session = new ClientSession(connection, {
      ...(deps.observer ? { observer: deps.observer } : {}),
      chatDomain: settings.chatDomain,
      maxOutboundBytes: settings.maxOutboundBytes,
      ...(settings.maxUnackedBytes !== undefined ? { maxUnackedBytes: settings.maxUnackedBytes } : {}),
      // Bound methods, not closures: see `ownerOf` below.
      runAvailableHooks: this.availableHooks.bind(this),
      ...(deps.onCarbonsChanged ? { onCarbonsChanged: deps.onCarbonsChanged } : {}),
      enableResumption: this.enableResumption.bind(this),
      onUnackedOverflow: this.unackedOverflow.bind(this),
    });
    this.parser = new XmlStreamParser({ framing: connection.transport, ...settings.limits });
    this.negotiator = new StreamNegotiator({
      session: this.session,
      connection,
      parser: this.parser,
      verifier: deps.verifier,
      chatDomain: settings.chatDomain,
      scram: settings.scram,
      nextSerial: deps.nextSerial,
      onBound: this.bound.bind(this),
      onResume: this.resume.bind(this),
      onAuthFailure: this.authFailure.bind(this),
    });
    deps.observer?.opened(connection.id, connection.transport, connection.remoteAddress);
    this.parser.on('streamStart', (attrs) => {
      if (this.session.bound) return this.session.streamError('policy-violation', 'unexpected stream restart');
      this.negotiator.onStreamStart(attrs);
    });
    this.parser.on('element', (element) => this.enqueue({ kind: 'element', element }));
    this.parser.on('streamEnd', () => this.enqueue({ kind: 'end' }));
    this.parser.on('streamError', (error) => this.session.streamError(error.condition, error.text));
    connection.onData((chunk) => {
      this.alive();
      this.parser.write(chunk);
    });
    connection.onPong(() => this.alive());
    connection.onClose(() => void this.finish());
    this.timer = setInterval(() => this.tick(), Math.max(50, Math.min(settings.keepAliveMs, settings.idleTimeoutMs)));
    this.timer.unref();
  }

  /** Server shutdown: `system-shutdown` stream error. */
  shutdown(): void {
    this.session.streamError('system-shutdown');
  }

  private availableHooks(session: ClientSession): Promise<void> {
    return this.runHooks('available', session);
  }

  private enableResumption(session: ClientSession): { id: string; maxSeconds: number } {
    return { id: this.deps.resumable.add(session, this.owner), maxSeconds: this.deps.resumable.maxSeconds };
  }

  private unackedOverflow(session: ClientSession): void {
    if (session.detached) void this.deps.resumable.expire(session);
    else session.streamError('resource-constraint', 'too many unacknowledged stanzas');
  }

  private async bound(session: ClientSession): Promise<void> {
    this.deps.router.register(session);
    await this.runHooks('bound', session);
  }

  private authFailure(condition: string): void {
    this.deps.observer?.authFailed(this.connection.id, 'sasl', condition);
  }

  private alive(): void {
    this.lastSeen = Date.now();
    this.unanswered = 0;
  }

  private tick(): void {
    const { keepAliveMs, idleTimeoutMs } = this.deps.settings;
    const now = Date.now();
    if (this.session.closed) return;
    if (now - this.lastSeen >= idleTimeoutMs) return this.session.streamError('connection-timeout', 'idle');
    if (!this.session.bound && now - this.connectedAt >= idleTimeoutMs) return this.session.streamError('connection-timeout', 'not authenticated in time');
    // XEP-0198: ask now and then for what a burst left unacknowledged.
    this.session.requestAck();
    if (now - this.lastSeen < keepAliveMs) return;
    if (this.unanswered >= 2) return this.session.streamError('connection-timeout', 'keep-alive unanswered');
    this.unanswered += 1;
    if (this.connection.ping()) return;
    if (this.session.bound) {
      this.probes += 1;
      this.session.send(
        xml('iq', { xmlns: NS.client, type: 'get', id: `${KEEPALIVE_ID_PREFIX}${this.probes}`, from: this.session.chatDomain, to: this.session.jid }, xml('ping', { xmlns: NS.ping })),
      );
    }
  }

  private enqueue(work: Work): void {
    if (this.session.closed) return;
    this.queue.push(work);
    if (!this.paused && this.queue.length >= QUEUE_HIGH_WATER) {
      this.paused = true;
      this.connection.pause();
    }
    if (!this.running) this.drained = this.drain();
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      for (let work = this.queue.shift(); work; work = this.queue.shift()) {
        if (this.session.closed) break;
        if (this.paused && this.queue.length < QUEUE_HIGH_WATER / 2) {
          this.paused = false;
          this.connection.resume();
        }
        if (work.kind === 'end') {
          await this.pipeline.serial(this.endSession.bind(this));
          break;
        }
        await this.process(work.element);
      }
    } finally {
      this.queue.length = 0;
      this.running = false;
    }
  }

  private async endSession(): Promise<void> {
    this.session.end();
  }

  /** Hands an element to the pipeline; resolves once it started (a serial one: once it finished). */
  private process(element: Element): Promise<void> {
    this.deps.observer?.stanzaIn(element.name);
    // Earlier serial elements (negotiation among them) have finished here: only content messages overlap.
    if (!this.negotiator.done) return this.pipeline.serial(() => this.guard(element, this.negotiator.onElement(element)));
    const prepared = this.deps.dispatcher.prepare(this.session, element);
    const count = prepared.count.bind(prepared);
    if (prepared.pipelined) return this.pipeline.overlap((order) => this.guard(element, prepared.run(order)), count);
    return this.pipeline.serial(() => this.guard(element, prepared.run()), count);
  }

  /** A handler's unexpected failure is logged and, for a stanza that expects an answer, bounced. */
  private async guard(element: Element, handling: Promise<void>): Promise<void> {
    try {
      await handling;
    } catch (error) {
      this.deps.logger.error({ err: error, session: this.session.id, element: element.name }, 'xmpp handler failed');
      if (this.session.bound && (element.name === 'iq' || element.name === 'message')) {
        const reply = bounceOf(element, { condition: 'internal-server-error' }, { from: element.attrs.to ?? this.session.chatDomain, to: this.session.jid });
        if (reply) this.session.send(reply);
      }
    }
  }

  private async finish(): Promise<void> {
    if (this.finished) return;
    this.deps.observer?.closed(this.connection.id, this.connection.transport, this.session.authenticated ? { appId: this.session.appId, userId: this.session.userId } : undefined);
    this.finished = true;
    clearInterval(this.timer);
    const { session } = this;
    // `bound` still holds here; `closed` may already (a keep-alive timeout ends the stream resumably).
    if (session.bound && session.sm.id !== '' && session.resumeAllowed) {
      // XEP-0198: the connection died, the session waits (registered, buffering) for a resumption.
      this.queue.length = 0; // not counted in h: the client resends them
      session.detach();
      this.deps.resumable.park(session);
      await this.settled();
      await this.runHooks('detached', session);
      return;
    }
    await this.terminate();
  }

  /** Ends the session: unregistered, then the `closed` hooks once the stanza being handled finished. */
  async terminate(): Promise<void> {
    const { session } = this;
    const wasBound = session.bound;
    session.markClosed();
    this.deps.router.unregister(session);
    this.deps.resumable.forget(session);
    // Let the stanzas being handled finish before modules clean up after the session.
    await this.settled();
    if (wasBound) await this.runHooks('closed', session);
  }

  /**
   * What the resumption registry needs from the stream that currently carries a session. Made once per
   * connection from prototype methods: per-connection closures cost memory, and under tsx (esbuild
   * keepNames) every named closure also gets its own `name` property (a property array each).
   */
  private readonly owner: SessionOwner = ownerOf(this);

  /** SessionOwner.release: the session moved to another connection; drop this one. */
  releaseToResumption(): void {
    this.finished = true;
    clearInterval(this.timer);
    this.queue.length = 0;
    this.connection.destroy();
  }

  /** SessionOwner.settled: every element taken from the queue so far was handled (and counted). */
  async settled(): Promise<void> {
    await this.drained.catch(() => undefined);
    await this.pipeline.settled();
  }

  /** `<resume previd h/>` after SASL: take over the parked session, or `<failed/>` (the client binds anew). */
  private async resume(element: Element): Promise<boolean> {
    const fresh = this.session;
    const h = Number(element.attrs.h);
    const taken = Number.isInteger(h) && h >= 0 && h < 2 ** 32 ? this.deps.resumable.take(element.attrs.previd ?? '', fresh.appId, fresh.userId, this.owner) : undefined;
    if (taken) this.deps.observer?.resumed();
    if (!taken) {
      await this.deps.onResumeFailed?.(element.attrs.previd ?? '', fresh.appId, fresh.userId);
      fresh.send(xml('failed', { xmlns: NS.sm }, xml('item-not-found', { xmlns: NS.stanzas })));
      return false;
    }
    // The old connection's last stanza must be counted before we tell the client our h.
    await taken.previous.settled();
    const { session } = taken;
    session.attach(this.connection, fresh.streamTo);
    this.session = session;
    session.sm.acknowledged = h;
    session.sm.unacked.release(h);
    session.send(xml('resumed', { xmlns: NS.sm, h: String(session.sm.inbound), previd: session.sm.id }));
    session.replayUnacked();
    await this.runHooks('resumed', session);
    return true;
  }

  private async runHooks(name: keyof SessionHooks, session: ClientSession): Promise<void> {
    for (const module of this.deps.modules) {
      const hook = module.hooks?.[name];
      if (!hook) continue;
      try {
        await hook(session);
      } catch (error) {
        this.deps.logger.error({ err: error, module: module.meta.id, hook: name, session: session.id }, 'xmpp hook failed');
      }
    }
  }
}

/** The SessionOwner face of a stream (bound methods: no closures per connection). */
function ownerOf(stream: ClientStream): SessionOwner {
  return { release: stream.releaseToResumption.bind(stream), settled: stream.settled.bind(stream), terminate: stream.terminate.bind(stream) };
}
