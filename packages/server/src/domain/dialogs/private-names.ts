import type { DialogRecord } from '../../ports/dialogs.js';
import type { UserRecord, UserRepository } from '../../ports/users.js';

/**
 * The name a private (type 3) dialog shows to one viewer: the other occupant's `full_name`, else
 * their `login`, else their id, so it is never null and follows renames. Nothing is stored: a client-sent
 * name for type 3 is still ignored.
 */
export function privateDialogName(peer: UserRecord | undefined, peerId: number): string {
  if (nonBlank(peer?.fullName)) return peer.fullName;
  if (nonBlank(peer?.login)) return peer.login;
  return String(peerId);
}

const nonBlank = (value: string | null | undefined): value is string => typeof value === 'string' && value.trim() !== '';

/** The other occupant of a private dialog as seen by `viewerId` (the first occupant for an outsider). */
export function privatePeerId(dialog: DialogRecord, viewerId: number): number {
  return dialog.occupantIds.find((id) => id !== viewerId) ?? dialog.occupantIds[0] ?? 0;
}

/** Names every private dialog of a page for the viewer, loading all peers in one query. */
export async function withPrivateNames(store: { users: UserRepository }, appId: number, viewerId: number, dialogs: DialogRecord[]): Promise<DialogRecord[]> {
  const peerIds = [...new Set(dialogs.filter((dialog) => dialog.type === 3).map((dialog) => privatePeerId(dialog, viewerId)))];
  if (peerIds.length === 0) return dialogs;
  const peers = new Map((await store.users.findByIds(appId, peerIds)).map((user) => [user.id, user]));
  return dialogs.map((dialog) => {
    if (dialog.type !== 3) return dialog;
    const peerId = privatePeerId(dialog, viewerId);
    return { ...dialog, name: privateDialogName(peers.get(peerId), peerId) };
  });
}
