import type { XmppModule, XmppModuleDeps } from '../module.js';
import { NS } from '../ns.js';
import { changeHandlers, changedMessageId } from './message-changes.js';

/**
 * Message correction (realtime.md §7.7, `chat.editMessage`): only the sender may edit; the stored text
 * changes, then the stanza is routed like a content message of its type (no push).
 */
export function messageCorrectionModule(deps: XmppModuleDeps): XmppModule {
  const { messages } = deps.services;
  return {
    meta: { id: 'xep-0308', title: 'Last message correction (edits)', spec: 'XEP-0308', version: '1.2', status: 'partial', notes: 'realtime.md §7.7: any stored message of the sender, not only the last one; extension keys are routed, not stored.' },
    discoFeatures: [NS.correction],
    handlers: changeHandlers(deps, { payload: NS.correction, name: 'replace' }, (ctx, stanza, route) =>
      messages.edit(ctx.session.actor, { messageIds: [changedMessageId(stanza.getChild('replace', NS.correction))], body: stanza.getChildText('body') ?? '', announce: false, route }),
    ),
  };
}
