import parse from '@xmpp/xml/lib/parse.js';
import type { Element } from '@xmpp/xml';
import { xml } from '@xmpp/xml';
import { NS } from '../ns.js';
import type { XmppModule, XmppModuleDeps } from '../module.js';
import type { ClientSession } from '../session.js';
import { hasContent } from './cc-messages/extra-params.js';

export const STREAM_MANAGEMENT_META = {
  id: 'xep-0198-stream-management',
  title: 'Stream Management',
  spec: 'XEP-0198',
  version: '1.6.2',
  status: 'complete',
  notes: 'Acks both ways (server `<r/>` after every burst); resumption with `resume="true"` within `xmppResumeWindow` on the same node; unacknowledged 1-1 content messages go to the offline queue when a session ends. Parked sessions are capped per user, app and node (the oldest ends) and buffer no presence; unacknowledged bytes per session are capped (`xmppMaxUnackedBytes`).',
} as const;

/**
 * XEP-0198 (realtime.md §11.1): `<enable/>` → `<enabled/>` (with `id`, `resume`, `max` when the client
 * asked for resumption), `<r/>` → `<a h/>` where h counts the client's stanzas whose handlers completed
 * (handlers that store messages resolve after the commit, so an ack means "stored"). Client `<a h/>`
 * releases the session's resend buffer; `<resume/>` itself is taken by the stream (client-stream.ts)
 * before binding. When a session ends, what it never acknowledged of 1-1 content goes back to the
 * offline queue (§7.10), so nothing is lost without resumption either.
 */
export function streamManagementModule(deps?: XmppModuleDeps): XmppModule {
  return {
    meta: { ...STREAM_MANAGEMENT_META },
    handlers: [
      {
        match: { kind: 'nonza', payload: NS.sm, name: 'enable' },
        handle(ctx, element) {
          const { session } = ctx;
          const { sm } = session;
          if (sm.enabled) {
            ctx.send(xml('failed', { xmlns: NS.sm }, xml('unexpected-request', { xmlns: NS.stanzas })));
            return 'handled';
          }
          Object.assign(sm, { enabled: true, inbound: 0, outbound: 0, acknowledged: 0 });
          const wantsResume = element.attrs.resume === 'true' || element.attrs.resume === '1';
          const resumption = wantsResume ? session.enableResumption() : undefined;
          if (resumption) {
            sm.id = resumption.id;
            ctx.send(xml('enabled', { xmlns: NS.sm, id: resumption.id, resume: 'true', max: String(resumption.maxSeconds) }));
          } else {
            ctx.send(xml('enabled', { xmlns: NS.sm }));
          }
          return 'handled';
        },
      },
      {
        match: { kind: 'nonza', payload: NS.sm, name: 'r' },
        handle(ctx) {
          if (ctx.session.sm.enabled) ctx.send(xml('a', { xmlns: NS.sm, h: String(ctx.session.sm.inbound) }));
          return 'handled';
        },
      },
      {
        match: { kind: 'nonza', payload: NS.sm, name: 'a' },
        handle(ctx, element) {
          const h = Number(element.attrs.h);
          // realtime.md §11.1: an inconsistent h never fails the stream, it only releases the buffer.
          if (!Number.isInteger(h) || h < 0 || h >= 2 ** 32) return 'handled';
          ctx.session.sm.acknowledged = h;
          ctx.session.sm.unacked.release(h);
          return 'handled';
        },
      },
      {
        // A `<resume/>` after binding, or a second one: XEP-0198 §5 answers `<failed/>`.
        match: { kind: 'nonza', payload: NS.sm, name: 'resume' },
        handle(ctx) {
          ctx.send(xml('failed', { xmlns: NS.sm }, xml('unexpected-request', { xmlns: NS.stanzas })));
          return 'handled';
        },
      },
    ],
    hooks: {
      async closed(session) {
        if (!deps) return;
        const lost = unackedContent(session);
        for (const payload of lost) await deps.services.offline.keep(session.appId, session.userId, payload);
      },
    },
  };
}

/** The session's unacknowledged 1-1 content messages, as offline-queue payloads (bare `to`, no delay). */
function unackedContent(session: ClientSession): string[] {
  const payloads: string[] = [];
  for (const item of session.sm.unacked.takeAll()) {
    if (!item.text.startsWith('<message')) continue;
    let stanza: Element;
    try {
      stanza = parse(item.text);
    } catch {
      continue;
    }
    if (stanza.attrs.type !== 'chat' || !hasContent(stanza)) continue;
    // A flushed offline copy carries a delay; the next flush adds its own.
    stanza.children = stanza.children.filter((child) => typeof child === 'string' || !(child.name === 'delay' && child.attrs.xmlns === NS.delay));
    stanza.attrs.to = session.bareJid;
    payloads.push(stanza.toString());
  }
  return payloads;
}
