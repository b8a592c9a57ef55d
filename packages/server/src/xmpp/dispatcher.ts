import { classifyJid, parseJid } from '@parley/protocol';
import type { Element} from '@xmpp/xml';
import { xml } from '@xmpp/xml';
import type { Logger } from '../ops/logging.js';
import type { Addressee, StanzaContext, StanzaHandler, StanzaKind, StanzaMatch, XmppModule } from './module.js';
import { NS } from './ns.js';
import type { SessionRouter } from './router.js';
import type { ClientSession } from './session.js';
import { bounceOf, type StanzaErrorSpec } from './stanza-errors.js';

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
 * then applies the RFC 6120 defaults to what nobody handled, and counts the stanza for XEP-0198.
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

  async dispatch(session: ClientSession, element: Element): Promise<void> {
    const kind = kindOf(element);
    if (kind === 'nonza') return this.dispatchNonza(session, element);
    try {
      await this.dispatchStanza(session, element, kind);
    } finally {
      // XEP-0198 h: stanzas whose handling finished (errors included), never nonzas.
      if (session.sm.enabled) session.sm.inbound = (session.sm.inbound + 1) >>> 0;
    }
  }

  private async dispatchNonza(session: ClientSession, element: Element): Promise<void> {
    const ctx = this.context(session, element, 'nonza', '', { class: 'none' });
    if (await this.runHandlers(ctx, element)) return;
    session.streamError('unsupported-stanza-type', `<${element.name}/> is not supported`);
  }

  private async dispatchStanza(session: ClientSession, element: Element, kind: Exclude<StanzaKind, 'nonza'>): Promise<void> {
    const requestedTo = element.attrs.to;
    // RFC 6120 §8.1.2.1: the server stamps the sender's full JID.
    element.attrs.from = session.jid;
    const type = element.attrs.type ?? (kind === 'message' ? 'normal' : kind === 'presence' ? 'available' : '');
    const to = requestedTo === undefined ? ({ class: 'none' } as const) : this.addressee(session, requestedTo);
    const ctx = this.context(session, element, kind, type, to);
    if (!to) return ctx.bounce({ condition: 'jid-malformed', text: 'Malformed "to" address' });
    if (kind === 'iq') {
      if (!IQ_TYPES.has(type) || element.attrs.id === undefined) return ctx.bounce({ condition: 'bad-request', text: 'iq needs an id and a valid type' });
      if ((type === 'get' || type === 'set') && element.getChildElements().length !== 1) {
        return ctx.bounce({ condition: 'bad-request', text: 'iq get/set needs exactly one payload' });
      }
    }
    if (await this.runHandlers(ctx, element)) return;
    this.unhandled(ctx, element);
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

  private context(session: ClientSession, element: Element, kind: StanzaKind, type: string, to: Addressee | undefined): StanzaContext {
    const { router, domains, logger, clock } = this.options;
    const replyFrom = element.attrs.to;
    return {
      session,
      router,
      domains,
      kind,
      type,
      id: element.attrs.id ?? '',
      to: to ?? { class: 'other', jid: String(replyFrom) },
      features: this.features,
      logger,
      now: clock,
      send: (out) => session.send(out),
      result: (payload) => {
        const attrs: Record<string, string> = { xmlns: NS.client, type: 'result', id: element.attrs.id ?? '', to: session.jid };
        if (replyFrom !== undefined) attrs.from = replyFrom;
        session.send(payload ? xml('iq', attrs, payload) : xml('iq', attrs));
      },
      bounce: (spec: StanzaErrorSpec) => {
        const reply = bounceOf(element, spec, { from: replyFrom ?? domains.chat, to: session.jid });
        if (reply) session.send(reply);
      },
    };
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
