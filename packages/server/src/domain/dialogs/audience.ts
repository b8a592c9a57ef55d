import type { DialogRecord, DialogRepository } from '../../ports/dialogs.js';

const SUBSCRIBER_PAGE = 1000;

/**
 * Every user a dialog's live traffic goes to (realtime.md §7.3 step 6): the two users of a private
 * dialog, the occupants of types 2 and 5, the subscribers of types 1 and 4.
 */
export async function dialogAudience(store: { dialogs: DialogRepository }, appId: number, dialog: DialogRecord): Promise<number[]> {
  if (dialog.type !== 1 && dialog.type !== 4) return dialog.occupantIds;
  const members: number[] = [];
  for (let offset = 0; ; offset += SUBSCRIBER_PAGE) {
    const page = await store.dialogs.memberIds(appId, dialog.id, SUBSCRIBER_PAGE, offset);
    members.push(...page);
    if (page.length < SUBSCRIBER_PAGE) return members;
  }
}
