import type { Element } from '@xmpp/xml';
import type { XmppModule, XmppModuleDeps } from '../module.js';
import { NS } from '../ns.js';
import { changeRouter, changedMessageId } from './message-changes.js';

/** Runs before `cc-messages`, like the correction module. */
const BEFORE_CONTENT = 10;

/**
 * Message deletion (realtime.md §7.8, `chat.deleteMessage`): the sender, or an owner/admin of a group
 * dialog, deletes the message for everyone; then the stanza is routed like an edit.
 */
export function messageDeleteModule(deps: XmppModuleDeps): XmppModule {
  const { messages } = deps.services;
  const route = changeRouter(deps);
  const command = (stanza: Element) => ({ messageIds: [changedMessageId(stanza.getChild('remove', NS.messageDelete))], forEveryone: true, announce: false });
  return {
    meta: { id: 'cc-message-delete', title: 'Message deletion for everyone', spec: 'ConnectyCube', status: 'complete', notes: 'realtime.md §7.8; the same stanza is emitted by a forced REST delete.' },
    handlers: [
      {
        match: { kind: 'message', type: ['chat'], to: ['bare', 'full'], payload: NS.messageDelete, name: 'remove' },
        priority: BEFORE_CONTENT,
        handle: (ctx, stanza) => route.private(ctx, stanza, (to) => messages.remove(ctx.session.actor, { ...command(stanza), route: to })),
      },
      {
        match: { kind: 'message', type: ['groupchat'], to: ['room'], payload: NS.messageDelete, name: 'remove' },
        priority: BEFORE_CONTENT,
        handle: (ctx, stanza) => route.group(ctx, stanza, (to) => messages.remove(ctx.session.actor, { ...command(stanza), route: to })),
      },
    ],
  };
}
