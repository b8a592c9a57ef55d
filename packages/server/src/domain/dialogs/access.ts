import type { DialogRecord, MemberState } from '../../ports/dialogs.js';
import { DomainFailure } from '../shared/failure.js';

/** Who the user is in a dialog; rights follow the table of rest.md §4.2. */
export type DialogRole = 'owner' | 'admin' | 'member' | 'outsider';

export function roleIn(dialog: DialogRecord, userId: number, member: MemberState | undefined): DialogRole {
  if (dialog.ownerId === userId && (member?.isMember ?? false)) return 'owner';
  if (dialog.ownerId === userId && (dialog.type === 1 || dialog.type === 4)) return 'owner';
  if (member?.isMember && dialog.adminIds.includes(userId)) return 'admin';
  if (member?.isMember) return 'member';
  return 'outsider';
}

const isManager = (role: DialogRole) => role === 'owner' || role === 'admin';
const isGroupLike = (dialog: DialogRecord) => dialog.type === 2 || dialog.type === 5;

export const rights = {
  read: (dialog: DialogRecord, role: DialogRole) => role !== 'outsider' || dialog.type === 1,
  post: (dialog: DialogRecord, role: DialogRole) => (dialog.type === 1 ? isManager(role) : role !== 'outsider'),
  editInfo: (dialog: DialogRecord, role: DialogRole) => dialog.type !== 3 && (isGroupLike(dialog) ? role !== 'outsider' : isManager(role)),
  addOccupants: (dialog: DialogRecord, role: DialogRole) => isGroupLike(dialog) && role !== 'outsider',
  removeOthers: (dialog: DialogRecord, role: DialogRole) => isGroupLike(dialog) && isManager(role),
  pin: (dialog: DialogRecord, role: DialogRole) => dialog.type !== 3 && isManager(role),
  manageAdmins: (dialog: DialogRecord, role: DialogRole) => dialog.type !== 3 && role === 'owner',
  forceDelete: (dialog: DialogRecord, role: DialogRole) => (dialog.type === 3 ? role !== 'outsider' : role === 'owner'),
  deleteAnyMessage: (dialog: DialogRecord, role: DialogRole) => dialog.type !== 3 && isManager(role),
  changeSettings: (dialog: DialogRecord, role: DialogRole) => (dialog.type === 3 ? role !== 'outsider' : isManager(role)),
  /**
   * Joining by subscribing: broadcast (1) and public (4) dialogs are open to all; a closed group (2) only
   * to those already in it (idempotent), never to outsiders.
   * Meeting chats (type 5) also admit a user invited to the meeting, and anyone when the meeting is
   * public: the meeting service decides that, and `DialogService.subscribe` asks it for outsiders.
   */
  subscribe: (dialog: DialogRecord, role: DialogRole) => dialog.type === 1 || dialog.type === 4 || (isGroupLike(dialog) && role !== 'outsider'),
};

export function ensure(allowed: boolean, message = 'Forbidden'): void {
  if (!allowed) throw new DomainFailure('CHAT_FORBIDDEN', { message });
}

export const chatNotFound = () => new DomainFailure('CHAT_NOT_FOUND');
