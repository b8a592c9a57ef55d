import { isObjectId } from '@parley/protocol';
import type { DialogRecord, DialogRepository } from '../../ports/dialogs.js';
import { dialogAudience } from '../dialogs/audience.js';
import { ensure, rights, type DialogRole } from '../dialogs/access.js';
import { requireUser, type DialogService } from '../dialogs/service.js';
import type { Actor } from '../shared/actor.js';
import { DomainFailure } from '../shared/failure.js';

/** Whether a user may enter a group dialog's room (realtime.md §6.3), as a value the face maps to its codes. */
export type RoomAccess =
  | { allowed: true; dialog: DialogRecord; affiliation: 'owner' | 'admin' | 'member' }
  | { allowed: false; reason: 'not-found' | 'private' | 'not-occupant' };

const affiliationOf = (role: DialogRole) => (role === 'owner' || role === 'admin' ? role : 'member');

/**
 * Group dialogs as real-time rooms (realtime.md §6–§7): who may enter, who a room's traffic reaches, and
 * the peer of a private dialog addressed by its room JID. Messages themselves go through the messages
 * domain (ADR 0013).
 */
export class LiveChatService {
  constructor(
    private readonly repos: { dialogs: DialogRepository },
    private readonly dialogs: DialogService,
  ) {}

  /** The other member of a private dialog the user belongs to (messages addressed to the dialog, not the user). */
  async privatePeer(actor: Actor, dialogId: string): Promise<number> {
    const userId = requireUser(actor);
    const { dialog, role } = await this.dialogs.access(actor, dialogId);
    const peer = dialog.occupantIds.find((id) => id !== userId);
    if (dialog.type !== 3 || role === 'outsider' || peer === undefined) throw new DomainFailure('CHAT_NOT_FOUND');
    return peer;
  }

  /** Every member a group dialog's traffic goes to: occupants (types 2, 5) or subscribers (1, 4). */
  async audience(appId: number, dialog: DialogRecord): Promise<number[]> {
    return dialogAudience(this.repos, appId, dialog);
  }

  /** Group members by dialog id, for events that only know the id (typing, reactions). */
  async audienceOf(actor: Actor, dialogId: string): Promise<number[]> {
    const { dialog, role } = await this.dialogs.access(actor, dialogId);
    ensure(rights.read(dialog, role));
    return this.audience(actor.appId, dialog);
  }

  /** Whether the user may join the dialog's room: occupants of 2/5, any user of the app for 1/4. */
  async roomAccess(actor: Actor, dialogId: string): Promise<RoomAccess> {
    if (!isObjectId(dialogId)) return { allowed: false, reason: 'not-found' };
    try {
      const { dialog, role } = await this.dialogs.access(actor, dialogId);
      if (dialog.type === 3) return { allowed: false, reason: 'private' };
      if ((dialog.type === 2 || dialog.type === 5) && role === 'outsider') return { allowed: false, reason: 'not-occupant' };
      return { allowed: true, dialog, affiliation: affiliationOf(role) };
    } catch (error) {
      if (error instanceof DomainFailure && error.code === 'CHAT_NOT_FOUND') return { allowed: false, reason: 'not-found' };
      throw error;
    }
  }
}
