import { isObjectId } from '@parley/protocol';
import type { DialogRecord } from '../../ports/dialogs.js';
import type { MessageRecord } from '../../ports/messages.js';
import { ensure, rights, type DialogRole } from '../dialogs/access.js';
import { requireUser, type DeleteSummary } from '../dialogs/service.js';
import { dialogAudience } from '../dialogs/audience.js';
import { dialogEventTarget } from './events.js';
import type { Actor } from '../shared/actor.js';
import { DomainFailure, invalidField } from '../shared/failure.js';
import type { ChangeOutcome, ChangeRoute, EditMessage, MarkMessages, ReactToMessage, RemoveMessages } from './commands.js';
import type { MessageWriteDeps } from './deps.js';
import { changeRights, checkTextSize, UNKNOWN_RECIPIENT } from './rules.js';

/** A stored message with the caller's role in its dialog. */
interface Target {
  message: MessageRecord;
  dialog: DialogRecord;
  role: DialogRole;
}

/**
 * Edits (realtime.md §7.7, rest.md §4.16): only the sender edits; the stored text changes before
 * anything is routed. REST edits are announced like XMPP ones (compat-notes).
 */
export async function editMessages(deps: MessageWriteDeps, actor: Actor, command: EditMessage): Promise<ChangeOutcome> {
  checkTextSize(command.body, deps.maxMessageBytes);
  if (command.route) {
    const room = await checkRoute(deps, actor, command.route);
    for (const target of await routedTargets(deps, actor, command.messageIds ?? [], room)) {
      ensure(changeRights.edit(target.message, requireUser(actor)), 'Only the sender can edit a message');
      await deps.repos.messages.updateBody(actor.appId, target.message.id, command.body, deps.clock());
    }
    return { audience: room ? await dialogAudience(deps.repos, actor.appId, room) : [] };
  }
  const { dialog, named, userId } = await namedInDialog(deps, actor, command.messageIds, command.dialogId);
  const targets = named ?? [];
  if (targets.length === 0) throw invalidField('message', 'editing needs message ids');
  ensure(targets.every((message) => changeRights.edit(message, userId)), 'Only the sender can edit a message');
  for (const message of targets) await deps.repos.messages.updateBody(actor.appId, message.id, command.body, deps.clock());
  if (command.announce) {
    for (const message of targets) await deps.live.messageEdited({ ...(await dialogEventTarget(deps.repos, actor.appId, dialog, userId, message.id, deps.clock())), body: command.body });
  }
  return { audience: [] };
}

/**
 * Deletes (realtime.md §7.8, rest.md §4.17): for everyone by the sender or a group's owner/admins, or
 * hidden for the caller. REST answers per id; an addressed XMPP delete of someone else's message is a 403.
 */
export async function removeMessages(deps: MessageWriteDeps, actor: Actor, command: RemoveMessages): Promise<DeleteSummary & ChangeOutcome> {
  const userId = requireUser(actor);
  if (command.route) {
    const room = await checkRoute(deps, actor, command.route);
    const summary: DeleteSummary = { deleted: [], notFound: [], wrongPermissions: [] };
    for (const target of await routedTargets(deps, actor, command.messageIds, room)) {
      ensure(changeRights.delete(target.message, userId, target.dialog, target.role), 'You are not allowed to delete this message');
      await deps.repos.messages.deleteForEveryone(actor.appId, target.dialog.id, [target.message.id]);
      summary.deleted.push(target.message.id);
    }
    return { ...summary, audience: room ? await dialogAudience(deps.repos, actor.appId, room) : [] };
  }
  const summary: DeleteSummary = { deleted: [], notFound: [], wrongPermissions: [] };
  const found = new Map((await deps.repos.messages.findByIds(actor.appId, command.messageIds.filter(isObjectId))).map((message) => [message.id, message]));
  const byDialog = new Map<string, MessageRecord[]>();
  for (const id of command.messageIds) {
    const message = found.get(id);
    if (!message) summary.notFound.push(id);
    else byDialog.set(message.dialogId, [...(byDialog.get(message.dialogId) ?? []), message]);
  }
  for (const [dialogId, messages] of byDialog) {
    const { dialog, role } = await deps.dialogs.access(actor, dialogId);
    if (!rights.read(dialog, role)) {
      summary.notFound.push(...messages.map((message) => message.id));
      continue;
    }
    const allowed = command.forEveryone ? messages.filter((message) => changeRights.delete(message, userId, dialog, role)) : messages;
    summary.wrongPermissions.push(...messages.filter((message) => !allowed.includes(message)).map((message) => message.id));
    const ids = allowed.map((message) => message.id);
    if (command.forEveryone) {
      await deps.repos.messages.deleteForEveryone(actor.appId, dialogId, ids);
      if (command.announce) for (const id of ids) await deps.live.messageDeleted(await dialogEventTarget(deps.repos, actor.appId, dialog, userId, id, deps.clock()));
    } else await deps.repos.messages.hideFor(actor.appId, dialogId, userId, ids);
    summary.deleted.push(...ids);
  }
  return { ...summary, audience: [] };
}

/** A reaction added or removed (rest.md §4.19), then sent to the dialog's live connections (realtime.md §7.9). */
export async function reactToMessage(deps: MessageWriteDeps, actor: Actor, command: ReactToMessage): Promise<void> {
  const userId = requireUser(actor);
  const { message, dialog } = await readableMessage(deps, actor, command.messageId);
  const change = { ...(command.add ? { add: command.add } : {}), ...(command.remove ? { remove: command.remove } : {}) };
  await deps.repos.messages.react(actor.appId, message.id, userId, change, deps.clock());
  await deps.live.reactionsChanged({ ...(await dialogEventTarget(deps.repos, actor.appId, dialog, userId, message.id, deps.clock())), ...change });
}

/** Read/delivered state (rest.md §4.16, realtime.md §7.6); returns whether anything was applied. */
export async function markMessages(deps: MessageWriteDeps, actor: Actor, command: MarkMessages): Promise<boolean> {
  const userId = requireUser(actor);
  if (command.strict) {
    const { dialog } = await namedInDialog(deps, actor, command.messageIds, command.dialogId);
    if (!command.read && !command.delivered) return false;
    await deps.repos.messages.mark(actor.appId, dialog.id, userId, command.messageIds, { read: command.read, delivered: command.delivered }, deps.clock());
    return true;
  }
  const { dialogId } = command;
  const ids = (command.messageIds ?? []).map((id) => id.toLowerCase());
  if (dialogId === undefined || !isObjectId(dialogId) || ids.length === 0 || !ids.every(isObjectId)) return false;
  const messages = await deps.repos.messages.findByIds(actor.appId, ids);
  if (messages.length !== ids.length || messages.some((message) => message.dialogId !== dialogId || message.senderId === userId)) return false;
  const member = await deps.repos.dialogs.member(actor.appId, dialogId, userId);
  if (!member?.isMember) return false;
  await deps.repos.messages.mark(actor.appId, dialogId, userId, ids, { read: command.read, delivered: command.delivered }, deps.clock());
  return true;
}

/** A message the caller may read, by id; anything else is a 404. */
export async function readableMessage(deps: Pick<MessageWriteDeps, 'repos' | 'dialogs'>, actor: Actor, messageId: string): Promise<{ message: MessageRecord; dialog: DialogRecord }> {
  const message = isObjectId(messageId) ? await deps.repos.messages.findById(actor.appId, messageId) : undefined;
  if (!message) throw new DomainFailure('CHAT_NOT_FOUND');
  const { dialog, role } = await deps.dialogs.access(actor, message.dialogId);
  ensure(rights.read(dialog, role));
  return { message, dialog };
}

/**
 * REST: the named messages (all must exist, else 404, and share the dialog) and the readable dialog
 * they are in; without ids, the dialog named by `dialogId`.
 */
async function namedInDialog(deps: MessageWriteDeps, actor: Actor, messageIds: string[] | undefined, dialogId: string | undefined) {
  const named = messageIds === undefined ? undefined : await existing(deps, actor, messageIds);
  const resolved = dialogId ?? named?.[0]?.dialogId;
  if (resolved === undefined) throw invalidField('chat_dialog_id', 'cannot be blank');
  if (named?.some((message) => message.dialogId !== resolved)) throw new DomainFailure('CHAT_NOT_FOUND');
  const { dialog, role, userId } = await deps.dialogs.access(actor, resolved);
  ensure(rights.read(dialog, role));
  return { dialog, named, userId };
}

/** The addressed messages; any unknown id is a 404 and nothing changes. */
async function existing(deps: MessageWriteDeps, actor: Actor, messageIds: string[]): Promise<MessageRecord[]> {
  const messages = await deps.repos.messages.findByIds(actor.appId, messageIds.filter(isObjectId));
  if (messageIds.length === 0 || messages.length !== new Set(messageIds).size) throw new DomainFailure('CHAT_NOT_FOUND');
  return messages;
}

/**
 * An addressed XMPP change goes where a content message of the same type could: to another user of the
 * app (1-1), or to a group the sender may post in. Returns the room's dialog for group routes.
 */
async function checkRoute(deps: MessageWriteDeps, actor: Actor, route: ChangeRoute): Promise<DialogRecord | undefined> {
  const userId = requireUser(actor);
  if ('recipientId' in route) {
    if (route.recipientId === userId) throw invalidField('recipient_id', 'cannot be yourself');
    if ((await deps.repos.users.findByIds(actor.appId, [route.recipientId])).length === 0) throw invalidField('recipient_id', UNKNOWN_RECIPIENT);
    return undefined;
  }
  const { dialog, role } = await deps.dialogs.access(actor, route.roomId);
  if (dialog.type === 3) throw new DomainFailure('CHAT_NOT_FOUND');
  ensure(rights.post(dialog, role), 'You are not allowed to post in this dialog');
  return dialog;
}

/**
 * The stored messages an addressed change names, with the caller's role; unknown ids are skipped (the
 * change is still routed). A message of a dialog the caller cannot read, or of another dialog than the
 * room's, is forbidden.
 */
async function routedTargets(deps: MessageWriteDeps, actor: Actor, messageIds: string[], room: DialogRecord | undefined): Promise<Target[]> {
  const targets: Target[] = [];
  for (const raw of messageIds) {
    const id = raw.toLowerCase();
    const message = isObjectId(id) ? await deps.repos.messages.findById(actor.appId, id) : undefined;
    if (!message) continue;
    ensure(room === undefined || message.dialogId === room.id, 'The message is not in this dialog');
    const { dialog, role } = await deps.dialogs.access(actor, message.dialogId);
    ensure(rights.read(dialog, role), 'You are not a member of this dialog');
    targets.push({ message, dialog, role });
  }
  return targets;
}
