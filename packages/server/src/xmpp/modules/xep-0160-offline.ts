import parse from '@xmpp/xml/lib/parse.js';
import { xml } from '@xmpp/xml';
import type { XmppModule, XmppModuleDeps } from '../module.js';
import { NS } from '../ns.js';


/** XEP-0082 date-time in UTC, whole seconds, as in the contract's example. */
const stampOf = (epochMs: number) => new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Offline delivery (realtime.md §7.10): what was queued while a user had no available connection is
 * flushed, oldest first, right after the next initial presence, each copy with an XEP-0203 `<delay>`.
 * Items leave the queue once written to the connection.
 */
export function offlineModule(deps: XmppModuleDeps): XmppModule {
  const { offline } = deps.services;
  return {
    meta: { id: 'xep-0160-offline', title: 'Offline messages with delayed delivery', spec: 'XEP-0160', version: '1.0.1', status: 'partial', notes: 'Queued: 1-1 content messages (and edits/deletes); at most 1000 per user, 30 days (realtime.md §7.10). Items leave the queue when written; with stream management, what the client never acknowledged is queued again when the session ends.' },
    discoFeatures: ['msgoffline', NS.delay],
    hooks: {
      async available(session) {
        const items = await offline.pending(session.appId, session.userId);
        const written: number[] = [];
        for (const item of items) {
          const stanza = parse(item.payload);
          stanza.append(xml('delay', { xmlns: NS.delay, from: deps.domains.chat, stamp: stampOf(item.createdAt) }, 'Offline Storage'));
          stanza.attrs.to = session.jid;
          if (!session.send(stanza)) break;
          written.push(item.id);
        }
        await offline.delivered(session.appId, session.userId, written);
      },
    },
  };
}
