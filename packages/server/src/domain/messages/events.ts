import { newObjectId } from '@parley/protocol';
import type { DialogRecord, DialogRepository } from '../../ports/dialogs.js';
import type { DialogEventTarget } from '../../ports/live-events.js';
import { dialogAudience } from '../dialogs/audience.js';

/**
 * Where a REST-started change of a message goes live (realtime.md §7.7–§7.9): the dialog's members,
 * from the user who made it, under a fresh stanza id.
 */
export async function dialogEventTarget(store: { dialogs: DialogRepository }, appId: number, dialog: DialogRecord, actorId: number, messageId: string, now: number): Promise<DialogEventTarget> {
  return {
    appId,
    dialogId: dialog.id,
    dialogType: dialog.type,
    audience: await dialogAudience(store, appId, dialog),
    actorId,
    id: newObjectId(now),
    messageId,
  };
}
