import { xml } from '@xmpp/xml';
import { NS } from '../ns.js';
import type { XmppModule, XmppModuleDeps } from '../module.js';

const SUBSCRIPTION_TYPES = ['subscribe', 'subscribed', 'unsubscribe', 'unsubscribed', 'probe'];

/**
 * realtime.md §6.1: initial presence makes the resource available (1-1 delivery, REST `users.listOnline`),
 * echoed to the user's own resources; no roster, no presence broadcast to other users; the connection
 * leaves the presence directory when it closes or sends `unavailable`.
 */
export function presenceModule(deps: XmppModuleDeps): XmppModule {
  const { presence } = deps.services;
  return {
    meta: { id: 'presence', title: 'Presence and online state (no roster)', spec: 'RFC 6121', status: 'partial', notes: 'No roster, no subscriptions, no presence broadcast (realtime.md §6.1).' },
    handlers: [
      {
        match: { kind: 'presence', type: ['available'], to: ['none', 'self'] },
        async handle(ctx) {
          const { session } = ctx;
          await session.becomeAvailable();
          const echo = xml('presence', { xmlns: NS.client, from: session.jid, to: session.bareJid });
          for (const own of ctx.router.sessionsOf(session.appId, session.userId)) if (own.available) ctx.router.toSession(own, echo);
          return 'handled' as const;
        },
      },
      {
        match: { kind: 'presence', type: ['unavailable'], to: ['none', 'self'] },
        async handle(ctx) {
          const { session } = ctx;
          if (session.available) {
            session.available = false;
            await presence.disconnected(session.appId, session.userId, session.id);
          }
          return 'handled' as const;
        },
      },
      {
        // Subscriptions and presence directed at other users are dropped: there is no roster.
        priority: -100,
        match: { kind: 'presence', to: ['bare', 'full', 'self', 'server', 'none', 'other'] },
        handle: () => 'handled',
      },
      {
        match: { kind: 'presence', type: SUBSCRIPTION_TYPES },
        handle: () => 'handled',
      },
      {
        match: { kind: 'iq', type: ['get', 'set'], to: ['none', 'self'], payload: NS.roster, name: 'query' },
        handle(ctx) {
          ctx.result(ctx.type === 'get' ? xml('query', { xmlns: NS.roster }) : undefined);
          return 'handled' as const;
        },
      },
    ],
    hooks: {
      async available(session) {
        await presence.connected(session.appId, session.userId, session.id);
        // markInactive may come before the initial presence.
        if (session.inactive) await presence.setInactive(session.appId, session.userId, session.id, true);
      },
      async closed(session) {
        if (session.available) await presence.disconnected(session.appId, session.userId, session.id);
      },
      // XEP-0198: a session waiting for resumption is not online for REST (and chat alerts are pushed).
      async detached(session) {
        if (session.available) await presence.disconnected(session.appId, session.userId, session.id);
      },
      async resumed(session) {
        if (!session.available) return;
        await presence.connected(session.appId, session.userId, session.id);
        if (session.inactive) await presence.setInactive(session.appId, session.userId, session.id, true);
      },
    },
  };
}
