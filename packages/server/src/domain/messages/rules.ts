import type { DialogRecord } from '../../ports/dialogs.js';
import type { MessageRecord } from '../../ports/messages.js';
import { rights, type DialogRole } from '../dialogs/access.js';
import { invalidField } from '../shared/failure.js';

/** Who may change a stored message: only its sender edits; the sender or a group's owner/admins delete (rest.md §4.17). */
export const changeRights = {
  edit: (message: MessageRecord, userId: number) => message.senderId === userId,
  delete: (message: MessageRecord, userId: number, dialog: DialogRecord, role: DialogRole) => message.senderId === userId || rights.deleteAnyMessage(dialog, role),
};

/** Message text and custom parameters share one size limit on every face. */
export function checkTextSize(body: string | null, maxBytes: number): void {
  if (body !== null && Buffer.byteLength(body) > maxBytes) throw invalidField('message', `is too long (maximum is ${maxBytes} bytes)`);
}

export function checkCustomSize(custom: Record<string, unknown>, maxBytes: number): void {
  if (Buffer.byteLength(JSON.stringify(custom)) > maxBytes) throw invalidField('base', `custom parameters are too large (maximum is ${maxBytes} bytes)`);
}


/** The text of the failure for a recipient that is not a user of the app (an unknown address over XMPP). */
export const UNKNOWN_RECIPIENT = 'is not a user of this application';
