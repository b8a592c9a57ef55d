import type { DialogRecord } from './dialogs.js';
import type { MessageRecord } from './messages.js';
import type { UserRecord } from './store.js';

/**
 * Told about every message newly saved to history that is not `silent`, after its commit, whichever
 * face sent it (REST or XMPP). The push domain turns it into chat alerts for recipients who are offline or inactive.
 *
 * Guarantees: `messageStored` returns at once and never throws; the work it starts runs off the
 * message path (a slow provider or store never delays the sender's acknowledgement).
 */
export interface StoredMessageListener {
  messageStored(appId: number, dialog: DialogRecord, message: MessageRecord): void;
}

export const ignoreStoredMessages: StoredMessageListener = { messageStored: () => undefined };

/**
 * Told about every user newly created (sign-up, or a first login that creates the user), after its
 * commit. The push domain sends "contact joined" pushes. Same guarantees: returns at once, never throws.
 */
export interface UserJoinedListener {
  userJoined(appId: number, user: UserRecord): void;
}

export const ignoreJoinedUsers: UserJoinedListener = { userJoined: () => undefined };
