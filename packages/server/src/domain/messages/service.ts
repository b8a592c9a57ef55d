import { isObjectId, newObjectId, parseDateInput, toFlag, toInteger, toList } from '@parley/protocol';
import { ignoreStoredMessages, type StoredMessageListener } from '../../ports/push-hooks.js';
import type { DialogRecord, MessageReceipts, MessageRecord } from '../../ports/chat-store.js';
import type { LiveEvents } from '../../ports/live-events.js';
import { UniqueViolation, type Store, type UserRecord } from '../../ports/store.js';
import type { BlobLinks } from '../blobs/blob-links.js';
import { ensure, rights } from '../dialogs/access.js';
import { asObject } from '../dialogs/input.js';
import { requireUser, type DeleteSummary, type DialogService } from '../dialogs/service.js';
import { dialogAudience } from '../live-chat/audience.js';
import { dialogEventTarget } from '../live-chat/broadcasts.js';
import type { PrivacyService } from '../privacy/service.js';
import type { Actor, Clock } from '../shared/actor.js';
import { DomainFailure } from '../shared/failure.js';
import { readMessageInput } from './input.js';
import { MESSAGE_MAX_LIMIT, parseMessageQuery } from './query.js';
import { readList } from '../shared/lists.js';
import { capDateSent } from '../shared/date-sent.js';

export interface MessageServiceOptions {
  /** Largest message text (and custom parameters), in bytes. */
  maxMessageBytes: number;
  /** Strips the sender's session token from links to this server's files before anything is stored. */
  blobLinks: BlobLinks;
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

/** Messages over REST (rest.md §4.13–§4.21): history, sending, marks, edits, deletes, reactions, search. */
export class MessageService {
  constructor(
    private readonly store: Store,
    private readonly dialogs: DialogService,
    private readonly clock: Clock,
    private readonly options: MessageServiceOptions,
    /** Edits, forced deletes, reactions and `send_to_chat` messages also reach live connections (realtime.md §7.3, §7.7–§7.9). */
    private readonly live: LiveEvents,
    /** The privacy decision a `send_to_chat` message must pass before anything is stored (realtime.md §10.5). */
    private readonly privacy: PrivacyService,
    /** Chat alerts for offline recipients (the push domain), told after each new message is stored. */
    private readonly stored: StoredMessageListener = ignoreStoredMessages,
  ) {}

  async list(actor: Actor, params: Record<string, unknown>): Promise<MessagePage | { count: number; limit: number; skip: number }> {
    const dialogId = params.chat_dialog_id;
    if (typeof dialogId !== 'string' || dialogId === '') throw invalid('chat_dialog_id', 'cannot be blank');
    const { dialog, member, role, userId } = await this.dialogs.access(actor, dialogId);
    if (toFlag(params.preview) && role === 'outsider') {
      ensure(dialog.permissions?.allow_preview === true, 'This dialog does not allow previews');
      const preview = await this.page(actor.appId, dialog.type, await this.store.messages.latest(actor.appId, dialogId, PREVIEW_SIZE));
      return { ...preview, window: { skip: 0, limit: PREVIEW_SIZE } };
    }
    ensure(rights.read(dialog, role), 'Only members can read this dialog');
    const query = parseMessageQuery(params);
    const viewer = { userId, clearedSeq: member?.clearedSeq ?? 0 };
    if (toFlag(params.count)) {
      return { count: await this.store.messages.count(actor.appId, dialogId, viewer, query.conditions), limit: query.limit, skip: query.offset };
    }
    const messages = await this.store.messages.list(actor.appId, dialogId, viewer, query);
    if ((toFlag(params.mark_as_read) ?? true) && member?.isMember) {
      const unreadByOthers = messages.filter((message) => message.senderId !== userId).map((message) => message.id);
      if (unreadByOthers.length > 0) await this.store.messages.mark(actor.appId, dialogId, userId, unreadByOthers, { read: true }, this.clock());
    }
    return { ...(await this.page(actor.appId, dialog.type, messages)), window: { skip: query.offset, limit: query.limit } };
  }

  /** Stores a message; a client-chosen `_id` that exists already returns the stored one (idempotent resend). */
  async create(actor: Actor, body: unknown): Promise<MessagePage> {
    const userId = requireUser(actor);
    const read = readMessageInput(asObject(body), this.options.maxMessageBytes);
    const { blobLinks } = this.options;
    const input = { ...read, attachments: blobLinks.stripDeep(read.attachments), custom: blobLinks.stripDeep(read.custom) };
    let dialogId = input.dialogId;
    const resent = input.id === undefined ? undefined : await this.store.messages.findById(actor.appId, input.id);
    if (dialogId === undefined) {
      const recipientId = input.recipientId ?? 0;
      if (recipientId === userId) throw invalid('recipient_id', 'cannot be yourself');
      if ((await this.store.users.findByIds(actor.appId, [recipientId])).length === 0) throw invalid('recipient_id', 'is not a user of this application');
      const existing = await this.store.dialogs.findPrivate(actor.appId, userId, recipientId);
      // Checked before the private dialog is created, so a refused message creates nothing.
      if (resent && resent.dialogId !== existing?.id) throw invalid('_id', 'is already used by another message');
      if (input.sendToChat) await this.ensureNotBlocked(actor.appId, userId, recipientId);
      dialogId = (await this.dialogs.create(actor, { type: 3, occupants_ids: [recipientId] })).dialog.id;
    }
    const { dialog, role } = await this.dialogs.access(actor, dialogId);
    ensure(rights.post(dialog, role), 'You are not allowed to post in this dialog');
    const now = this.clock();
    const recipientId = dialog.type === 3 ? (dialog.occupantIds.find((id) => id !== userId) ?? 0) : 0;
    if (input.sendToChat && dialog.type === 3) await this.ensureNotBlocked(actor.appId, userId, recipientId);
    let stored: { message: MessageRecord; created: boolean };
    try {
      stored = await this.store.messages.create({
        id: input.id ?? newObjectId(now),
        appId: actor.appId,
        dialogId,
        senderId: userId,
        recipientId,
        body: input.body,
        dateSent: input.dateSent === undefined ? Math.floor(now / 1000) : capDateSent(input.dateSent, now),
        attachments: input.attachments,
        custom: input.custom,
        markable: input.markable,
        createdAt: now,
        updatedAt: now,
      });
    } catch (error) {
      if (error instanceof UniqueViolation) throw invalid('_id', 'is already used by another message');
      throw error;
    }
    if (stored.created && !input.silent) this.stored.messageStored(actor.appId, dialog, stored.message);
    // Routed only once stored, with the stored id, date and dialog (rest.md §4.15 send_to_chat).
    if (input.sendToChat) {
      await this.live.contentMessage({ dialogType: dialog.type, audience: await dialogAudience(this.store, actor.appId, dialog), message: stored.message, stored: stored.created });
    }
    return this.page(actor.appId, dialog.type, [stored.message]);
  }

  /**
   * A `send_to_chat` message is refused across a 1-1 block like its XMPP twin (realtime.md §10.5), before
   * anything (dialog or message) is stored: 403 instead of the stanza's 503 / 406.
   */
  private async ensureNotBlocked(appId: number, senderId: number, recipientId: number): Promise<void> {
    const verdict = await this.privacy.verdict(appId, senderId, recipientId, 'message');
    if (verdict === 'blocked-by-recipient') ensure(false, 'The recipient does not accept your messages');
    if (verdict === 'blocked-by-sender') ensure(false, 'You have blocked this user');
  }

  /** Read/delivered marks and text edits; no ids means every message of the dialog (rest.md §4.16). */
  async update(actor: Actor, messageIds: string[] | undefined, body: unknown): Promise<void> {
    const input = asObject(body);
    const read = toFlag(input.read) ?? false;
    const delivered = toFlag(input.delivered) ?? false;
    const text = input.message;
    if (text !== undefined && typeof text !== 'string') throw invalid('message', 'must be a string');
    if (typeof text === 'string' && Buffer.byteLength(text) > this.options.maxMessageBytes) {
      throw invalid('message', `is too long (maximum is ${this.options.maxMessageBytes} bytes)`);
    }
    // Named messages must exist (and share one dialog) before anything changes.
    const named = messageIds === undefined ? undefined : await this.existing(actor, messageIds);
    const dialogId = typeof input.chat_dialog_id === 'string' && input.chat_dialog_id !== '' ? input.chat_dialog_id : named?.[0]?.dialogId;
    if (dialogId === undefined) throw invalid('chat_dialog_id', 'cannot be blank');
    if (named?.some((message) => message.dialogId !== dialogId)) throw new DomainFailure('CHAT_NOT_FOUND');
    const { dialog, role, userId } = await this.dialogs.access(actor, dialogId);
    ensure(rights.read(dialog, role));
    if (typeof text === 'string') {
      const targets = named ?? [];
      if (targets.length === 0) throw invalid('message', 'editing needs message ids');
      ensure(targets.every((message) => message.senderId === userId), 'Only the sender can edit a message');
      for (const message of targets) await this.store.messages.updateBody(actor.appId, message.id, text, this.clock());
      // Parley choice: a REST edit is announced like an XMPP one (compat-notes).
      for (const message of targets) await this.live.messageEdited({ ...(await dialogEventTarget(this.store, actor.appId, dialog, userId, message.id, this.clock())), body: text });
    }
    if (read || delivered) {
      await this.store.messages.mark(actor.appId, dialogId, userId, messageIds, { read, delivered }, this.clock());
    }
  }

  /** Hides for the caller, or with `force` deletes for everyone where allowed (rest.md §4.17). */
  async delete(actor: Actor, messageIds: string[], force: boolean): Promise<DeleteSummary> {
    const summary: DeleteSummary = { deleted: [], notFound: [], wrongPermissions: [] };
    const found = new Map((await this.store.messages.findByIds(actor.appId, messageIds.filter(isObjectId))).map((message) => [message.id, message]));
    const byDialog = new Map<string, MessageRecord[]>();
    for (const id of messageIds) {
      const message = found.get(id);
      if (!message) summary.notFound.push(id);
      else byDialog.set(message.dialogId, [...(byDialog.get(message.dialogId) ?? []), message]);
    }
    for (const [dialogId, messages] of byDialog) {
      const { dialog, role, userId } = await this.dialogs.access(actor, dialogId);
      if (!rights.read(dialog, role)) {
        summary.notFound.push(...messages.map((message) => message.id));
        continue;
      }
      const allowed = force ? messages.filter((message) => message.senderId === userId || rights.deleteAnyMessage(dialog, role)) : messages;
      summary.wrongPermissions.push(...messages.filter((message) => !allowed.includes(message)).map((message) => message.id));
      const ids = allowed.map((message) => message.id);
      if (force) {
        await this.store.messages.deleteForEveryone(actor.appId, dialogId, ids);
        for (const id of ids) await this.live.messageDeleted(await dialogEventTarget(this.store, actor.appId, dialog, userId, id, this.clock()));
      } else await this.store.messages.hideFor(actor.appId, dialogId, userId, ids);
      summary.deleted.push(...ids);
    }
    return summary;
  }

  async unreadCounts(actor: Actor, params: Record<string, unknown>): Promise<{ total: number; byDialog: Map<string, number> }> {
    const userId = requireUser(actor);
    const dialogIds = readList(params.chat_dialog_ids ?? params.dialogs_ids, 'chat_dialog_ids');
    return this.store.messages.unreadCounts(actor.appId, userId, dialogIds.filter(isObjectId));
  }

  async react(actor: Actor, messageId: string, body: unknown): Promise<void> {
    const input = asObject(body);
    const change: { add?: string; remove?: string } = {};
    for (const key of ['add', 'remove'] as const) {
      const value = input[key];
      if (value === undefined || value === null) continue;
      if (typeof value !== 'string' || value.length === 0 || value.length > 32) throw invalid(key, 'must be a reaction of 1 to 32 characters');
      change[key] = value;
    }
    if (!change.add && !change.remove) throw invalid('base', 'add or remove is required');
    const { message, dialog } = await this.readable(actor, messageId);
    const userId = requireUser(actor);
    await this.store.messages.react(actor.appId, message.id, userId, change, this.clock());
    await this.live.reactionsChanged({ ...(await dialogEventTarget(this.store, actor.appId, dialog, userId, message.id, this.clock())), ...change });
  }

  async reactions(actor: Actor, messageId: string): Promise<Record<string, number[]>> {
    const { message } = await this.readable(actor, messageId);
    const list = (await this.store.messages.reactions(actor.appId, [message.id])).get(message.id) ?? [];
    const grouped: Record<string, number[]> = {};
    for (const { userId, reaction } of list) (grouped[reaction] ??= []).push(userId);
    return grouped;
  }

  /** Substring search over the caller's dialogs (rest.md §4.21). */
  async search(actor: Actor, params: Record<string, unknown>): Promise<{ dialogs: Awaited<ReturnType<Store['messages']['searchDialogs']>>; messages: MessagePage; users: UserRecord[] }> {
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
      this.store.messages.searchDialogs(actor.appId, userId, search),
      this.store.messages.search(actor.appId, userId, search),
    ]);
    const senders = [...new Set(messages.map((message) => message.senderId))];
    return {
      dialogs: await this.dialogs.namedFor(actor.appId, userId, dialogs),
      messages: await this.page(actor.appId, 0, messages),
      users: await this.store.users.findByIds(actor.appId, senders),
    };
  }

  private async page(appId: number, dialogType: number, messages: MessageRecord[]): Promise<MessagePage> {
    const ids = messages.map((message) => message.id);
    const [receipts, reactions] = await Promise.all([this.store.messages.receipts(appId, ids), this.store.messages.reactions(appId, ids)]);
    return { dialogType, messages, receipts, reactions };
  }

  private async readable(actor: Actor, messageId: string): Promise<{ message: MessageRecord; dialog: DialogRecord }> {
    const message = isObjectId(messageId) ? await this.store.messages.findById(actor.appId, messageId) : undefined;
    if (!message) throw new DomainFailure('CHAT_NOT_FOUND');
    const { dialog, role } = await this.dialogs.access(actor, message.dialogId);
    ensure(rights.read(dialog, role));
    return { message, dialog };
  }

  /** The addressed messages; any unknown id is a 404 and nothing changes. */
  private async existing(actor: Actor, messageIds: string[]): Promise<MessageRecord[]> {
    const messages = await this.store.messages.findByIds(actor.appId, messageIds.filter(isObjectId));
    if (messageIds.length === 0 || messages.length !== new Set(messageIds).size) {
      throw new DomainFailure('CHAT_NOT_FOUND');
    }
    return messages;
  }
}
