import type { Element } from '@xmpp/xml';
import type { XmppModule, XmppModuleDeps } from '../module.js';
import { NS } from '../ns.js';
import { changeRouter, changedMessageId } from './message-changes.js';

/** Runs before `cc-messages`: a replace stanza has a body but is not a new message. */
const BEFORE_CONTENT = 10;

/**
 * Message correction (realtime.md §7.7, `chat.editMessage`): only the sender may edit; the stored text
 * changes, then the stanza is routed like a content message of its type (no push).
 */
export function messageCorrectionModule(deps: XmppModuleDeps): XmppModule {
  const { messages } = deps.services;
  const route = changeRouter(deps);
  const command = (stanza: Element) => ({ messageIds: [changedMessageId(stanza.getChild('replace', NS.correction))], body: stanza.getChildText('body') ?? '', announce: false });
  return {
    meta: { id: 'xep-0308', title: 'Last message correction (edits)', spec: 'XEP-0308', version: '1.2', status: 'partial', notes: 'realtime.md §7.7: any stored message of the sender, not only the last one; extension keys are routed, not stored.' },
    discoFeatures: [NS.correction],
    handlers: [
      {
        match: { kind: 'message', type: ['chat'], to: ['bare', 'full'], payload: NS.correction, name: 'replace' },
        priority: BEFORE_CONTENT,
        handle: (ctx, stanza) => route.private(ctx, stanza, (to) => messages.edit(ctx.session.actor, { ...command(stanza), route: to })),
      },
      {
        match: { kind: 'message', type: ['groupchat'], to: ['room'], payload: NS.correction, name: 'replace' },
        priority: BEFORE_CONTENT,
        handle: (ctx, stanza) => route.group(ctx, stanza, (to) => messages.edit(ctx.session.actor, { ...command(stanza), route: to })),
      },
    ],
  };
}
