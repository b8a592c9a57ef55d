import { newObjectId } from '@parley/protocol';
import type { DialogRecord, DialogView, MemberState } from '../../ports/dialogs.js';
import type { LiveEvents } from '../../ports/live-events.js';
import { UniqueViolation, type Store, type UserRecord } from '../../ports/store.js';
import type { Actor, Clock } from '../shared/actor.js';
import { DomainFailure, addError, throwIfInvalid, type FieldErrors } from '../shared/failure.js';
import { chatNotFound, ensure, rights, roleIn, type DialogRole } from './access.js';
import type { ChangeAdmins, CreateDialog, ExtensionsInput, ListDialogs, OccupantsPage, SetChanges, SetNotifications, UpdateDialog } from './commands.js';
import { MAX_ADMINS, keepExtensions, withExtensionErrors } from './extensions.js';
import { withPrivateNames } from './private-names.js';

export interface DialogAccess {
  dialog: DialogRecord;
  member: MemberState | undefined;
  role: DialogRole;
  userId: number;
}

export interface DeleteSummary {
  deleted: string[];
  notFound: string[];
  wrongPermissions: string[];
}

/** A new dialog's fields, decoded. */
interface DialogDraft {
  type: DialogRecord['type'];
  name: string | null;
  description: string | null;
  photo: string | null;
  /** Members besides the creator. */
  occupants: number[];
  admins: number[];
  extensions: DialogRecord['extensions'];
  permissions: DialogRecord['permissions'];
}

const noChanges: SetChanges = { occupants: [], admins: [], pinned: [] };

export function requireUser(actor: Actor): number {
  if (actor.userId === null) throw new DomainFailure('NEED_USER');
  return actor.userId;
}

/** Dialogs (rest.md §4.1–§4.12): who may see and change what, and the effects on membership. */
export class DialogService {
  constructor(
    /** Only the repositories dialogs use. */
    private readonly store: Pick<Store, 'dialogs' | 'messages' | 'users' | 'dialogFields'>,
    private readonly clock: Clock,
    /** Users leaving a group dialog (or its deletion) also leave its live room (realtime.md §6.6). */
    private readonly live: LiveEvents,
    /** Whether a user may join a meeting's chat (type 5): invited, or the meeting is public; undefined = no meeting. */
    private readonly meetingChatAccess: (appId: number, userId: number, dialogId: string) => Promise<boolean | undefined> = async () => undefined,
  ) {}

  /** The dialog with the caller's role in it; unknown ids (or another app's) are 404. */
  async access(actor: Actor, dialogId: string): Promise<DialogAccess> {
    const userId = requireUser(actor);
    const dialog = /^[0-9a-f]{24}$/.test(dialogId) ? await this.store.dialogs.findById(actor.appId, dialogId) : undefined;
    if (!dialog) throw chatNotFound();
    const member = await this.store.dialogs.member(actor.appId, dialogId, userId);
    return { dialog, member, role: roleIn(dialog, userId, member), userId };
  }

  async view(actor: Actor, dialogId: string): Promise<DialogView> {
    const { dialog, member, userId } = await this.access(actor, dialogId);
    const [view] = await this.presented(actor.appId, userId, [{ dialog, member }]);
    return view ?? { dialog, member };
  }

  /** Dialogs as `viewerId` sees them: private dialogs named after the peer [A-53] (one query per page). */
  namedFor(appId: number, viewerId: number, dialogs: DialogRecord[]): Promise<DialogRecord[]> {
    return withPrivateNames(this.store, appId, viewerId, dialogs);
  }

  /** A page of views as the viewer sees them: named private dialogs and the viewer's last-message receipts. */
  private async presented(appId: number, userId: number, views: DialogView[]): Promise<DialogView[]> {
    const [named, withReceipts] = await Promise.all([this.namedFor(appId, userId, views.map((view) => view.dialog)), this.withReceipts(appId, userId, views)]);
    return withReceipts.map((view, index) => ({ ...view, dialog: named[index] ?? view.dialog }));
  }

  /** Adds the last message's receipts where the viewer sent it (one query for a page). */
  private async withReceipts(appId: number, userId: number, views: DialogView[]): Promise<DialogView[]> {
    const ownLast = views.flatMap((view) => (view.dialog.lastMessage?.userId === userId ? [view.dialog.lastMessage.id] : []));
    if (ownLast.length === 0) return views;
    const receipts = await this.store.messages.receipts(appId, ownLast);
    return views.map((view) => {
      const receipt = view.dialog.lastMessage ? receipts.get(view.dialog.lastMessage.id) : undefined;
      return receipt ? { ...view, lastMessageReceipts: receipt } : view;
    });
  }

  async create(actor: Actor, command: CreateDialog): Promise<DialogView> {
    const userId = requireUser(actor);
    const { type, name = null, description = null, photo = null, permissions = null, adminIds: admins = [] } = command;
    const occupants = (command.occupantIds ?? []).filter((id) => id !== userId);
    const { extensions, errors } = await this.checkedExtensions(actor.appId, command.extensions ?? undefined, command.invalid, ['permissions', 'description', 'photo']);
    if (type !== undefined && type !== 3 && name === null) addError(errors, 'name', 'cannot be blank');
    if (type === 3 && occupants.length !== 1) addError(errors, 'occupants_ids', 'a private dialog needs exactly one other user');
    if (type === 2 && command.occupantIds === undefined) addError(errors, 'occupants_ids', 'cannot be blank');
    if (admins.length > MAX_ADMINS) addError(errors, 'admins_ids', `at most ${MAX_ADMINS} admins`);
    if (admins.some((id) => id !== userId && !occupants.includes(id))) addError(errors, 'admins_ids', 'admins must be occupants');
    throwIfInvalid(errors);
    await this.ensureUsersExist(actor.appId, [...occupants], 'occupants_ids');
    if (type === undefined) throw new DomainFailure('VALIDATION_FAILED', { fields: { type: ['cannot be blank'] } });

    if (type === 3) {
      const existing = await this.store.dialogs.findPrivate(actor.appId, userId, occupants[0] ?? 0);
      if (existing) return this.reviveForCaller(actor, existing);
    }
    const dialog = await this.insert(actor, { type, name, description, photo, occupants, admins, extensions: extensions ?? null, permissions });
    if ('revived' in dialog) return this.reviveForCaller(actor, dialog.revived);
    const [view] = await this.presented(actor.appId, userId, [{ dialog, member: await this.store.dialogs.member(actor.appId, dialog.id, userId) }]);
    return view ?? { dialog, member: undefined };
  }

  /**
   * The caller's private dialog with `peerId` for a first message (rest.md §4.15, realtime.md §7.3):
   * the existing one (shown again to the caller if they had hidden it) or a new one. The peer must exist.
   */
  async openPrivate(actor: Actor, peerId: number): Promise<DialogRecord> {
    const userId = requireUser(actor);
    let dialog = await this.store.dialogs.findPrivate(actor.appId, userId, peerId);
    if (!dialog) {
      const inserted = await this.insert(actor, { type: 3, name: null, description: null, photo: null, occupants: [peerId], admins: [], extensions: null, permissions: null });
      if (!('revived' in inserted)) return inserted;
      dialog = inserted.revived;
    }
    const member = await this.store.dialogs.member(actor.appId, dialog.id, userId);
    if (member?.hidden) await this.store.dialogs.join(actor.appId, dialog.id, [userId], this.clock());
    return dialog;
  }

  /** Stores a new dialog; two concurrent creates of one private pair: the loser gets the winner's dialog as `revived`. */
  private async insert(actor: Actor, draft: DialogDraft): Promise<DialogRecord | { revived: DialogRecord }> {
    const userId = requireUser(actor);
    const { type, occupants } = draft;
    const now = this.clock();
    const memberIds = [userId, ...occupants];
    try {
      return await this.store.dialogs.create(
        {
          id: newObjectId(now),
          appId: actor.appId,
          type,
          ownerId: userId,
          name: type === 3 ? null : draft.name,
          description: draft.description,
          photo: draft.photo,
          occupantIds: memberIds,
          adminIds: type === 3 ? [] : draft.admins.filter((id) => id !== userId),
          pinnedMessageIds: [],
          extensions: draft.extensions,
          permissions: draft.permissions,
          createdAt: now,
          updatedAt: now,
        },
        memberIds,
        now,
      );
    } catch (error) {
      if (error instanceof UniqueViolation && error.field === 'private') {
        const existing = await this.store.dialogs.findPrivate(actor.appId, userId, occupants[0] ?? 0);
        if (existing) return { revived: existing };
      }
      throw error;
    }
  }

  /**
   * A meeting's chat (rest.md §9 `chat: true`): a type-5 dialog owned by the host with the attendees
   * as occupants. Type 5 is never creatable through `POST /chat/Dialog`; only meetings make it.
   */
  async createMeetingDialog(appId: number, hostId: number, name: string, occupantIds: number[]): Promise<DialogRecord> {
    const now = this.clock();
    const memberIds = [hostId, ...new Set(occupantIds.filter((id) => id !== hostId))];
    return this.store.dialogs.create(
      {
        id: newObjectId(now),
        appId,
        type: 5,
        ownerId: hostId,
        name,
        description: null,
        photo: null,
        occupantIds: memberIds,
        adminIds: [],
        pinnedMessageIds: [],
        extensions: null,
        permissions: null,
        createdAt: now,
        updatedAt: now,
      },
      memberIds,
      now,
    );
  }

  /** New attendees of a meeting join its chat (removed ones stay until the host removes them from the dialog). */
  async addMeetingOccupants(appId: number, dialogId: string, userIds: number[]): Promise<void> {
    if (userIds.length > 0) await this.store.dialogs.join(appId, dialogId, userIds, this.clock());
  }

  async list(actor: Actor, { query, count, invalid }: ListDialogs): Promise<{ count: number } | { total: number; limit: number; skip: number; items: DialogView[] }> {
    const userId = requireUser(actor);
    throwIfInvalid(invalid);
    if (count) return { count: await this.store.dialogs.countFor(actor.appId, userId, query) };
    const [items, total] = await Promise.all([this.store.dialogs.listFor(actor.appId, userId, query), this.store.dialogs.countFor(actor.appId, userId, query)]);
    return { total, limit: query.limit, skip: query.offset, items: await this.presented(actor.appId, userId, items) };
  }

  async update(actor: Actor, dialogId: string, command: UpdateDialog): Promise<DialogView> {
    const access = await this.access(actor, dialogId);
    const { dialog, role, userId } = access;
    ensure(role !== 'outsider', 'Only members can change this dialog');
    const { push = noChanges, pull = noChanges, name, description, photo, permissions } = command;
    const { extensions, errors } = await this.checkedExtensions(actor.appId, command.extensions, command.invalid, ['permissions']);
    if (name === null && dialog.type !== 3) addError(errors, 'name', 'cannot be blank');
    throwIfInvalid(errors);

    if (name !== undefined || description !== undefined || photo !== undefined) ensure(rights.editInfo(dialog, role));
    if (push.occupants.length > 0) ensure(rights.addOccupants(dialog, role));
    const removesOthers = pull.occupants.some((id) => id !== userId);
    if (removesOthers) ensure(rights.removeOthers(dialog, role));
    if (pull.occupants.includes(userId)) ensure(dialog.type === 2 || dialog.type === 5, 'Use unsubscribe to leave this dialog');
    if (push.admins.length > 0 || pull.admins.length > 0) ensure(rights.manageAdmins(dialog, role));
    if (push.pinned.length > 0 || pull.pinned.length > 0) ensure(rights.pin(dialog, role));
    if (extensions !== undefined || permissions !== undefined) ensure(rights.changeSettings(dialog, role));

    await this.ensureUsersExist(actor.appId, push.occupants, 'occupants_ids');
    const adminIds = await this.nextAdmins(actor, dialog, push.admins, pull.admins, push.occupants);
    const now = this.clock();
    if (push.occupants.length > 0) await this.store.dialogs.join(actor.appId, dialogId, push.occupants, now);
    if (pull.occupants.length > 0) {
      await this.store.dialogs.leave(actor.appId, dialogId, pull.occupants, now);
      await this.live.occupantsRemoved({ appId: actor.appId, dialogId, actorId: userId, removed: pull.occupants });
    }
    const pinned = [...dialog.pinnedMessageIds.filter((id) => !pull.pinned.includes(id)), ...push.pinned.filter((id) => !dialog.pinnedMessageIds.includes(id))];
    const changesSomething = [name, description, photo, extensions, permissions].some((value) => value !== undefined) ||
      [push.occupants, pull.occupants, push.admins, pull.admins, push.pinned, pull.pinned].some((list) => list.length > 0);
    if (!changesSomething) return this.view(actor, dialogId);
    await this.store.dialogs.update(actor.appId, dialogId, {
      ...(name !== undefined ? { name } : {}),
      ...(description !== undefined ? { description } : {}),
      ...(photo !== undefined ? { photo } : {}),
      ...(extensions !== undefined ? { extensions } : {}),
      ...(permissions !== undefined ? { permissions } : {}),
      ...(push.admins.length > 0 || pull.admins.length > 0 ? { adminIds: adminIds.filter((id) => !pull.occupants.includes(id)) } : {}),
      ...(push.pinned.length > 0 || pull.pinned.length > 0 ? { pinnedMessageIds: pinned } : {}),
      updatedAt: now,
    });
    return this.view(actor, dialogId);
  }

  /** `PUT /chat/Dialog/{id}/admins` (rest.md §4.9). */
  async changeAdmins(actor: Actor, dialogId: string, change: ChangeAdmins): Promise<DialogView> {
    const { dialog, role } = await this.access(actor, dialogId);
    ensure(rights.manageAdmins(dialog, role));
    const adminIds = await this.nextAdmins(actor, dialog, change.add, change.remove, []);
    await this.store.dialogs.update(actor.appId, dialogId, { adminIds, updatedAt: this.clock() });
    return this.view(actor, dialogId);
  }

  /** Deletes for the caller only, or with `force` for everyone where allowed (rest.md §4.6). */
  async delete(actor: Actor, dialogIds: string[], force: boolean): Promise<DeleteSummary> {
    const summary: DeleteSummary = { deleted: [], notFound: [], wrongPermissions: [] };
    for (const dialogId of dialogIds) {
      let access: DialogAccess;
      try {
        access = await this.access(actor, dialogId);
      } catch (error) {
        if (error instanceof DomainFailure && error.code === 'CHAT_NOT_FOUND') {
          summary.notFound.push(dialogId);
          continue;
        }
        throw error;
      }
      const { dialog, role, userId } = access;
      if (force) {
        if (!rights.forceDelete(dialog, role)) summary.wrongPermissions.push(dialogId);
        else {
          await this.store.dialogs.delete(actor.appId, dialogId);
          if (dialog.type !== 3) await this.live.occupantsRemoved({ appId: actor.appId, dialogId, actorId: userId, removed: 'everyone' });
          summary.deleted.push(dialogId);
        }
        continue;
      }
      if (role === 'outsider' && dialog.type !== 1) {
        summary.notFound.push(dialogId);
        continue;
      }
      if (dialog.type === 3 || dialog.type === 1) await this.store.dialogs.hideFor(actor.appId, dialogId, userId);
      else {
        await this.store.dialogs.leave(actor.appId, dialogId, [userId], this.clock());
        await this.live.occupantsRemoved({ appId: actor.appId, dialogId, actorId: userId, removed: [userId] });
      }
      summary.deleted.push(dialogId);
    }
    return summary;
  }

  async clearHistory(actor: Actor, dialogId: string, force: boolean): Promise<void> {
    const { dialog, role, userId } = await this.access(actor, dialogId);
    ensure(rights.read(dialog, role));
    if (force) {
      ensure(role === 'owner' || (dialog.type === 3 && role !== 'outsider'));
      await this.store.messages.clearHistory(actor.appId, dialogId, 'everyone');
      return;
    }
    await this.store.messages.clearHistory(actor.appId, dialogId, userId);
  }

  /** Types 1, 2, 4, 5; private dialogs answer 403. */
  async subscribe(actor: Actor, dialogId: string): Promise<DialogView> {
    const { dialog, userId, role } = await this.access(actor, dialogId);
    ensure(dialog.type !== 3, 'Private dialogs cannot be subscribed to');
    const meetingAllows = dialog.type === 5 && role === 'outsider' && (await this.meetingChatAccess(actor.appId, userId, dialogId)) === true;
    ensure(meetingAllows || rights.subscribe(dialog, role), 'Only occupants can join this dialog');
    await this.store.dialogs.join(actor.appId, dialogId, [userId], this.clock());
    return this.view(actor, dialogId);
  }

  async unsubscribe(actor: Actor, dialogId: string): Promise<void> {
    const { dialog, userId } = await this.access(actor, dialogId);
    ensure(dialog.type !== 3, 'Private dialogs cannot be unsubscribed from');
    await this.store.dialogs.leave(actor.appId, dialogId, [userId], this.clock());
    await this.live.occupantsRemoved({ appId: actor.appId, dialogId, actorId: userId, removed: [userId] });
  }

  /** The caller's notification setting of a dialog; with `change`, sets it first. */
  async notifications(actor: Actor, dialogId: string, change?: SetNotifications): Promise<boolean> {
    const { dialog, role, member, userId } = await this.access(actor, dialogId);
    ensure(rights.read(dialog, role));
    if (change === undefined) return member?.notifications ?? true;
    throwIfInvalid(change.invalid);
    await this.store.dialogs.setNotifications(actor.appId, dialogId, userId, change.enabled);
    return change.enabled;
  }

  async occupants(actor: Actor, dialogId: string, page: OccupantsPage): Promise<UserRecord[]> {
    const { dialog, role } = await this.access(actor, dialogId);
    ensure(rights.read(dialog, role) || dialog.type === 4);
    throwIfInvalid(page.invalid);
    const ids = await this.store.dialogs.memberIds(actor.appId, dialogId, page.limit, page.skip);
    return this.store.users.findByIds(actor.appId, ids);
  }

  private async reviveForCaller(actor: Actor, dialog: DialogRecord): Promise<DialogView> {
    const userId = requireUser(actor);
    const member = await this.store.dialogs.member(actor.appId, dialog.id, userId);
    if (member?.hidden) await this.store.dialogs.join(actor.appId, dialog.id, [userId], this.clock());
    return this.view(actor, dialog.id);
  }

  private async nextAdmins(actor: Actor, dialog: DialogRecord, add: number[], remove: number[], joining: number[]): Promise<number[]> {
    const admins = [...dialog.adminIds.filter((id) => !remove.includes(id))];
    for (const id of add) if (!admins.includes(id) && id !== dialog.ownerId) admins.push(id);
    const errors: FieldErrors = {};
    if (admins.length > MAX_ADMINS) addError(errors, 'admins_ids', `at most ${MAX_ADMINS} admins`);
    for (const id of add) {
      const member = joining.includes(id) ? { isMember: true } : await this.store.dialogs.member(actor.appId, dialog.id, id);
      if (!member?.isMember) addError(errors, 'admins_ids', `user ${id} is not a member of the dialog`);
    }
    throwIfInvalid(errors);
    return admins;
  }

  private async ensureUsersExist(appId: number, userIds: number[], field: string): Promise<void> {
    if (userIds.length === 0) return;
    const found = new Set((await this.store.users.findByIds(appId, userIds)).map((user) => user.id));
    const missing = userIds.filter((id) => !found.has(id));
    if (missing.length > 0) throw new DomainFailure('VALIDATION_FAILED', { fields: { [field]: [`unknown users: ${missing.join(', ')}`] } });
  }

  /**
   * The custom fields the app keeps (its declared fields, read only when the request carries some) and
   * every field error of the request so far: the face's, with the extension rule's in body order.
   */
  private async checkedExtensions(appId: number, input: ExtensionsInput | null | undefined, invalid: FieldErrors = {}, followers: readonly string[]) {
    const messages: string[] = [];
    const extensions = input ? keepExtensions(input, await this.store.dialogFields.list(appId), messages) : input;
    return { extensions, errors: withExtensionErrors(invalid, messages, followers) };
  }

}
