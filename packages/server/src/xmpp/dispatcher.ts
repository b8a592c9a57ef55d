import { classifyJid, parseJid } from '@parley/protocol';
import type { Element} from '@xmpp/xml';
import { xml } from '@xmpp/xml';
import type { Logger } from '../ops/logging.js';
import type { Addressee, StanzaContext, StanzaHandler, StanzaKind, StanzaMatch, XmppModule } from './module.js';
import { NS } from './ns.js';
import type { SessionRouter } from './router.js';
import type { ClientSession } from './session.js';
import { bounceOf, type StanzaErrorSpec } from './stanza-errors.js';
import type { PipelineOrder } from './stanza-pipeline.js';

export interface DispatcherOptions {
  modules: readonly XmppModule[];
  router: SessionRouter;
  domains: { chat: string; muc: string };
  logger: Logger;
  clock: () => number;
}

const IQ_TYPES = new Set(['get', 'set', 'result', 'error']);

/**
 * Routes one element of a bound session to the first module handler that takes it (docs/stanza-routing.md),
 * then applies the RFC 6120 defaults to what nobody handled; a prepared stanza counts itself for XEP-0198.
 */
export class StanzaDispatcher {
  private readonly handlers: StanzaHandler[];
  readonly features: readonly string[];

  constructor(private readonly options: DispatcherOptions) {
    const ordered = options.modules.flatMap((module, m) => (module.handlers ?? []).map((handler, h) => ({ handler, m, h })));
    ordered.sort((a, b) => (b.handler.priority ?? 0) - (a.handler.priority ?? 0) || a.m - b.m || a.h - b.h);
    this.handlers = ordered.map((entry) => entry.handler);
    this.features = [...new Set(options.modules.flatMap((module) => module.discoFeatures ?? []))].sort();
  }

  /**
   * Looks at an element in arrival order, before handling it: what it addresses, and whether its handler
   * may overlap the connection's neighbouring stanzas (ADR 0022). `run` handles it.
   */
  prepare(session: ClientSession, element: Element): PreparedStanza {
    const kind = kindOf(element);
    if (kind === 'nonza') return new PreparedStanza(this, this.context(session, element, 'nonza', '', { class: 'none' }), element, false, false);
    const requestedTo = element.attrs.to;
    // RFC 6120 §8.1.2.1: the server stamps the sender's full JID.
    element.attrs.from = session.jid;
    const type = element.attrs.type ?? (kind === 'message' ? 'normal' : kind === 'presence' ? 'available' : '');
    const to = requestedTo === undefined ? ({ class: 'none' } as const) : this.addressee(session, requestedTo);
    const ctx = this.context(session, element, kind, type, to);
    return new PreparedStanza(this, ctx, element, to !== undefined && kind === 'message' && this.pipelined(ctx, element), to === undefined);
  }

  /** Handles a prepared element; a stanza then counts for XEP-0198 (`PreparedStanza.count`). */
  async handle(ctx: StanzaContext, element: Element, malformedTo: boolean): Promise<void> {
    if (ctx.kind === 'nonza') {
      if (await this.runHandlers(ctx, element)) return;
      return ctx.session.streamError('unsupported-stanza-type', `<${element.name}/> is not supported`);
    }
    if (malformedTo) return ctx.bounce({ condition: 'jid-malformed', text: 'Malformed "to" address' });
    if (ctx.kind === 'iq') {
      const { type } = ctx;
      if (!IQ_TYPES.has(type) || element.attrs.id === undefined) return ctx.bounce({ condition: 'bad-request', text: 'iq needs an id and a valid type' });
      if ((type === 'get' || type === 'set') && element.getChildElements().length !== 1) {
        return ctx.bounce({ condition: 'bad-request', text: 'iq get/set needs exactly one payload' });
      }
    }
    if (await this.runHandlers(ctx, element)) return;
    this.unhandled(ctx, element);
  }

  /** True when the first handler that will not pass the stanza says it may be pipelined. */
  private pipelined(ctx: StanzaContext, element: Element): boolean {
    for (const handler of this.handlers) {
      if (!matches(handler.match, ctx, element)) continue;
      const mode = handler.mode?.(element) ?? 'serial';
      if (mode !== 'pass') return mode === 'pipelined';
    }
    return false;
  }

  /** RFC 6120 §8.5 / §10 defaults and realtime.md §11.4 for stanzas no module took. */
  private unhandled(ctx: StanzaContext, element: Element): void {
    const { kind, type, to } = ctx;
    if (kind === 'iq' && to.class === 'full' && (type === 'get' || type === 'set' || type === 'result' || type === 'error')) {
      const target = this.options.router.sessionByResource(to.appId, to.userId, to.resource);
      if (target) {
        target.send(element);
        return;
      }
      // In a cluster the resource may be (available) on another node.
      const remote = this.options.router.remoteSessionsOf(to.appId, to.userId).find((session) => session.resource === to.resource);
      if (remote && this.options.router.toSession(remote, element)) return;
      return ctx.bounce({ condition: 'service-unavailable' });
    }
    if (kind === 'iq' && (type === 'get' || type === 'set')) {
      return ctx.bounce(to.class === 'other' ? { condition: 'item-not-found' } : { condition: 'service-unavailable' });
    }
    if (kind === 'message' && to.class === 'other' && type !== 'error' && type !== 'headline') {
      return ctx.bounce({ condition: 'item-not-found', text: 'Unknown recipient' });
    }
    // Messages and presences nobody handles are dropped (RFC 6120 §10.3 allows silent discard).
    this.options.logger.debug({ session: ctx.session.id, kind, type, to: to.class }, 'xmpp stanza ignored');
  }

  private async runHandlers(ctx: StanzaContext, element: Element): Promise<boolean> {
    for (const handler of this.handlers) {
      if (!matches(handler.match, ctx, element)) continue;
      if ((await handler.handle(ctx, element)) === 'handled') return true;
    }
    return false;
  }

  private addressee(session: ClientSession, to: string): Addressee | undefined {
    const jid = parseJid(to);
    if (!jid) return undefined;
    const target = classifyJid(jid, this.options.domains);
    switch (target.kind) {
      case 'server':
        return { class: 'server', jid: to };
      case 'muc-service':
        return { class: 'muc-service', jid: to };
      case 'user': {
        if (target.appId !== session.appId) return { class: 'other', jid: to };
        const own = target.userId === session.userId && (target.resource === '' || target.resource === session.resource);
        const cls = own ? 'self' : target.resource === '' ? 'bare' : 'full';
        return { class: cls, jid: to, appId: target.appId, userId: target.userId, resource: target.resource };
      }
      case 'room':
        if (target.appId !== session.appId) return { class: 'other', jid: to };
        return { class: target.occupant === '' ? 'room' : 'occupant', jid: to, appId: target.appId, dialogId: target.dialogId, occupant: target.occupant };
      default:
        // The host the client opened its stream to (e.g. 127.0.0.1) also names the server.
        if (jid.local === '' && jid.resource === '' && session.streamTo !== '' && jid.domain === session.streamTo.toLowerCase()) {
          return { class: 'server', jid: to };
        }
        return { class: 'other', jid: to };
    }
  }

  private context(session: ClientSession, element: Element, kind: StanzaKind, type: string, to: Addressee | undefined): DispatchContext {
    return new DispatchContext(this.options, this.features, session, element, kind, type, to);
  }
}

/**
 * The context of one stanza. A class, so its functions live on the prototype: closures built per
 * stanza cost an allocation each, and under tsx (esbuild keepNames) every named closure also gets a
 * `defineProperty('name')` — about 0.4 µs and a property array per closure.
 */
class DispatchContext implements StanzaContext {
  /** Set when the stanza is pipelined (ADR 0022): output waits until every earlier stanza was handled. */
  order: PipelineOrder | undefined;
  /** Output held until `inTurn`. */
  private held: Element[] | undefined;
  readonly router: SessionRouter;
  readonly domains: { readonly chat: string; readonly muc: string };
  readonly logger: Logger;
  readonly id: string;
  readonly to: Addressee;
  private readonly clock: () => number;
  /** The address the client wrote to: `from` of replies. */
  private readonly replyFrom: string | undefined;

  constructor(
    options: DispatcherOptions,
    readonly features: readonly string[],
    readonly session: ClientSession,
    private readonly element: Element,
    readonly kind: StanzaKind,
    readonly type: string,
    to: Addressee | undefined,
  ) {
    this.router = options.router;
    this.domains = options.domains;
    this.logger = options.logger;
    this.clock = options.clock;
    this.replyFrom = element.attrs.to;
    this.id = element.attrs.id ?? '';
    this.to = to ?? { class: 'other', jid: String(this.replyFrom) };
  }

  now(): number {
    return this.clock();
  }

  get writeOrder(): PipelineOrder | undefined {
    return this.order;
  }

  async inTurn(): Promise<void> {
    if (this.order && !this.order.reached) await this.order.earlier();
    if (!this.held) return;
    const held = this.held;
    this.held = undefined;
    for (const out of held) this.session.send(out);
  }

  send(out: Element): boolean {
    if (this.held || (this.order && !this.order.reached)) {
      (this.held ??= []).push(out);
      return true;
    }
    return this.session.send(out);
  }

  result(payload?: Element): void {
    const attrs: Record<string, string> = { xmlns: NS.client, type: 'result', id: this.element.attrs.id ?? '', to: this.session.jid };
    if (this.replyFrom !== undefined) attrs.from = this.replyFrom;
    this.send(payload ? xml('iq', attrs, payload) : xml('iq', attrs));
  }

  bounce(spec: StanzaErrorSpec): void {
    const reply = bounceOf(this.element, spec, { from: this.replyFrom ?? this.domains.chat, to: this.session.jid });
    if (reply) this.send(reply);
  }
}

/** One element of a connection, looked at in arrival order and ready to be handled. */
export class PreparedStanza {
  constructor(
    private readonly dispatcher: StanzaDispatcher,
    private readonly ctx: DispatchContext,
    private readonly element: Element,
    /** Its handler may overlap the connection's neighbouring stanzas (ADR 0022). */
    readonly pipelined: boolean,
    private readonly malformedTo: boolean,
  ) {}

  /** Handles it; a pipelined stanza keeps its place through `order` and ends after every earlier one. */
  async run(order?: PipelineOrder): Promise<void> {
    this.ctx.order = order;
    try {
      await this.dispatcher.handle(this.ctx, this.element, this.malformedTo);
    } finally {
      if (order) {
        // It writes nothing more (a refused message never wrote): the next one's write need not wait.
        order.handedIn();
        await this.ctx.inTurn();
      }
    }
  }

  /** XEP-0198 h, called in arrival order once handled (errors included): stanzas count, nonzas never. */
  count(): void {
    const { session } = this.ctx;
    if (this.ctx.kind !== 'nonza' && session.sm.enabled) session.sm.inbound = (session.sm.inbound + 1) >>> 0;
  }
}

function kindOf(element: Element): StanzaKind {
  const ns = element.attrs.xmlns;
  if ((ns === undefined || ns === NS.client) && (element.name === 'message' || element.name === 'presence' || element.name === 'iq')) return element.name;
  return 'nonza';
}

function matches(match: StanzaMatch, ctx: StanzaContext, element: Element): boolean {
  if (match.kind !== ctx.kind) return false;
  if (match.type && !match.type.includes(ctx.type)) return false;
  if (match.to && !match.to.includes(ctx.to.class)) return false;
  if (ctx.kind === 'nonza') {
    if (match.payload !== undefined && element.attrs.xmlns !== match.payload) return false;
    if (match.name !== undefined && element.name !== match.name) return false;
    return true;
  }
  if (match.payload === undefined && match.name === undefined) return true;
  const children = element.getChildElements();
  if (ctx.kind === 'iq') {
    const payload = children[0];
    if (!payload || children.length !== 1) return false;
    return childMatches(payload, match);
  }
  return children.some((child) => childMatches(child, match));
}

function childMatches(child: Element, match: StanzaMatch): boolean {
  if (match.payload !== undefined && child.attrs.xmlns !== match.payload) return false;
  if (match.name !== undefined && child.name !== match.name) return false;
  return true;
}
