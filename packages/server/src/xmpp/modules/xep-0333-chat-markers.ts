import { userJid } from '@parley/protocol';
import type { Element } from '@xmpp/xml';
import { cloneElement } from '../elements.js';
import type { UserAddressee, XmppModule, XmppModuleDeps } from '../module.js';
import { stanzaErrorOf } from './failures.js';
import { privacyAllows } from './privacy-gate.js';
import { resourceOf } from '../delivery.js';
import { NS } from '../ns.js';


/**
 * Delivered/read markers (realtime.md §7.6): stored first (the marker's sender joins `delivered_ids`, or
 * `read_ids` and `delivered_ids`, when the message exists in that dialog), then routed to the target's
 * available connections plus sent carbons. Never queued offline, never answered with errors.
 */
export function chatMarkersModule(deps: XmppModuleDeps): XmppModule {
  const { messages, privacy } = deps.services;
  return {
    meta: { id: 'xep-0333-chat-markers', title: 'Chat Markers (received, displayed)', spec: 'XEP-0333', version: '0.4', status: 'partial', notes: 'received and displayed update read/delivered state; acknowledged is routed only.' },
    discoFeatures: [NS.chatMarkers],
    handlers: [
      {
        priority: 10,
        match: { kind: 'message', type: ['chat'], to: ['bare', 'full'], payload: NS.chatMarkers },
        // A content message that is only `markable` is the messages module's.
        mode: (stanza) => (markerOf(stanza) ? 'serial' : 'pass'),
        async handle(ctx, stanza) {
          const marker = markerOf(stanza);
          if (!marker) return 'pass';
          const to = ctx.to as UserAddressee;
          if (!(await privacyAllows(privacy, ctx, to.userId, { bounce: false }))) return 'handled';
          const dialogId = stanza.getChild('extraParams')?.getChildText('dialog_id')?.trim();
          const messageId = marker.attrs.id;
          if (dialogId && messageId && marker.name !== 'acknowledged') {
            const read = marker.name === 'displayed';
            try {
              await messages.mark(ctx.session.actor, { dialogId: dialogId.toLowerCase(), messageIds: [messageId], read, delivered: true, strict: false });
            } catch (error) {
              // A marker that cannot apply is still routed; only unexpected errors propagate.
              if (!stanzaErrorOf(error)) throw error;
            }
          }
          const copy = cloneElement(stanza);
          copy.attrs.from = ctx.session.jid;
          deps.delivery.toUser(to.appId, to.userId, copy, resourceOf(to));
          const { session } = ctx;
          deps.delivery.carbons({ appId: session.appId, userId: session.userId, bareJid: session.bareJid, except: session }, copy, userJid(to.appId, to.userId, ctx.domains.chat));
          return 'handled';
        },
      },
    ],
  };
}

function markerOf(stanza: Element): Element | undefined {
  return stanza.getChildElements().find((child) => child.attrs.xmlns === NS.chatMarkers && ['received', 'displayed', 'acknowledged'].includes(child.name));
}
