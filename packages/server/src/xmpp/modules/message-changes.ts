import { occupantJid } from '@parley/protocol';
import type { Element } from '@xmpp/xml';
import type { ChangeOutcome, ChangeRoute } from '../../domain/messages/commands.js';
import { cloneElement } from '../elements.js';
import type { HandlerResult, RoomAddressee, StanzaContext, StanzaHandler, UserAddressee, XmppModuleDeps } from '../module.js';
import { stripBlobTokens } from './cc-messages/blob-tokens.js';
import { orBounce } from './failures.js';
import { privacyAllows } from './privacy-gate.js';

/** Change handlers run before `cc-messages`: a replace stanza has a body but is not a new message. */
const BEFORE_CONTENT = 10;

/** The changed message's id, from the `replace`/`remove` child. */
export function changedMessageId(child: Element | undefined): string {
  return String(child?.attrs.id ?? '');
}

/**
 * Edits and deletes are applied by the messages domain first, then routed like a content message of the
 * same type (realtime.md §7.7, §7.8): 1-1 to the recipient's connections (or the offline queue) with sent
 * carbons; group to members and joined connections, the sender's own included. A refused change is
 * bounced (403 for someone else's message) and nothing is routed. Routed copies lose session tokens in
 * links to this server's files, as content messages do.
 */
export function changeRouter(deps: XmppModuleDeps) {
  const { delivery } = deps;

  function copyOf(stanza: Element, from: string): Element {
    const copy = cloneElement(stanza);
    stripBlobTokens(copy, deps.services.blobLinks);
    copy.attrs.from = from;
    return copy;
  }

  return {
    async private(ctx: StanzaContext, stanza: Element, apply: (route: ChangeRoute) => Promise<ChangeOutcome>): Promise<HandlerResult> {
      const to = ctx.to as UserAddressee;
      // A block (realtime.md §10.5) refuses the change before anything is applied.
      if (!(await privacyAllows(deps.services.privacy, ctx, to.userId, { bounce: true }))) return 'handled';
      if (!(await orBounce(ctx, () => apply({ recipientId: to.userId })))) return 'handled';
      const { session } = ctx;
      await delivery.toRecipient({
        appId: to.appId,
        recipientId: to.userId,
        ...(to.class === 'full' ? { resource: to.resource } : {}),
        stanza: copyOf(stanza, session.jid),
        queue: true,
        carbonsFor: { appId: session.appId, userId: session.userId, bareJid: session.bareJid, except: session },
      });
      return 'handled';
    },
    async group(ctx: StanzaContext, stanza: Element, apply: (route: ChangeRoute) => Promise<ChangeOutcome>): Promise<HandlerResult> {
      const to = ctx.to as RoomAddressee;
      const outcome = await orBounce(ctx, () => apply({ roomId: to.dialogId }));
      if (!outcome) return 'handled';
      const copy = copyOf(stanza, occupantJid(to.appId, to.dialogId, ctx.session.userId, ctx.domains.chat));
      delivery.toEach(delivery.roomSessions({ appId: to.appId, dialogId: to.dialogId }, outcome.audience), copy);
      return 'handled';
    },
  };
}

/**
 * The 1-1 and the group handler of one kind of change stanza (the child `name` in `payload`'s namespace):
 * `apply` makes the change in the messages domain for the route, then `changeRouter` routes the stanza.
 */
export function changeHandlers(
  deps: XmppModuleDeps,
  child: { payload: string; name: string },
  apply: (ctx: StanzaContext, stanza: Element, route: ChangeRoute) => Promise<ChangeOutcome>,
): StanzaHandler[] {
  const route = changeRouter(deps);
  return [
    {
      match: { kind: 'message', type: ['chat'], to: ['bare', 'full'], ...child },
      priority: BEFORE_CONTENT,
      handle: (ctx, stanza) => route.private(ctx, stanza, (to) => apply(ctx, stanza, to)),
    },
    {
      match: { kind: 'message', type: ['groupchat'], to: ['room'], ...child },
      priority: BEFORE_CONTENT,
      handle: (ctx, stanza) => route.group(ctx, stanza, (to) => apply(ctx, stanza, to)),
    },
  ];
}
