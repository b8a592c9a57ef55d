import { isObjectId, parseDateInput, toFlag, toInteger, toList } from '@parley/protocol';
import { ignoreStoredMessages, type StoredMessageListener } from '../../ports/push-hooks.js';
import type { DialogRecord } from '../../ports/dialogs.js';
import type { MessageReceipts, MessageRecord, MessageRepository } from '../../ports/messages.js';
import type { LiveEvents } from '../../ports/live-events.js';
import type { UserRecord } from '../../ports/store.js';
import type { BlobLinks } from '../blobs/blob-links.js';
import { ensure, rights } from '../dialogs/access.js';
import { requireUser, type DeleteSummary, type DialogService } from '../dialogs/service.js';
import type { PrivacyService } from '../privacy/service.js';
import type { Actor, Clock } from '../shared/actor.js';
import { DomainFailure } from '../shared/failure.js';
import { readList } from '../shared/lists.js';
import { editMessages, markMessages, reactToMessage, readableMessage, removeMessages } from './changes.js';
import type { ChangeOutcome, EditMessage, MarkMessages, ReactToMessage, RemoveMessages, SendMessage, SentMessage } from './commands.js';
import type { MessageRepositories, MessageWriteDeps } from './deps.js';
import { MESSAGE_MAX_LIMIT, parseMessageQuery } from './query.js';
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
const MAX_SEARCH_DIALOGS = 10;
const MAX_SEARCH_RANGE_MS = 92 * 24 * 3600 * 1000;
const MIN_SEARCH_TEXT = 4;

function invalid(field: string, message: string): DomainFailure {
  return new DomainFailure('VALIDATION_FAILED', { fields: { [field]: [message] } });
}

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

  async list(actor: Actor, params: Record<string, unknown>): Promise<MessagePage | { count: number; limit: number; skip: number }> {
    const dialogId = params.chat_dialog_id;
    if (typeof dialogId !== 'string' || dialogId === '') throw invalid('chat_dialog_id', 'cannot be blank');
    const { dialog, member, role, userId } = await this.deps.dialogs.access(actor, dialogId);
    if (toFlag(params.preview) && role === 'outsider') return this.previewPage(actor.appId, dialog);
    ensure(rights.read(dialog, role), 'Only members can read this dialog');
    const query = parseMessageQuery(params);
    const viewer = { userId, clearedSeq: member?.clearedSeq ?? 0 };
    if (toFlag(params.count)) {
      return { count: await this.repos.messages.count(actor.appId, dialogId, viewer, query.conditions), limit: query.limit, skip: query.offset };
    }
    const messages = await this.repos.messages.list(actor.appId, dialogId, viewer, query);
    if ((toFlag(params.mark_as_read) ?? true) && member?.isMember) {
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

  async unreadCounts(actor: Actor, params: Record<string, unknown>): Promise<{ total: number; byDialog: Map<string, number> }> {
    const userId = requireUser(actor);
    const dialogIds = readList(params.chat_dialog_ids ?? params.dialogs_ids, 'chat_dialog_ids');
    return this.repos.messages.unreadCounts(actor.appId, userId, dialogIds.filter(isObjectId));
  }

  async reactions(actor: Actor, messageId: string): Promise<Record<string, number[]>> {
    const { message } = await readableMessage(this.write, actor, messageId);
    const list = (await this.repos.messages.reactions(actor.appId, [message.id])).get(message.id) ?? [];
    const grouped: Record<string, number[]> = {};
    for (const { userId, reaction } of list) (grouped[reaction] ??= []).push(userId);
    return grouped;
  }

  /** Substring search over the caller's dialogs (rest.md §4.21). */
  async search(actor: Actor, params: Record<string, unknown>): Promise<{ dialogs: Awaited<ReturnType<MessageRepository['searchDialogs']>>; messages: MessagePage; users: UserRecord[] }> {
    const userId = requireUser(actor);
    const text = params.search_text;
    if (typeof text !== 'string' || text.length < MIN_SEARCH_TEXT) throw invalid('search_text', `must be at least ${MIN_SEARCH_TEXT} characters`);
    const dialogIds = params.chat_dialog_ids === undefined ? undefined : toList(params.chat_dialog_ids);
    if (dialogIds && dialogIds.length > MAX_SEARCH_DIALOGS) throw invalid('chat_dialog_ids', `at most ${MAX_SEARCH_DIALOGS} dialogs`);
    const newest = params.start_date === undefined ? undefined : parseDateInput(params.start_date);
    const oldest = params.end_date === undefined ? undefined : parseDateInput(params.end_date);
    if (params.start_date !== undefined && newest === undefined) throw invalid('start_date', 'is not a date');
    if (params.end_date !== undefined && oldest === undefined) throw invalid('end_date', 'is not a date');
    if (newest !== undefined && oldest === undefined) throw invalid('end_date', 'is required with start_date');
    if (newest !== undefined && oldest !== undefined && newest - oldest > MAX_SEARCH_RANGE_MS) throw invalid('start_date', 'the range may span at most 3 months');
    const limit = Math.min(Math.max(toInteger(params.limit) ?? MESSAGE_MAX_LIMIT, 1), MESSAGE_MAX_LIMIT);
    const search = { text, limit, ...(dialogIds ? { dialogIds: dialogIds.filter(isObjectId) } : {}), ...(oldest !== undefined ? { from: oldest } : {}), ...(newest !== undefined ? { to: newest } : {}) };
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
