import type { PrivacyListNames, StoredPrivacyItem } from '../../ports/privacy-lists.js';
import type { Store } from '../../ports/store.js';
import type { Actor, Clock } from '../shared/actor.js';
import { DomainFailure, invalidField } from '../shared/failure.js';
import { requireUser } from '../dialogs/service.js';
import { decide, PRIVACY_STANZAS, type OwnerTraffic } from './rules.js';

export interface PrivacyOptions {
  /**
   * How long a user's default list stays cached. Changes made through this service invalidate it at
   * once, and a cluster's nodes before the change is confirmed; the bound only matters for a node that
   * missed a change made on another (cut off from the broker).
   */
  cacheTtlMs: number;
}

/**
 * Told of each list change made here before the change is confirmed: a cluster resolves once every
 * other live node dropped its cached copy (or a bounded wait ran out), so a confirmed change holds
 * everywhere.
 */
export type PrivacyChangeListener = (appId: number, userId: number) => void | Promise<void>;

/** The outcome of routing a stanza between two users (realtime.md §10.5, §7.11). */
export type PrivacyVerdict = 'allow' | 'blocked-by-recipient' | 'blocked-by-sender';

/** The kind of stanza being routed from sender to recipient. */
export type RoutedKind = 'message' | 'iq' | 'presence';

const MAX_NAME_LENGTH = 255;
const MAX_ITEMS = 1000;
const MAX_CACHED_USERS = 100_000;

/**
 * Privacy lists (XEP-0016, realtime.md §10): storage rules and the single enforcement decision every
 * routing module asks (`verdict`), so blocking behaves the same for messages, markers, typing, system
 * messages, edits, call signals, presence and last activity.
 */
export class PrivacyService {
  private readonly cache = new Map<string, { items: StoredPrivacyItem[] | null; expires: number }>();
  private readonly listeners: PrivacyChangeListener[] = [];
  /**
   * Counts cache drops: a list read from the store while a drop happened may predate the change that
   * caused it, so it is used once but not cached.
   */
  private drops = 0;

  constructor(
    private readonly store: Pick<Store, 'privacyLists'>,
    private readonly clock: Clock,
    private readonly options: PrivacyOptions,
  ) {}

  /** Creates or replaces a list; zero items removes it (XEP-0016 §2.6). */
  async replace(actor: Actor, name: string, items: StoredPrivacyItem[]): Promise<void> {
    const userId = requireUser(actor);
    checkName(name);
    if (items.length === 0) {
      await this.store.privacyLists.delete(actor.appId, userId, name);
    } else {
      checkItems(items);
      await this.store.privacyLists.replace(actor.appId, userId, name, items, this.clock());
    }
    await this.forget(actor.appId, userId);
  }

  /** The stored items of a list, as written; NOT_FOUND when there is no such list. */
  async get(actor: Actor, name: string): Promise<StoredPrivacyItem[]> {
    const items = await this.store.privacyLists.get(actor.appId, requireUser(actor), name);
    if (!items) throw new DomainFailure('NOT_FOUND');
    return items;
  }

  async names(actor: Actor): Promise<PrivacyListNames> {
    return this.store.privacyLists.names(actor.appId, requireUser(actor));
  }

  /** Deletes a list (and the default, when it was the default: realtime.md ). */
  async remove(actor: Actor, name: string): Promise<void> {
    const userId = requireUser(actor);
    if (!(await this.store.privacyLists.delete(actor.appId, userId, name))) throw new DomainFailure('NOT_FOUND');
    await this.forget(actor.appId, userId);
  }

  /** Makes a list the default; `null` declines the default. */
  async setDefault(actor: Actor, name: string | null): Promise<void> {
    const userId = requireUser(actor);
    if (!(await this.store.privacyLists.setDefault(actor.appId, userId, name))) throw new DomainFailure('NOT_FOUND');
    await this.forget(actor.appId, userId);
  }

  /**
   * Whether a stanza from `senderId` may reach `recipientId` (1-1 traffic): the recipient's default list
   * is asked about incoming traffic, the sender's about its own outgoing traffic (mutual blocks).
   */
  async verdict(appId: number, senderId: number, recipientId: number, kind: RoutedKind): Promise<PrivacyVerdict> {
    if (senderId === recipientId) return 'allow';
    const incoming: OwnerTraffic = { direction: 'incoming', stanza: kind === 'presence' ? 'presence-in' : kind };
    const outgoing: OwnerTraffic = { direction: 'outgoing', stanza: kind === 'presence' ? 'presence-out' : kind };
    const senderList = await this.defaultList(appId, senderId);
    if (senderList && decide(senderList, { appId, userId: recipientId, via: 'private' }, outgoing) === 'deny') return 'blocked-by-sender';
    const recipientList = await this.defaultList(appId, recipientId);
    if (recipientList && decide(recipientList, { appId, userId: senderId, via: 'private' }, incoming) === 'deny') return 'blocked-by-recipient';
    return 'allow';
  }

  /**
   * Which of `recipientIds` refuse group traffic from occupant `senderId` (their `muc.D/{uid}` items,
   * realtime.md §10.5); lists not cached are loaded in one batch.
   */
  async groupRefusers(appId: number, senderId: number, recipientIds: Iterable<number>): Promise<Set<number>> {
    const now = this.clock();
    const others = [...new Set(recipientIds)].filter((id) => id !== senderId);
    const missing = others.filter((id) => !((this.cache.get(`${appId}:${id}`)?.expires ?? 0) > now));
    const loaded = new Map<number, StoredPrivacyItem[] | null>();
    if (missing.length > 0) {
      const drops = this.drops;
      const read = await this.store.privacyLists.defaultItemsOf(appId, missing);
      for (const id of missing) loaded.set(id, read.get(id) ?? null);
      if (drops === this.drops) for (const [id, items] of loaded) this.remember(appId, id, items, now);
    }
    const refusers = new Set<number>();
    for (const recipientId of others) {
      const list = loaded.has(recipientId) ? loaded.get(recipientId) : this.cache.get(`${appId}:${recipientId}`)?.items;
      if (list && decide(list, { appId, userId: senderId, via: 'group' }, { direction: 'incoming', stanza: 'message' }) === 'deny') refusers.add(recipientId);
    }
    return refusers;
  }

  private async defaultList(appId: number, userId: number): Promise<StoredPrivacyItem[] | null> {
    const key = `${appId}:${userId}`;
    const now = this.clock();
    const cached = this.cache.get(key);
    if (cached && cached.expires > now) return cached.items;
    const drops = this.drops;
    const items = (await this.store.privacyLists.defaultItems(appId, userId)) ?? null;
    if (drops === this.drops) this.remember(appId, userId, items, now);
    return items;
  }

  private remember(appId: number, userId: number, items: StoredPrivacyItem[] | null, now: number): void {
    this.cache.set(`${appId}:${userId}`, { items, expires: now + this.options.cacheTtlMs });
    // Bounded: the oldest entry goes first.
    if (this.cache.size > MAX_CACHED_USERS) this.cache.delete(this.cache.keys().next().value as string);
  }

  /** Called after each list change made here and awaited before the change resolves. */
  onListsChanged(listener: PrivacyChangeListener): void {
    this.listeners.push(listener);
  }

  /** Drops the cached default list of a user whose lists changed on another node. */
  forgetCached(appId: number, userId: number): void {
    this.drops += 1;
    this.cache.delete(`${appId}:${userId}`);
  }

  private async forget(appId: number, userId: number): Promise<void> {
    this.forgetCached(appId, userId);
    if (this.listeners.length > 0) await Promise.all(this.listeners.map((listener) => listener(appId, userId)));
  }
}

function checkName(name: string): void {
  if (name.trim() === '' || name.length > MAX_NAME_LENGTH) throw invalidField('name', `must be 1–${MAX_NAME_LENGTH} characters`);
}

function checkItems(items: StoredPrivacyItem[]): void {
  if (items.length > MAX_ITEMS) throw invalidField('items', `at most ${MAX_ITEMS}`);
  const orders = new Set<number>();
  for (const item of items) {
    if (item.action !== 'allow' && item.action !== 'deny') throw invalidField('action', 'must be allow or deny');
    if (!Number.isSafeInteger(item.order) || item.order < 0) throw invalidField('order', 'must be a non-negative integer');
    if (orders.has(item.order)) throw invalidField('order', 'must be unique within a list');
    orders.add(item.order);
    if (item.type !== undefined && !['jid', 'group', 'subscription'].includes(item.type)) throw invalidField('type', 'must be jid, group or subscription');
    if (item.type !== undefined && (item.value === undefined || item.value === '')) throw invalidField('value', 'is required with a type');
    if (item.stanzas.some((stanza) => !(PRIVACY_STANZAS as readonly string[]).includes(stanza))) throw invalidField('item', 'unknown stanza kind');
  }
}
