import type { Element } from '@xmpp/xml';
import type { UserAddressee } from '../module.js';
import type { SessionRouter } from '../router.js';

/**
 * Sends `stanza` where a user JID points: a full JID to that one connection, a bare JID to every available
 * connection of the user (realtime.md §6.2: no `received` carbons needed). Returns how many got it.
 */
export function toAddressee(router: SessionRouter, to: UserAddressee, stanza: Element): number {
  return router.toUser(to.appId, to.userId, (session) => (to.class !== 'full' || session.resource === to.resource ? stanza : undefined));
}
