import { ignoreStoredMessages, type StoredMessageListener } from '../../ports/push-hooks.js';
import type { DialogRecord } from '../../ports/dialogs.js';
import type { MessageReceipts, MessageRecord, MessageRepository, MessageSearch } from '../../ports/messages.js';
import type { LiveEvents } from '../../ports/live-events.js';
import type { UserRecord } from '../../ports/store.js';
import type { BlobLinks } from '../blobs/blob-links.js';
import { ensure, rights } from '../dialogs/access.js';
import { requireUser, type DeleteSummary, type DialogService } from '../dialogs/service.js';
import type { PrivacyService } from '../privacy/service.js';
import type { Actor, Clock } from '../shared/actor.js';
import { throwIfInvalid } from '../shared/failure.js';
import { editMessages, markMessages, reactToMessage, readableMessage, removeMessages } from './changes.js';
import type { ChangeOutcome, EditMessage, MarkMessages, ReactToMessage, RemoveMessages, SendMessage, SentMessage } from './commands.js';
import type { MessageRepositories, MessageWriteDeps } from './deps.js';
import type { ListMessages } from './query.js';
import { sendMessage } from './send.js';

export interface MessageServiceDeps {
  repos: MessageRepositories;
  dialogs: DialogService;
  clock: Clock;
  /** Largest message text (and custom parameters), in bytes. */
  maxMessageBytes: number;
  /** Strips the sender's session token from links to this server's files before anything is stored. */
  blobLinks: BlobLinks;
  /** REST-started messages and changes also reach live connections (realtime.md §7.3, §7.7–§7.9). */
  live: LiveEvents;
  /** The privacy decision an announced (`send_to_chat`) message must pass before anything is stored (realtime.md §10.5). */
  privacy: PrivacyService;
  /** Chat alerts for offline recipients (the push domain), told after each new message is stored. */
  stored?: StoredMessageListener;
}

/** A page of messages with what the presenter needs: receipts, reactions and the dialog type. */
export interface MessagePage {
  dialogType: number;
  messages: MessageRecord[];
  receipts: Map<string, MessageReceipts>;
  reactions: Map<string, { userId: number; reaction: string }[]>;
  /** The effective skip and limit of a history page. */
  window?: { skip: number; limit: number };
}

const PREVIEW_SIZE = 20;

/**
 * The one messages domain (ADR 0013), for REST and XMPP alike: `send`, `edit`, `remove`, `react` and
 * `mark` take an Actor and a typed command; history, search, unread counts and reactions are read here.
 */
export class MessageService {
  private readonly write: MessageWriteDeps;
  private readonly repos: MessageRepositories;

  constructor(private readonly deps: MessageServiceDeps) {
    this.repos = deps.repos;
    this.write = {
      repos: deps.repos,
      dialogs: deps.dialogs,
      clock: deps.clock,
      maxMessageBytes: deps.maxMessageBytes,
      live: deps.live,
      stored: deps.stored ?? ignoreStoredMessages,
      ensureNotBlocked: (appId, senderId, recipientId) => this.ensureNotBlocked(appId, senderId, recipientId),
    };
  }

  async list(actor: Actor, { dialogId, query, preview = false, count = false, markAsRead = true, invalid }: ListMessages): Promise<MessagePage | { count: number; limit: number; skip: number }> {
    const { dialog, member, role, userId } = await this.deps.dialogs.access(actor, dialogId);
    if (preview && role === 'outsider') return this.previewPage(actor.appId, dialog);
    ensure(rights.read(dialog, role), 'Only members can read this dialog');
    throwIfInvalid(invalid);
    const viewer = { userId, clearedSeq: member?.clearedSeq ?? 0 };
    if (count) {
      return { count: await this.repos.messages.count(actor.appId, dialogId, viewer, query.conditions), limit: query.limit, skip: query.offset };
    }
    const messages = await this.repos.messages.list(actor.appId, dialogId, viewer, query);
    if (markAsRead && member?.isMember) {
      const unreadByOthers = messages.filter((message) => message.senderId !== userId).map((message) => message.id);
      if (unreadByOthers.length > 0) await this.repos.messages.mark(actor.appId, dialogId, userId, unreadByOthers, { read: true }, this.deps.clock());
    }
    return { ...(await this.page(actor.appId, dialog.type, messages)), window: { skip: query.offset, limit: query.limit } };
  }

  /** The newest messages of a dialog that allows previews, as an outsider sees them (rest.md §4.14 `preview`). */
  async preview(actor: Actor, dialogId: string): Promise<MessagePage> {
    return this.previewPage(actor.appId, (await this.deps.dialogs.access(actor, dialogId)).dialog);
  }

  private async previewPage(appId: number, dialog: DialogRecord): Promise<MessagePage> {
    ensure(dialog.permissions?.allow_preview === true, 'This dialog does not allow previews');
    const preview = await this.page(appId, dialog.type, await this.repos.messages.latest(appId, dialog.id, PREVIEW_SIZE));
    return { ...preview, window: { skip: 0, limit: PREVIEW_SIZE } };
  }

  /** Sends a message (see `sendMessage`); tokens in links to this server's files are never stored. */
  async send(actor: Actor, command: SendMessage): Promise<SentMessage> {
    const { blobLinks } = this.deps;
    return sendMessage(this.write, actor, { ...command, attachments: blobLinks.stripDeep(command.attachments), custom: blobLinks.stripDeep(command.custom) });
  }

  /** The REST answer to a send: the stored message with its receipts and reactions. */
  async sentPage(actor: Actor, sent: SentMessage): Promise<MessagePage> {
    return this.page(actor.appId, sent.dialog?.type ?? 0, sent.message ? [sent.message] : []);
  }

  edit(actor: Actor, command: EditMessage): Promise<ChangeOutcome> {
    return editMessages(this.write, actor, command);
  }

  remove(actor: Actor, command: RemoveMessages): Promise<DeleteSummary & ChangeOutcome> {
    return removeMessages(this.write, actor, command);
  }

  react(actor: Actor, command: ReactToMessage): Promise<void> {
    return reactToMessage(this.write, actor, command);
  }

  mark(actor: Actor, command: MarkMessages): Promise<boolean> {
    return markMessages(this.write, actor, command);
  }

  /**
   * An announced (`send_to_chat`) message is refused across a 1-1 block like its XMPP twin (realtime.md
   * §10.5), before anything (dialog or message) is stored: 403 instead of the stanza's 503 / 406.
   */
  private async ensureNotBlocked(appId: number, senderId: number, recipientId: number): Promise<void> {
    const verdict = await this.deps.privacy.verdict(appId, senderId, recipientId, 'message');
    if (verdict === 'blocked-by-recipient') ensure(false, 'The recipient does not accept your messages');
    if (verdict === 'blocked-by-sender') ensure(false, 'You have blocked this user');
  }

  /** Unread messages of the caller, in total and per dialog (`dialogIds`: only these; empty = all). */
  async unreadCounts(actor: Actor, dialogIds: string[]): Promise<{ total: number; byDialog: Map<string, number> }> {
    const userId = requireUser(actor);
    return this.repos.messages.unreadCounts(actor.appId, userId, dialogIds);
  }

  async reactions(actor: Actor, messageId: string): Promise<Record<string, number[]>> {
    const { message } = await readableMessage(this.write, actor, messageId);
    const list = (await this.repos.messages.reactions(actor.appId, [message.id])).get(message.id) ?? [];
    const grouped: Record<string, number[]> = {};
    for (const { userId, reaction } of list) (grouped[reaction] ??= []).push(userId);
    return grouped;
  }

  /** Substring search over the caller's dialogs (rest.md §4.21). */
  async search(actor: Actor, search: MessageSearch): Promise<{ dialogs: Awaited<ReturnType<MessageRepository['searchDialogs']>>; messages: MessagePage; users: UserRecord[] }> {
    const userId = requireUser(actor);
    const [dialogs, messages] = await Promise.all([
      this.repos.messages.searchDialogs(actor.appId, userId, search),
      this.repos.messages.search(actor.appId, userId, search),
    ]);
    const senders = [...new Set(messages.map((message) => message.senderId))];
    return {
      dialogs: await this.deps.dialogs.namedFor(actor.appId, userId, dialogs),
      messages: await this.page(actor.appId, 0, messages),
      users: await this.repos.users.findByIds(actor.appId, senders),
    };
  }

  private async page(appId: number, dialogType: number, messages: MessageRecord[]): Promise<MessagePage> {
    const ids = messages.map((message) => message.id);
    const [receipts, reactions] = await Promise.all([this.repos.messages.receipts(appId, ids), this.repos.messages.reactions(appId, ids)]);
    return { dialogType, messages, receipts, reactions };
  }
}
