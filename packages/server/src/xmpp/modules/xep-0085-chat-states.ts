import { occupantJid } from '@parley/protocol';
import { cloneElement } from '../elements.js';
import type { Addressee, XmppModule, XmppModuleDeps } from '../module.js';
import { hasContent } from './cc-messages/extra-params.js';
import { stanzaErrorOf } from './failures.js';
import { groupPrivacyFilter, privacyAllows } from './privacy-gate.js';
import { resourceOf } from '../delivery.js';
import { NS } from '../ns.js';

/**
 * Typing notifications (realtime.md §7.5): routed only — 1-1 to the recipient's available connections,
 * group to members and joined connections except the typist's own ([R-11]); never stored, queued,
 * pushed or carbon-copied, never answered with errors. Content messages carrying a state are left to
 * the messages module.
 */
export function chatStatesModule(deps: XmppModuleDeps): XmppModule {
  const { liveChat, privacy } = deps.services;
  return {
    meta: { id: 'xep-0085-chat-states', title: 'Chat State Notifications (typing)', spec: 'XEP-0085', version: '2.1', status: 'complete' },
    discoFeatures: [NS.chatStates],
    handlers: [
      {
        priority: 5,
        match: { kind: 'message', type: ['chat', 'groupchat'], payload: NS.chatStates },
        mode: (stanza) => (hasContent(stanza) ? 'pass' : 'serial'),
        async handle(ctx, stanza) {
          if (hasContent(stanza)) return 'pass';
          const copy = cloneElement(stanza);
          const to: Addressee = ctx.to;
          if (ctx.type === 'chat' && (to.class === 'bare' || to.class === 'full')) {
            if (!(await privacyAllows(privacy, ctx, to.userId, { bounce: false }))) return 'handled';
            copy.attrs.from = ctx.session.jid;
            deps.delivery.toUser(to.appId, to.userId, copy, resourceOf(to));
          } else if (ctx.type === 'groupchat' && to.class === 'room') {
            let members: number[];
            try {
              members = await liveChat.audienceOf(ctx.session.actor, to.dialogId);
            } catch (error) {
              if (stanzaErrorOf(error)) return 'handled';
              throw error;
            }
            copy.attrs.from = occupantJid(to.appId, to.dialogId, ctx.session.userId, ctx.domains.chat);
            const typist = ctx.session.userId;
            const audience = deps.delivery.roomSessions({ appId: to.appId, dialogId: to.dialogId }, members);
            const refused = await groupPrivacyFilter(privacy, ctx, audience);
            deps.delivery.toEach(audience, copy, (session) => session.userId === typist || refused(session));
          }
          return 'handled';
        },
      },
    ],
  };
}
