import { parseJid, parseUserLocalPart, userJid } from '@parley/protocol';
import { xml } from '@xmpp/xml';
import { NS } from '../ns.js';
import type { UserAddressee, XmppModule, XmppModuleDeps } from '../module.js';
import type { ClientSession } from '../session.js';

export const NS_STATUS_STREAMING = 'https://connectycube.com/protocol/status_streaming';
/** Ids of the server's pushes; the SDK answers them with errors, which are dropped. */
const PUSH_ID_PREFIX = 'ls-';

/**
 * Last activity (XEP-0012) and ConnectyCube status streaming (realtime.md §9, [R-8], [R-14]): answered by
 * the server on the target's behalf from the presence directory (online → 0) and the stored last-seen
 * time. Subscriptions live on this node's connections (lost with them); a subscriber gets the current
 * value at once, then a push on each online/offline transition of the target: its connections on this
 * node (the hooks below), and in a cluster those on other nodes or a dead node's lapsed lease (the
 * presence directory's online changes).
 */
export function lastActivityModule(deps: XmppModuleDeps): XmppModule {
  const { lastActivity, privacy } = deps.services;
  const { router } = deps;
  /** `appId:userId` of a target → the connections subscribed to it. */
  const subscribers = new Map<string, Set<ClientSession>>();
  /** Connection → the targets it subscribed to (cleaned when it closes). */
  const subscriptions = new Map<ClientSession, Set<string>>();
  let pushCount = 0;

  const keyOf = (appId: number, userId: number) => `${appId}:${userId}`;

  /** Sends `seconds` of the target to one subscriber, unless a privacy list blocks presence between them. */
  async function push(subscriber: ClientSession, appId: number, targetId: number, seconds: number): Promise<void> {
    if ((await privacy.verdict(appId, targetId, subscriber.userId, 'presence')) !== 'allow') return;
    pushCount += 1;
    const iq = xml(
      'iq',
      { xmlns: NS.client, type: 'set', from: userJid(appId, targetId, deps.domains.chat), to: subscriber.jid, id: `${PUSH_ID_PREFIX}${pushCount.toString(36)}` },
      xml('query', { xmlns: NS.lastActivity, seconds: String(seconds) }),
    );
    router.toSession(subscriber, iq);
  }

  async function announce(appId: number, userId: number): Promise<void> {
    const watching = subscribers.get(keyOf(appId, userId));
    if (!watching || watching.size === 0) return;
    const seconds = await lastActivity.secondsOf(appId, userId);
    if (seconds === undefined) return;
    for (const subscriber of [...watching]) await push(subscriber, appId, userId, seconds);
  }

  function unsubscribe(session: ClientSession, key: string): void {
    subscribers.get(key)?.delete(session);
    if (subscribers.get(key)?.size === 0) subscribers.delete(key);
    subscriptions.get(session)?.delete(key);
  }

  deps.services.presence.onOnlineChange((appId, userId, _online, remote) => {
    if (remote) void announce(appId, userId).catch((error: unknown) => deps.logger.warn({ err: error }, 'last activity push failed'));
  });

  const othersAvailable = (session: ClientSession) => router.sessionsOf(session.appId, session.userId).some((other) => other !== session && other.available);

  return {
    meta: { id: 'xep-0012-last-activity', title: 'Last Activity and status streaming', spec: 'XEP-0012', version: '2.0', status: 'complete', notes: 'realtime.md §9; status streaming is the ConnectyCube subscribe IQ.' },
    discoFeatures: [NS.lastActivity],
    handlers: [
      {
        match: { kind: 'iq', type: ['get'], to: ['bare', 'self'], payload: NS.lastActivity, name: 'query' },
        async handle(ctx) {
          const to = ctx.to as UserAddressee;
          const verdict = await privacy.verdict(to.appId, ctx.session.userId, to.userId, 'iq');
          if (verdict !== 'allow') {
            ctx.bounce(verdict === 'blocked-by-recipient' ? { condition: 'forbidden', text: 'Forbidden' } : { condition: 'not-acceptable', text: 'You have blocked this user' });
            return 'handled' as const;
          }
          const seconds = await lastActivity.secondsOf(to.appId, to.userId);
          if (seconds === undefined) ctx.bounce({ condition: 'item-not-found', text: 'The user has never connected to chat' });
          else ctx.result(xml('query', { xmlns: NS.lastActivity, seconds: String(seconds) }));
          return 'handled' as const;
        },
      },
      {
        match: { kind: 'iq', type: ['set'], to: ['none', 'server', 'self'], payload: NS_STATUS_STREAMING, name: 'subscribe' },
        async handle(ctx, stanza) {
          const { session } = ctx;
          const subscribe = stanza.getChild('subscribe');
          const jid = parseJid(String(subscribe?.attrs.user_jid ?? ''));
          const target = jid ? parseUserLocalPart(jid.local) : undefined;
          if (!target || target.appId !== session.appId) {
            ctx.bounce({ condition: 'bad-request', text: 'user_jid must be a user of this application' });
            return 'handled' as const;
          }
          const key = keyOf(target.appId, target.userId);
          if (String(subscribe?.attrs.enable) === 'false') {
            unsubscribe(session, key);
            ctx.result();
            return 'handled' as const;
          }
          ctx.result();
          // Across a privacy block the subscription is silently ignored (realtime.md §9.2).
          if ((await privacy.verdict(target.appId, target.userId, session.userId, 'presence')) !== 'allow') return 'handled' as const;
          if (session.closed) return 'handled' as const;
          let watching = subscribers.get(key);
          if (!watching) subscribers.set(key, (watching = new Set()));
          watching.add(session);
          let own = subscriptions.get(session);
          if (!own) subscriptions.set(session, (own = new Set()));
          own.add(key);
          const seconds = await lastActivity.secondsOf(target.appId, target.userId);
          if (seconds !== undefined) await push(session, target.appId, target.userId, seconds);
          return 'handled' as const;
        },
      },
      {
        // Answers (usually service-unavailable errors from xmpp.js) to the pushes above.
        priority: 10,
        match: { kind: 'iq', type: ['result', 'error'] },
        handle: (ctx) => (ctx.id.startsWith(PUSH_ID_PREFIX) ? 'handled' : 'pass'),
      },
    ],
    hooks: {
      async available(session) {
        await lastActivity.seen(session.appId, session.userId);
        if (!othersAvailable(session)) await announce(session.appId, session.userId);
      },
      async closed(session) {
        for (const key of [...(subscriptions.get(session) ?? [])]) unsubscribe(session, key);
        subscriptions.delete(session);
        if (!session.available) return;
        await lastActivity.seen(session.appId, session.userId);
        if (!othersAvailable(session)) await announce(session.appId, session.userId);
      },
    },
  };
}
