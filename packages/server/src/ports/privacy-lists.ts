/**
 * Privacy lists (XEP-0016, realtime.md §10), stored per user and kept across sessions. Items are opaque
 * to the store except for their order: they come back exactly as written.
 *
 * Guarantees (test/contract/privacy-lists.contract.test.ts, on each adapter):
 * - `replace` writes a whole list atomically; a list of the same name is replaced, default flag kept;
 * - `get` returns the items as stored; another user's or application's lists are never seen;
 * - `names` lists names in creation order plus the default name (or null);
 * - `delete` removes the list and, when it was the default, the default with it;
 * - `setDefault(name)` makes exactly that list the default (false when there is no such list); `null` declines.
 */
export interface StoredPrivacyItem {
  /** 'jid', 'group', 'subscription' or absent (fall-through item). */
  type?: string;
  value?: string;
  action: 'allow' | 'deny';
  order: number;
  /** Stanza kinds the item applies to ('message', 'presence-in', 'presence-out', 'iq'); empty = all. */
  stanzas: string[];
}

export interface PrivacyListNames {
  names: string[];
  default: string | null;
}

export interface PrivacyListRepository {
  replace(appId: number, userId: number, name: string, items: StoredPrivacyItem[], now: number): Promise<void>;
  get(appId: number, userId: number, name: string): Promise<StoredPrivacyItem[] | undefined>;
  names(appId: number, userId: number): Promise<PrivacyListNames>;
  delete(appId: number, userId: number, name: string): Promise<boolean>;
  setDefault(appId: number, userId: number, name: string | null): Promise<boolean>;
  /** The items of the user's default list; undefined when none is set. */
  defaultItems(appId: number, userId: number): Promise<StoredPrivacyItem[] | undefined>;
  /** The default lists of those of `userIds` that have one (one round trip per few hundred users). */
  defaultItemsOf(appId: number, userIds: readonly number[]): Promise<Map<number, StoredPrivacyItem[]>>;
}
