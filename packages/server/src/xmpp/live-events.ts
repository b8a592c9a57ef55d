import { occupantJid, userJid } from '@parley/protocol';
import { xml, type Element } from '@xmpp/xml';
import type { PrivacyService } from '../domain/privacy/service.js';
import type { DialogEventTarget, LiveEvents } from '../ports/live-events.js';
import { routeStoredContent } from './live-content.js';
import { CALL_MODULE_IDENTIFIER } from '@parley/protocol';
import { appendValue, systemExtraParams } from './modules/cc-system-messages.js';
import type { RoomOccupancy } from './modules/muc/occupancy.js';
import { removeFromRoom } from './modules/muc/removal.js';
import { NS } from './ns.js';
import type { Delivery } from './delivery.js';
import type { SessionRouter } from './router.js';
import type { ClientSession } from './session.js';


export interface RouterLiveEventsDeps {
  router: SessionRouter;
  rooms: RoomOccupancy<ClientSession>;
  chatDomain: string;
  /** The one fan-out (connections, offline queue, carbons, rooms) the XMPP handlers use too. */
  delivery: Delivery;
  /** The one privacy decision (realtime.md §10.5), as for stanzas sent over XMPP. */
  privacy: PrivacyService;
}

const dialogParams = (dialogId: string) => xml('extraParams', { xmlns: NS.client }, xml('dialog_id', {}, dialogId));

/**
 * REST-started live events (ports/live-events.ts) delivered through this node's router: system messages
 * (realtime.md §8), `send_to_chat` messages (§7.3), edits, deletes and reactions (§7.7–§7.9), and room
 * removals (§6.6). Privacy lists apply as to the same stanzas sent over XMPP (§10.5), silently: a REST
 * caller has no stanza to bounce.
 */
export function routerLiveEvents(deps: RouterLiveEventsDeps): LiveEvents {
  const { router, rooms, chatDomain, delivery } = deps;

  /**
   * Private dialogs: `type="chat"` from the actor's bare JID to every available connection of both users
   * (queued for a peer without one when `queue`); groups: `type="groupchat"` from the occupant JID to the
   * members' and joined connections, the actor's included.
   */
  async function toDialog(event: DialogEventTarget, payload: Element[], queue: boolean, options: { groupPrivacy: boolean }): Promise<number> {
    const { appId, dialogId } = event;
    if (event.dialogType !== 3) {
      const stanza = xml('message', { xmlns: NS.client, type: 'groupchat', id: event.id, from: occupantJid(appId, dialogId, event.actorId, chatDomain) }, ...payload);
      const audience = delivery.roomSessions({ appId, dialogId }, event.audience);
      // `muc` deny items cover group messages and reactions; edits and deletes pass as over XMPP.
      const refusers = options.groupPrivacy ? await deps.privacy.groupRefusers(appId, event.actorId, [...audience].map((session) => session.userId)) : new Set<number>();
      return delivery.toEach(audience, stanza, (session) => refusers.has(session.userId));
    }
    const stanza = xml('message', { xmlns: NS.client, type: 'chat', id: event.id, from: userJid(appId, event.actorId, chatDomain) }, ...payload);
    let delivered = 0;
    for (const userId of new Set(event.audience)) {
      // The peer of a 1-1 block gets nothing (neither live nor queued); the actor's own connections do.
      if (userId !== event.actorId && (await deps.privacy.verdict(appId, event.actorId, userId, 'message')) !== 'allow') continue;
      const count = delivery.toUser(appId, userId, stanza);
      delivered += count;
      if (count === 0 && queue && userId !== event.actorId) await delivery.queue(appId, userId, stanza);
    }
    return delivered;
  }

  return {
    async systemMessage(event) {
      // Dropped silently across a block, as over XMPP (realtime.md §10.5).
      if ((await deps.privacy.verdict(event.appId, event.senderId, event.recipientId, 'message')) !== 'allow') return 0;
      const stanza = xml(
        'message',
        { xmlns: NS.client, type: 'headline', id: event.id, from: userJid(event.appId, event.senderId, chatDomain) },
        systemExtraParams(event.extension),
      );
      return delivery.toUser(event.appId, event.recipientId, stanza);
    },
    contentMessage: (event) => routeStoredContent(deps, event),
    async messageEdited(event) {
      const payload = [xml('body', {}, event.body), xml('replace', { xmlns: NS.correction, id: event.messageId, last: 'true' }), dialogParams(event.dialogId)];
      return toDialog(event, payload, true, { groupPrivacy: false });
    },
    async messageDeleted(event) {
      return toDialog(event, [xml('remove', { xmlns: NS.messageDelete, id: event.messageId }), dialogParams(event.dialogId)], true, { groupPrivacy: false });
    },
    async reactionsChanged(event) {
      const reactions = xml('reactions', { message_id: event.messageId, user_id: String(event.actorId) });
      if (event.add !== undefined) reactions.append(xml('reaction', { add: 'true', type: event.add }));
      if (event.remove !== undefined) reactions.append(xml('reaction', { remove: 'true', type: event.remove }));
      return toDialog(event, [dialogParams(event.dialogId), reactions], false, { groupPrivacy: true });
    },
    async occupantsRemoved(event) {
      return removeFromRoom(router, rooms, { appId: event.appId, dialogId: event.dialogId }, chatDomain, event.actorId, event.removed);
    },
    async callSignal(event) {
      // Dropped silently across a block, as call signals over XMPP are (realtime.md §12.3).
      if ((await deps.privacy.verdict(event.appId, event.senderId, event.recipientId, 'message')) !== 'allow') return 0;
      const extra = xml('extraParams', { xmlns: NS.client }, xml('moduleIdentifier', {}, CALL_MODULE_IDENTIFIER));
      for (const [key, value] of event.fields) appendValue(extra, key, value);
      const stanza = xml('message', { xmlns: NS.client, type: 'headline', id: event.id, from: userJid(event.appId, event.senderId, chatDomain) }, extra);
      return delivery.toUser(event.appId, event.recipientId, stanza);
    },
  };
}
