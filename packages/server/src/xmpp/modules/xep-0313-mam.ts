import { classifyJid, occupantJid, parseJid, roomJid, userJid } from '@parley/protocol';
import type { Element } from '@xmpp/xml';
import { xml } from '@xmpp/xml';
import type { ArchivePage, ArchiveQuery } from '../../domain/live-chat/archive.js';
import type { MessageRecord } from '../../ports/messages.js';
import type { StanzaContext, XmppModule, XmppModuleDeps } from '../module.js';
import { NS } from '../ns.js';
import { stanzaErrorOf } from './failures.js';


export const MAM_META = {
  id: 'xep-0313-mam',
  title: 'Message Archive Management over the stored history',
  spec: 'XEP-0313',
  version: '1.1.1',
  status: 'partial',
  notes: 'urn:xmpp:mam:2 over the `messages` table: a user archive query without `with` returns every dialog the user is a member of in (date_sent, id) order (1-1 as chat, groups as groupchat from the occupant JID); with `with`, the private dialog with that user; a room JID query returns that dialog for members. Filters with/start/end, RSM max/after/before/count. No extended (0.7) ids, no preferences.',
} as const;

/** XEP-0082 date-time with whole seconds, UTC. */
const stamp = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * XEP-0313 (urn:xmpp:mam:2): standard clients page through the same history REST serves, through the
 * ArchiveService. Results come as `<message><result queryid id><forwarded><delay/><message/></forwarded>`
 * then `<iq type="result"><fin complete><set>…</set></fin>`.
 */
export function mamModule(deps: XmppModuleDeps): XmppModule {
  const { archive } = deps.services;
  const { chat } = deps.domains;

  /** The original-like stanza of a stored message. */
  function original(message: MessageRecord, viewerJid: string, group: boolean): Element {
    const from = group ? occupantJid(message.appId, message.dialogId, message.senderId, chat) : userJid(message.appId, message.senderId, chat);
    const to = group ? viewerJid : userJid(message.appId, message.recipientId, chat);
    const stanza = xml('message', { xmlns: NS.client, type: group ? 'groupchat' : 'chat', id: message.id, from, to });
    if (message.body !== null) stanza.append(xml('body', {}, message.body));
    const extra = xml('extraParams', { xmlns: NS.client }, xml('save_to_history', {}, '1'), xml('dialog_id', {}, message.dialogId), xml('date_sent', {}, String(message.dateSent)));
    for (const attachment of message.attachments) {
      extra.append(xml('attachment', Object.fromEntries(Object.entries(attachment).map(([key, value]) => [key, String(value)]))));
    }
    stanza.append(extra);
    return stanza;
  }

  function reply(ctx: StanzaContext, queryId: string | undefined, page: ArchivePage, archiveJid: string): void {
    for (const message of page.messages) {
      const group = (page.dialogTypes.get(message.dialogId) ?? 3) !== 3;
      const result = xml('result', { xmlns: NS.mam, id: message.id, ...(queryId === undefined ? {} : { queryid: queryId }) });
      result.append(xml('forwarded', { xmlns: NS.forward }, xml('delay', { xmlns: NS.delay, stamp: stamp(message.dateSent) }), original(message, ctx.session.bareJid, group)));
      ctx.send(xml('message', { xmlns: NS.client, from: archiveJid, to: ctx.session.jid, id: `${queryId ?? 'mam'}-${message.id}` }, result));
    }
    const set = xml('set', { xmlns: NS.rsm });
    const first = page.messages[0];
    const last = page.messages[page.messages.length - 1];
    if (first && last) set.append(xml('first', {}, first.id), xml('last', {}, last.id));
    set.append(xml('count', {}, String(page.count)));
    ctx.result(xml('fin', { xmlns: NS.mam, ...(page.complete ? { complete: 'true' } : {}), ...(queryId === undefined ? {} : { queryid: queryId }) }, set));
  }

  /** The form and RSM of a query, or a bad-request text. */
  function readQuery(ctx: StanzaContext, query: Element): Omit<ArchiveQuery, 'target'> & { with?: string } | string {
    const fields = new Map<string, string>();
    for (const field of query.getChild('x', NS.dataForms)?.getChildren('field') ?? []) {
      const name = field.attrs.var;
      if (name) fields.set(name, field.getChildText('value') ?? '');
    }
    const formType = fields.get('FORM_TYPE');
    if (formType !== undefined && formType !== NS.mam) return `unknown FORM_TYPE ${formType}`;
    for (const name of fields.keys()) if (!['FORM_TYPE', 'with', 'start', 'end'].includes(name)) return `unsupported field ${name}`;
    const parsed: Omit<ArchiveQuery, 'target'> & { with?: string } = {};
    for (const bound of ['start', 'end'] as const) {
      const text = fields.get(bound);
      if (text === undefined) continue;
      const ms = Date.parse(text);
      if (!/^\d{4}-\d\d-\d\dT/.test(text) || Number.isNaN(ms)) return `${bound} must be an XEP-0082 date-time`;
      parsed[bound] = ms;
    }
    if (fields.has('with')) parsed.with = fields.get('with');
    const set = query.getChild('set', NS.rsm);
    if (set) {
      const max = set.getChildText('max');
      if (max !== null) {
        if (!/^\d{1,6}$/.test(max)) return 'max must be a non-negative integer';
        parsed.max = Number(max);
      }
      const after = set.getChildText('after');
      const before = set.getChild('before');
      if (after !== null) parsed.after = after;
      if (before) parsed.before = before.getText();
      if (set.getChild('index')) return 'index paging is not supported';
    }
    return parsed;
  }

  return {
    meta: { ...MAM_META },
    discoFeatures: [NS.mam],
    handlers: [
      {
        match: { kind: 'iq', type: ['get'], to: ['none', 'self', 'room'], payload: NS.mam, name: 'query' },
        handle(ctx) {
          // The search form (XEP-0313 §5.1.1).
          const field = (name: string, type: string) => xml('field', { var: name, type });
          ctx.result(
            xml('query', { xmlns: NS.mam }, xml('x', { xmlns: NS.dataForms, type: 'form' }, xml('field', { var: 'FORM_TYPE', type: 'hidden' }, xml('value', {}, NS.mam)), field('with', 'jid-single'), field('start', 'text-single'), field('end', 'text-single'))),
          );
          return 'handled';
        },
      },
      {
        match: { kind: 'iq', type: ['set'], to: ['none', 'self', 'room'], payload: NS.mam, name: 'query' },
        async handle(ctx, iq): Promise<'handled'> {
          const query = iq.getChild('query', NS.mam)!;
          const parsed = readQuery(ctx, query);
          if (typeof parsed === 'string') {
            ctx.bounce({ condition: 'bad-request', text: parsed });
            return 'handled';
          }
          const { with: withJid, ...window } = parsed;
          let target: ArchiveQuery['target'];
          let archiveJid: string;
          if (ctx.to.class === 'room') {
            target = { dialogId: ctx.to.dialogId };
            archiveJid = roomJid(ctx.to.appId, ctx.to.dialogId, chat);
          } else {
            const peer = withJid === undefined ? undefined : parseJid(withJid);
            const user = peer ? classifyJid(peer, deps.domains) : undefined;
            archiveJid = ctx.session.bareJid;
            if (withJid === undefined) {
              // The whole archive: how Conversations, Gajim and Dino sync (start = last sync, RSM paging).
              target = { wholeArchive: true };
            } else if (!user || user.kind !== 'user' || user.appId !== ctx.session.appId) {
              ctx.bounce({ condition: 'bad-request', text: 'with must be a user JID of this application' });
              return 'handled';
            } else {
              target = { withUserId: user.userId };
            }
          }
          let page: ArchivePage;
          try {
            page = await archive.page(ctx.session.actor, { target, ...window });
          } catch (error) {
            const spec = stanzaErrorOf(error);
            if (!spec) throw error;
            ctx.bounce(spec);
            return 'handled';
          }
          reply(ctx, query.attrs.queryid, page, archiveJid);
          return 'handled';
        },
      },
    ],
  };
}
