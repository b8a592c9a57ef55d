// `chat.privacylist`: XEP-0016 privacy lists as the official SDK 6.1.2 writes and reads them
// (realtime.md §10). Each user becomes two items (their JID, then `muc.D/{id}`); a mutual block is
// an item without children. `getList` keeps the items at even positions only, so the server must
// return them in stored order ([R-12]); `update` is getList + merge + create on the client.
import type { ChatHelpers } from '../helpers.js';
import { readError } from './incoming.js';
import type { PendingReplies } from './replies.js';
import { attr, xml } from './xml.js';
import type { XmlElement } from './xml.js';

export const NS_PRIVACY = 'jabber:iq:privacy';

export interface PrivacyListItem {
  user_id: string | number;
  /** 'allow' or 'deny'. */
  action: string;
  /** With `deny`: the user can neither receive from nor write to the list owner. */
  mutualBlock?: boolean;
}

export interface PrivacyListData {
  name: string;
  items: PrivacyListItem[];
}

export interface PrivacyListNames {
  default: string | null;
  active: string | null;
  /** The `name` of every child, so the default/active names appear here too. */
  names: string[];
}

export interface PrivacyListDeps {
  helpers: ChatHelpers;
  replies: PendingReplies;
  /** Writes to the live stream; rejects when not connected. */
  send(element: XmlElement): Promise<void>;
}

/** The `<iq type="set">` of `create`: two items per user with consecutive orders. */
export function privacyListIq(params: { from: string; id: string; list: PrivacyListData; helpers: ChatHelpers }): XmlElement {
  const { helpers } = params;
  // Keyed by user id like the official SDK: a later item for the same user wins, integer-like ids come out ascending.
  const byUser: Record<string, Partial<PrivacyListItem>> = {};
  for (const { user_id, action, mutualBlock } of params.list.items) byUser[user_id] = { action, mutualBlock };
  const iq = xml('iq', { type: 'set', from: params.from, id: params.id });
  const list = iq.c('query', { xmlns: NS_PRIVACY }).c('list', { name: params.list.name });
  Object.keys(byUser).forEach((userId, index) => {
    const { action = '', mutualBlock = false } = byUser[userId]!;
    const mutual = mutualBlock && action === 'deny';
    const values = [helpers.jidOrUserId(parseInt(userId, 10)), helpers.getUserNickWithMucDomain(userId)];
    values.forEach((value, offset) => {
      const item = list.c('item', { type: 'jid', value, action, order: String(index * 2 + offset + 1) });
      if (!mutual) item.c('message').up().c('presence-in').up().c('presence-out').up().c('iq');
    });
  });
  return iq;
}

export class PrivacyList {
  readonly xmlns = NS_PRIVACY;

  constructor(private readonly deps: PrivacyListDeps) {}

  /** Creates or replaces a list (an empty list removes it on the server). */
  create(list: PrivacyListData): Promise<void> {
    const id = this.deps.helpers.getUniqueId('edit');
    return this.#request(id, privacyListIq({ from: this.deps.helpers.userCurrentJid, id, list, helpers: this.deps.helpers }), () => undefined);
  }

  /** The list's users and actions (no `mutualBlock`); an unknown list resolves `{name: '', items: []}`. */
  getList(name: string): Promise<PrivacyListData> {
    const { helpers } = this.deps;
    const id = helpers.getUniqueId('getlist');
    const iq = xml('iq', { type: 'get', from: helpers.userCurrentJid, id });
    iq.c('query', { xmlns: NS_PRIVACY }).c('list', { name });
    // As the official SDK: errors are not checked here.
    return this.#request(id, iq, (stanza) => {
      const list = stanza.getChild('query')?.getChild('list');
      const items = (list?.getChildElements() ?? [])
        .filter((_item, index) => index % 2 === 0)
        .map((item) => ({ user_id: helpers.getUserIdFromJID(attr(item, 'value')), action: item.attrs.action }) as PrivacyListItem);
      return { name: attr(list, 'name'), items };
    }, false);
  }

  /** Merges `list` into the stored one (`allow` removes a user) and writes the whole list back. */
  async update(list: PrivacyListData): Promise<void> {
    const current = await this.getList(list.name);
    const byUser = new Map(current.items.map((item) => [item.user_id, item]));
    for (const item of list.items) {
      if (item.action === 'allow') byUser.delete(item.user_id);
      else byUser.set(item.user_id, { ...byUser.get(item.user_id), ...item });
    }
    await this.create({ name: list.name, items: [...byUser.values()] });
  }

  getNames(): Promise<PrivacyListNames> {
    const { helpers } = this.deps;
    const id = helpers.getUniqueId('getNames');
    const iq = xml('iq', { type: 'get', from: helpers.userCurrentJid, id });
    iq.c('query', { xmlns: NS_PRIVACY });
    return this.#request(id, iq, (stanza) => {
      const query = stanza.getChild('query');
      const defaultElement = query?.getChild('default');
      const activeElement = query?.getChild('active');
      return {
        default: defaultElement ? attr(defaultElement, 'name') : null,
        active: activeElement ? attr(activeElement, 'name') : null,
        names: (query?.getChildElements() ?? []).map((child) => attr(child, 'name')),
      };
    });
  }

  delete(name: string): Promise<void> {
    const { helpers } = this.deps;
    const id = helpers.getUniqueId('remove');
    const iq = xml('iq', { type: 'set', from: helpers.userCurrentJid, id });
    iq.c('query', { xmlns: NS_PRIVACY }).c('list', { name: name ? name : '' });
    return this.#request(id, iq, () => undefined);
  }

  /** Makes `name` the default list; `null` declines the default. */
  setAsDefault(name: string | null): Promise<void> {
    const { helpers } = this.deps;
    const id = helpers.getUniqueId('default');
    const iq = xml('iq', { type: 'set', from: helpers.userCurrentJid, id });
    iq.c('query', { xmlns: NS_PRIVACY }).c('default', name ? { name } : {});
    return this.#request(id, iq, () => undefined);
  }

  /** Sends `iq` and settles with `read(reply)`, or `{code, info}` for an error reply when `checkErrors`. */
  #request<T>(id: string, iq: XmlElement, read: (reply: XmlElement) => T, checkErrors = true): Promise<T> {
    const { replies } = this.deps;
    return new Promise<T>((resolve, reject) => {
      replies.expect(id, {
        onReply: (stanza) => (checkErrors && stanza.getChild('error') ? reject(readError(stanza)) : resolve(read(stanza))),
        onAbort: reject,
      });
      this.deps.send(iq).catch((error: unknown) => {
        replies.forget(id);
        reject(error);
      });
    });
  }
}
