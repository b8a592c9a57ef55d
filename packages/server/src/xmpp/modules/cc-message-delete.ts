import type { XmppModule, XmppModuleDeps } from '../module.js';
import { NS } from '../ns.js';
import { changeHandlers, changedMessageId } from './message-changes.js';

/**
 * Message deletion (realtime.md §7.8, `chat.deleteMessage`): the sender, or an owner/admin of a group
 * dialog, deletes the message for everyone; then the stanza is routed like an edit.
 */
export function messageDeleteModule(deps: XmppModuleDeps): XmppModule {
  const { messages } = deps.services;
  return {
    meta: { id: 'cc-message-delete', title: 'Message deletion for everyone', spec: 'ConnectyCube', status: 'complete', notes: 'realtime.md §7.8; the same stanza is emitted by a forced REST delete.' },
    handlers: changeHandlers(deps, { payload: NS.messageDelete, name: 'remove' }, (ctx, stanza, route) =>
      messages.remove(ctx.session.actor, { messageIds: [changedMessageId(stanza.getChild('remove', NS.messageDelete))], forEveryone: true, announce: false, route }),
    ),
  };
}
