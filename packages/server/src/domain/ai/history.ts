import type { MessageRecord } from '../../ports/messages.js';
import type { UserRepository } from '../../ports/store.js';
import { ensure, rights } from '../dialogs/access.js';
import type { DialogService } from '../dialogs/service.js';
import type { ArchiveService } from '../live-chat/archive.js';
import type { MessageService } from '../messages/service.js';
import type { Actor } from '../shared/actor.js';
import type { TranscriptEntry } from './prompts.js';

const PAGE = 100;
/** One message longer than this is cut: a single huge message must not crowd out the rest. */
const MAX_MESSAGE_CHARS = 4000;

export interface HistoryWindow {
  /** Epoch ms; messages sent before it are left out. Undefined = the whole history. */
  since: number | undefined;
  maxMessages: number;
  maxChars: number;
}

export interface ReadableHistory {
  entries: TranscriptEntry[];
  /** Id of the newest message read (the cache key's "last message"), '' when none. */
  lastMessageId: string;
}

/**
 * The messages of a dialog the caller may read, newest `maxMessages` of the window, through the chat
 * domain's own reads: the archive for members (and anyone in a public dialog), the preview for outsiders
 * of an `allow_preview` dialog; everyone else gets the chat 403, unknown and other apps' dialogs the 404.
 */
export class HistoryReader {
  constructor(
    private readonly dialogs: DialogService,
    private readonly archive: ArchiveService,
    private readonly messages: MessageService,
    private readonly users: Pick<UserRepository, 'findByIds'>,
  ) {}

  async read(actor: Actor, dialogId: string, window: HistoryWindow): Promise<ReadableHistory> {
    const { dialog, role, userId } = await this.dialogs.access(actor, dialogId);
    let records: MessageRecord[];
    if (rights.read(dialog, role)) {
      records = await this.newestInWindow(actor, dialogId, window);
    } else {
      ensure(dialog.permissions?.allow_preview === true, 'Only members can read this dialog');
      const preview = await this.messages.preview(actor, dialogId);
      const since = window.since === undefined ? 0 : Math.ceil(window.since / 1000);
      records = preview.messages.filter((message) => message.dateSent >= since).slice(-window.maxMessages);
      records.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    }
    records = keepWithin(records, window.maxChars);
    const senders = await this.users.findByIds(actor.appId, [...new Set(records.map((message) => message.senderId))]);
    const names = new Map(senders.map((user) => [user.id, user.fullName || user.login || `user ${user.id}`]));
    const entries = records.map((message, index): TranscriptEntry => {
      const text = message.body ?? '';
      const attachments = message.attachments.map((attachment) => (typeof attachment.type === 'string' ? attachment.type : 'file'));
      return {
        n: index + 1,
        sender: names.get(message.senderId) ?? `user ${message.senderId}`,
        from_me: message.senderId === userId,
        sent_at: new Date(message.dateSent * 1000).toISOString(),
        text: text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}…` : text,
        ...(attachments.length > 0 ? { attachments } : {}),
      };
    });
    return { entries, lastMessageId: records[records.length - 1]?.id ?? '' };
  }

  /** Pages backwards from the newest message until the window or the cap ends; oldest first. */
  private async newestInWindow(actor: Actor, dialogId: string, window: HistoryWindow): Promise<MessageRecord[]> {
    const collected: MessageRecord[] = [];
    let before = '';
    for (;;) {
      const max = Math.min(PAGE, window.maxMessages - collected.length);
      if (max <= 0) break;
      const page = await this.archive.page(actor, { target: { dialogId }, ...(window.since === undefined ? {} : { start: window.since }), max, before });
      collected.unshift(...page.messages);
      if (page.complete || page.messages.length === 0) break;
      before = page.messages[0]!.id;
    }
    return collected;
  }
}

/** Drops the oldest messages until the text fits the character budget (the newest always stays). */
function keepWithin(records: MessageRecord[], maxChars: number): MessageRecord[] {
  let total = 0;
  let start = records.length;
  while (start > 0) {
    const size = Math.min((records[start - 1]!.body ?? '').length, MAX_MESSAGE_CHARS);
    if (total + size > maxChars && start < records.length) break;
    total += size;
    start -= 1;
  }
  return records.slice(start);
}
