import { isObjectId } from '@parley/protocol';
import type { DialogRecord } from '../../ports/dialogs.js';
import type { LiveEvents } from '../../ports/live-events.js';
import type { Store } from '../../ports/store.js';
import { DomainFailure } from '../shared/failure.js';
import type { ListDialogs } from './commands.js';
import type { DialogService } from './service.js';

const notFound = () => new DomainFailure('CHAT_NOT_FOUND');

/** Operators' view of dialogs: a user's dialogs as that user sees them, any dialog by id, delete for everyone. */
export class DialogAdministration {
  constructor(
    private readonly store: Pick<Store, 'dialogs' | 'users'>,
    private readonly dialogs: DialogService,
    private readonly live: LiveEvents,
  ) {}

  /** The dialog list `GET /chat/Dialog` would give this user (same filters and paging). */
  async listOf(appId: number, userId: number, list: ListDialogs) {
    if (!(await this.store.users.findById(appId, userId))) throw new DomainFailure('NOT_FOUND', { message: 'User not found' });
    return this.dialogs.list({ appId, userId, sessionId: 0 }, list);
  }

  async get(appId: number, dialogId: string): Promise<DialogRecord> {
    const dialog = isObjectId(dialogId) ? await this.store.dialogs.findById(appId, dialogId) : undefined;
    if (!dialog) throw notFound();
    return dialog;
  }

  /** Deletes the dialog and its messages for everyone; joined occupants are told they left. */
  async remove(appId: number, dialogId: string): Promise<void> {
    const dialog = await this.get(appId, dialogId);
    if (!(await this.store.dialogs.delete(appId, dialogId))) throw notFound();
    if (dialog.type !== 3) await this.live.occupantsRemoved({ appId, dialogId, actorId: dialog.ownerId, removed: 'everyone' });
  }
}
