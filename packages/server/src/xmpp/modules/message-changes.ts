import { occupantJid, userJid } from '@parley/protocol';
import type { Element } from '@xmpp/xml';
import type { MessageChange } from '../../domain/live-chat/edits.js';
import { cloneElement } from '../elements.js';
import type { HandlerResult, RoomAddressee, StanzaContext, UserAddressee, XmppModuleDeps } from '../module.js';
import { stripBlobTokens } from './cc-messages/blob-tokens.js';
import { sendCarbons } from './cc-messages/carbons.js';
import { extraParamsOf } from './cc-messages/extra-params.js';
import { stanzaErrorOf } from './failures.js';
import { roomAudience, sendToEach } from './muc/audience.js';
import { privacyAllows } from './privacy-gate.js';
import { toAddressee } from './delivery.js';

/** The changed message's id (from the `replace`/`remove` child) and the 1-1 stanza's `dialog_id`. */
export function readChange(stanza: Element, child: Element): MessageChange {
  const dialogId = extraParamsOf(stanza)?.getChildText('dialog_id')?.trim();
  return { messageId: String(child.attrs.id ?? ''), ...(dialogId ? { dialogId } : {}) };
}

/**
 * Edits and deletes are applied by the domain first, then routed like a content message of the same
 * type (realtime.md §7.7, §7.8): 1-1 to the recipient's connections (or the offline queue) with sent
 * carbons; group to members and joined connections, the sender's own included. A refused change is
 * bounced (403 for someone else's message) and nothing is routed. Routed copies lose session tokens in
 * links to this server's files, as content messages do.
 */
export function changeRouter(deps: XmppModuleDeps) {
  const { offline } = deps.services;

  async function applied(ctx: StanzaContext, call: () => Promise<unknown>): Promise<boolean> {
    try {
      await call();
      return true;
    } catch (error) {
      const spec = stanzaErrorOf(error);
      if (!spec) throw error;
      ctx.bounce(spec);
      return false;
    }
  }

  return {
    async private(ctx: StanzaContext, stanza: Element, apply: (to: UserAddressee) => Promise<void>): Promise<HandlerResult> {
      const to = ctx.to as UserAddressee;
      // A block (realtime.md §10.5) refuses the change before anything is applied.
      if (!(await privacyAllows(deps.services.privacy, ctx, to.userId, { bounce: true }))) return 'handled';
      if (!(await applied(ctx, () => apply(to)))) return 'handled';
      const copy = cloneElement(stanza);
      stripBlobTokens(copy, deps.services.blobLinks);
      copy.attrs.from = ctx.session.jid;
      const bare = userJid(to.appId, to.userId, ctx.domains.chat);
      const delivered = toAddressee(ctx.router, to, copy);
      if (delivered === 0) {
        copy.attrs.to = bare;
        await offline.keep(to.appId, to.userId, copy.toString());
      }
      sendCarbons(ctx.router, ctx.session, copy, bare);
      return 'handled';
    },
    async group(ctx: StanzaContext, stanza: Element, apply: (to: RoomAddressee) => Promise<number[]>): Promise<HandlerResult> {
      const to = ctx.to as RoomAddressee;
      let audience: number[] = [];
      if (!(await applied(ctx, async () => (audience = await apply(to))))) return 'handled';
      const copy = cloneElement(stanza);
      stripBlobTokens(copy, deps.services.blobLinks);
      copy.attrs.from = occupantJid(to.appId, to.dialogId, ctx.session.userId, ctx.domains.chat);
      sendToEach(ctx.router, roomAudience(ctx.router, deps.rooms, { appId: to.appId, dialogId: to.dialogId }, audience), copy);
      return 'handled';
    },
  };
}
