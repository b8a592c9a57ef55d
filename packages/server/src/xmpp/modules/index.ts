import type { XmppModule, XmppModuleDeps } from '../module.js';
import { messagesModule } from './cc-messages/index.js';
import { systemMessagesModule } from './cc-system-messages.js';
import { mucModule } from './muc/index.js';
import { messageDeleteModule } from './cc-message-delete.js';
import { messageCorrectionModule } from './xep-0308-message-correction.js';
import { offlineModule } from './xep-0160-offline.js';
import { chatStatesModule } from './xep-0085-chat-states.js';
import { chatMarkersModule } from './xep-0333-chat-markers.js';
import { bindModule } from './rfc6120-bind.js';
import { presenceModule } from './presence.js';
import { discoModule } from './xep-0030-disco.js';
import { pingModule } from './xep-0199-ping.js';
import { streamManagementModule } from './xep-0198-stream-management.js';
import { carbonsModule } from './xep-0280-carbons.js';
import { clientStateModule } from './xep-0352-csi.js';
import { mamModule } from './xep-0313-mam.js';
import { lastActivityModule } from './xep-0012-last-activity.js';
import { privacyModule } from './xep-0016-privacy.js';
import { callSignallingModule } from './cc-call-signalling.js';

/** Session plumbing: binding, presence/online state, ping, stream management, carbons flag, CSI, disco. */
export function coreModules(deps: XmppModuleDeps): XmppModule[] {
  return [bindModule(), presenceModule(deps), pingModule(), streamManagementModule(deps), carbonsModule(), clientStateModule(deps), discoModule(deps)];
}

/**
 * Chat features (messages, MUC, markers, typing, system messages, offline …). Add a module here: one file
 * in this folder exporting `fooModule(deps): XmppModule`, then list it below.
 */
export function chatModules(deps: XmppModuleDeps): XmppModule[] {
  // Room occupancy is shared: group messages and typing also reach connections joined to a room.
  const { rooms } = deps;
  return [
    messageCorrectionModule(deps),
    messageDeleteModule(deps),
    messagesModule(deps),
    offlineModule(deps),
    chatMarkersModule(deps),
    chatStatesModule(deps),
    systemMessagesModule(deps),
    mucModule(deps, rooms),
    mamModule(deps),
    lastActivityModule(deps),
    privacyModule(deps),
    callSignallingModule(deps),
  ];
}

/** Every module, in the order equal-priority handlers run. */
export function allModules(deps: XmppModuleDeps): XmppModule[] {
  return [...coreModules(deps), ...chatModules(deps)];
}
