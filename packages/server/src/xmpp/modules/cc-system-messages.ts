import { Element, xml } from '@xmpp/xml';
import { cloneElement } from '../elements.js';
import type { HandlerResult, UserAddressee, XmppModule, XmppModuleDeps } from '../module.js';
import { NS } from '../ns.js';
import { privacyAllows } from './privacy-gate.js';
import { stripBlobTokens } from './cc-messages/blob-tokens.js';
import { resourceOf } from '../delivery.js';

const SYSTEM_NOTIFICATIONS = 'SystemNotifications';

/** A value of a system message's extension as extraParams children: scalars as text, objects (and arrays) nested. */
export function appendValue(parent: Element, key: string, value: unknown): void {
  const child = new Element(key);
  if (value !== null && typeof value === 'object') {
    for (const [nestedKey, nested] of Object.entries(value as Record<string, unknown>)) appendValue(child, nestedKey, nested);
  } else if (value !== null && value !== undefined) {
    child.children.push(String(value));
  }
  parent.append(child);
}

/** `<extraParams>` with `moduleIdentifier` first, as the SDK expects of system notifications. */
export function systemExtraParams(extension: Record<string, unknown>): Element {
  const extra = xml('extraParams', { xmlns: NS.client }, xml('moduleIdentifier', {}, SYSTEM_NOTIFICATIONS));
  for (const [key, value] of Object.entries(extension)) appendValue(extra, key, value);
  return extra;
}

/**
 * System messages (realtime.md §8): headlines to a user's available connections with `from` stamped;
 * never stored, queued, carbon-copied or pushed. A headline without extraParams gets
 * `moduleIdentifier=SystemNotifications`, or the SDK would drop it. Rooms are refused.
 */
export function systemMessagesModule(deps: XmppModuleDeps): XmppModule {
  const { privacy } = deps.services;
  return {
    meta: { id: 'cc-system-messages', title: 'System notifications (headline messages)', spec: 'ConnectyCube', status: 'complete', notes: 'realtime.md §8 and REST POST /chat/Message/system.' },
    handlers: [
      {
        match: { kind: 'message', type: ['headline'], to: ['room', 'occupant', 'muc-service'] },
        handle(ctx) {
          ctx.bounce({ condition: 'bad-request', text: 'System messages to group chats are not supported' });
          return 'handled';
        },
      },
      {
        match: { kind: 'message', type: ['headline'], to: ['bare', 'full', 'self'] },
        async handle(ctx, stanza): Promise<HandlerResult> {
          const to = ctx.to as UserAddressee;
          // Blocked system messages and call signals are dropped silently (realtime.md §10.5, §12.3).
          if (!(await privacyAllows(privacy, ctx, to.userId, { bounce: false }))) return 'handled';
          const copy = cloneElement(stanza);
          copy.attrs.from = ctx.session.jid;
          stripBlobTokens(copy, deps.services.blobLinks);
          if (!copy.getChild('extraParams')) copy.append(systemExtraParams({}));
          deps.delivery.toUser(to.appId, to.userId, copy, resourceOf(to));
          return 'handled';
        },
      },
    ],
  };
}
