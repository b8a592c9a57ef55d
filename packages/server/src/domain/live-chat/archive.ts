import type { DialogRecord, DialogRepository } from '../../ports/dialogs.js';
import type { ArchiveCursor, MessageCondition, MessageRecord, MessageRepository } from '../../ports/messages.js';
import { ensure, rights } from '../dialogs/access.js';
import { requireUser, type DialogService } from '../dialogs/service.js';
import type { Actor } from '../shared/actor.js';
import { DomainFailure } from '../shared/failure.js';

/** Most messages one archive page returns (XEP-0313 lets the server cap `max`). */
export const ARCHIVE_MAX_PAGE = 100;
const DEFAULT_PAGE = 50;

/** Which conversation and which window: the private dialog with a user, or a dialog (room) by id. */
export interface ArchiveQuery {
  target: { withUserId: number } | { dialogId: string } | { wholeArchive: true };
  /** Epoch ms bounds on the send date (inclusive). */
  start?: number;
  end?: number;
  /** Page size (capped at ARCHIVE_MAX_PAGE). */
  max?: number;
  /** Message id after which the page starts (forward paging). */
  after?: string;
  /** Message id before which the page ends; '' = the last page (backward paging). */
  before?: string;
}

export interface ArchivePage {
  /** Undefined when there is no such conversation yet (no private dialog with that user), and for the whole archive. */
  dialog: DialogRecord | undefined;
  /** Oldest first. */
  messages: MessageRecord[];
  /** Type of each message's dialog (whole-archive pages mix private and group dialogs). */
  dialogTypes: Map<string, number>;
  /** No more messages in the paging direction. */
  complete: boolean;
  /** Messages in the whole filtered window (RSM `<count/>`). */
  count: number;
}

/**
 * The stored history (the same `messages` as REST) read as a message archive (XEP-0313 over realtime
 * connections): one conversation per query, in `_id` order (server ids grow with time), paged by
 * message id. Reading follows REST: members only, after the caller's clear point, without hidden ones.
 */
export class ArchiveService {
  constructor(
    private readonly store: { messages: MessageRepository; dialogs: DialogRepository },
    private readonly dialogs: DialogService,
  ) {}

  async page(actor: Actor, query: ArchiveQuery): Promise<ArchivePage> {
    const max = Math.min(Math.max(query.max ?? DEFAULT_PAGE, 0), ARCHIVE_MAX_PAGE);
    if ('wholeArchive' in query.target) return this.wholeArchive(actor, query, max);
    const dialog = await this.dialogOf(actor, query.target);
    if (!dialog) return { dialog: undefined, messages: [], dialogTypes: new Map(), complete: true, count: 0 };
    const { member, role, userId } = await this.dialogs.access(actor, dialog.id);
    ensure(rights.read(dialog, role), 'Only members can read this dialog');
    const viewer = { userId, clearedSeq: member?.clearedSeq ?? 0 };
    const window: MessageCondition[] = [];
    if (query.start !== undefined) window.push({ field: 'date_sent', op: 'gte', value: Math.ceil(query.start / 1000) });
    if (query.end !== undefined) window.push({ field: 'date_sent', op: 'lte', value: Math.floor(query.end / 1000) });
    const count = await this.store.messages.count(actor.appId, dialog.id, viewer, window);
    const dialogTypes = new Map([[dialog.id, dialog.type]]);
    if (max === 0) return { dialog, messages: [], dialogTypes, complete: count === 0, count };
    const backward = query.before !== undefined;
    const conditions = [...window];
    if (query.after) conditions.push({ field: '_id', op: 'gt', value: query.after });
    if (query.before) conditions.push({ field: '_id', op: 'lt', value: query.before });
    const rows = await this.store.messages.list(actor.appId, dialog.id, viewer, {
      conditions,
      sort: { field: '_id', direction: backward ? 'desc' : 'asc' },
      limit: max + 1,
      offset: 0,
    });
    const messages = rows.slice(0, max);
    if (backward) messages.reverse();
    return { dialog, messages, dialogTypes, complete: rows.length <= max, count };
  }

  /**
   * Every dialog the user is a member of at once (how standard clients sync: own archive, `start` = last
   * sync), in (date_sent, id) order; one SQL page, never whole histories in memory. RSM ids must be
   * messages this user can read, else NOT_FOUND (XEP-0313 item-not-found).
   */
  private async wholeArchive(actor: Actor, query: ArchiveQuery, max: number): Promise<ArchivePage> {
    const userId = requireUser(actor);
    const window = {
      ...(query.start === undefined ? {} : { start: Math.ceil(query.start / 1000) }),
      ...(query.end === undefined ? {} : { end: Math.floor(query.end / 1000) }),
    };
    const count = await this.store.messages.userArchiveCount(actor.appId, userId, window);
    const after = query.after ? await this.cursor(actor, query.after) : undefined;
    const before = query.before ? await this.cursor(actor, query.before) : undefined;
    if (max === 0) return { dialog: undefined, messages: [], dialogTypes: new Map(), complete: count === 0, count };
    const backward = query.before !== undefined;
    const rows = await this.store.messages.userArchive(actor.appId, userId, {
      ...window,
      ...(after ? { after } : {}),
      ...(before ? { before } : {}),
      newestFirst: backward,
      limit: max + 1,
    });
    const messages = rows.slice(0, max);
    if (backward) messages.reverse();
    const dialogTypes = new Map<string, number>();
    for (const dialogId of new Set(messages.map((message) => message.dialogId))) {
      const dialog = await this.store.dialogs.findById(actor.appId, dialogId);
      if (dialog) dialogTypes.set(dialogId, dialog.type);
    }
    return { dialog: undefined, messages, dialogTypes, complete: rows.length <= max, count };
  }

  /** The (date_sent, id) position of an RSM id: a message of this app in one of the user's dialogs. */
  private async cursor(actor: Actor, messageId: string): Promise<ArchiveCursor> {
    const message = await this.store.messages.findById(actor.appId, messageId.toLowerCase());
    const member = message ? await this.store.dialogs.member(actor.appId, message.dialogId, requireUser(actor)) : undefined;
    if (!message || !member?.isMember) throw new DomainFailure('NOT_FOUND');
    return { dateSent: message.dateSent, id: message.id };
  }

  private async dialogOf(actor: Actor, target: { withUserId: number } | { dialogId: string }): Promise<DialogRecord | undefined> {
    if ('dialogId' in target) return (await this.dialogs.access(actor, target.dialogId)).dialog;
    const userId = requireUser(actor);
    if (target.withUserId === userId) throw new DomainFailure('VALIDATION_FAILED', { fields: { with: ['cannot be yourself'] } });
    return this.store.dialogs.findPrivate(actor.appId, userId, target.withUserId);
  }
}
