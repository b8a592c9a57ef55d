import type { DialogRepository } from '../../ports/dialogs.js';
import type { MessageRepository } from '../../ports/messages.js';
import type { LiveEvents } from '../../ports/live-events.js';
import type { StoredMessageListener } from '../../ports/push-hooks.js';
import type { UserRepository } from '../../ports/store.js';
import type { DialogService } from '../dialogs/service.js';
import type { Clock } from '../shared/actor.js';

/** The repositories the messages domain reads and writes, and nothing more of the store. */
export interface MessageRepositories {
  messages: MessageRepository;
  dialogs: DialogRepository;
  users: UserRepository;
}

/** What the write paths (send, edit, remove, react, mark) share. */
export interface MessageWriteDeps {
  repos: MessageRepositories;
  dialogs: DialogService;
  clock: Clock;
  /** Largest message text (and custom parameters), in bytes, on every face. */
  maxMessageBytes: number;
  /** REST-started messages and changes reach live connections through it (realtime.md §7.3, §7.7–§7.9). */
  live: LiveEvents;
  /** Chat alerts for offline recipients (the push domain), told after each new message is stored. */
  stored: StoredMessageListener;
  /** Refuses (403) an announced 1-1 message across a block (realtime.md §10.5), before anything is stored. */
  ensureNotBlocked(appId: number, senderId: number, recipientId: number): Promise<void>;
}
