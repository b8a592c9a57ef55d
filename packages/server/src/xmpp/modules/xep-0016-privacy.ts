import { xml, type Element } from '@xmpp/xml';
import type { StoredPrivacyItem } from '../../ports/privacy-lists.js';
import type { StanzaContext, XmppModule, XmppModuleDeps } from '../module.js';
import { stanzaErrorOf } from './failures.js';
import { NS } from '../ns.js';

const STANZA_CHILDREN = new Set(['message', 'presence-in', 'presence-out', 'iq']);

/** `<item>` as stored: attributes and the stanza-kind children, nothing reordered (realtime.md §10.1). */
function readItem(item: Element): StoredPrivacyItem | undefined {
  const { type, value, action, order } = item.attrs as Record<string, string | undefined>;
  if (action !== 'allow' && action !== 'deny') return undefined;
  if (order === undefined || !/^\d{1,9}$/.test(order)) return undefined;
  const stanzas = item.getChildElements().map((child) => child.name).filter((name) => STANZA_CHILDREN.has(name));
  return { ...(type !== undefined ? { type } : {}), ...(value !== undefined ? { value } : {}), action, order: Number(order), stanzas };
}

function itemElement(item: StoredPrivacyItem): Element {
  const attrs: Record<string, string> = {};
  if (item.type !== undefined) attrs.type = item.type;
  if (item.value !== undefined) attrs.value = item.value;
  attrs.action = item.action;
  attrs.order = String(item.order);
  return xml('item', attrs, ...item.stanzas.map((name) => xml(name)));
}

/**
 * Privacy lists (XEP-0016, realtime.md §10): create/replace, read (items in ascending `order`, children
 * included), names, delete, default. Enforcement is `privacy-gate.ts`, called by the routing modules.
 * Active lists (per session) are not supported: the SDK never sets one.
 */
export function privacyModule(deps: XmppModuleDeps): XmppModule {
  const { privacy } = deps.services;

  async function run(ctx: StanzaContext, call: () => Promise<Element | undefined>): Promise<'handled'> {
    try {
      ctx.result(await call());
    } catch (error) {
      const spec = stanzaErrorOf(error);
      if (!spec) throw error;
      ctx.bounce(spec);
    }
    return 'handled';
  }

  return {
    meta: { id: 'xep-0016-privacy', title: 'Privacy Lists (blocking)', spec: 'XEP-0016', version: '1.7', status: 'partial', notes: 'realtime.md §10; default lists only (no per-session active list); MUC items match occupants.' },
    discoFeatures: [NS.privacy],
    handlers: [
      {
        match: { kind: 'iq', type: ['get'], to: ['none', 'server', 'self'], payload: NS.privacy, name: 'query' },
        handle(ctx, stanza) {
          const children = stanza.getChild('query')?.getChildElements() ?? [];
          const actor = ctx.session.actor;
          if (children.length === 0) {
            return run(ctx, async () => {
              const names = await privacy.names(actor);
              const query = xml('query', { xmlns: NS.privacy });
              if (names.default !== null) query.append(xml('default', { name: names.default }));
              for (const name of names.names) query.append(xml('list', { name }));
              return query;
            });
          }
          const [list] = children;
          if (children.length !== 1 || list?.name !== 'list' || !list.attrs.name) {
            ctx.bounce({ condition: 'bad-request', text: 'Ask for the names or for one list' });
            return 'handled';
          }
          const name = String(list.attrs.name);
          return run(ctx, async () => {
            const items = [...(await privacy.get(actor, name))].sort((a, b) => a.order - b.order);
            return xml('query', { xmlns: NS.privacy }, xml('list', { name }, ...items.map(itemElement)));
          });
        },
      },
      {
        match: { kind: 'iq', type: ['set'], to: ['none', 'server', 'self'], payload: NS.privacy, name: 'query' },
        handle(ctx, stanza) {
          const children = stanza.getChild('query')?.getChildElements() ?? [];
          const [child] = children;
          const actor = ctx.session.actor;
          if (children.length !== 1 || !child) {
            ctx.bounce({ condition: 'bad-request', text: 'Exactly one list, default or active element' });
            return 'handled';
          }
          const name = child.attrs.name === undefined || child.attrs.name === '' ? null : String(child.attrs.name);
          switch (child.name) {
            case 'default':
              return run(ctx, async () => void (await privacy.setDefault(actor, name)));
            case 'active':
              if (name === null) return run(ctx, async () => undefined);
              ctx.bounce({ condition: 'feature-not-implemented', text: 'Active lists are not supported; set a default list' });
              return 'handled';
            case 'list': {
              if (name === null) {
                ctx.bounce({ condition: 'bad-request', text: 'A list needs a name' });
                return 'handled';
              }
              const rawItems = child.getChildren('item');
              if (rawItems.length === 0) return run(ctx, async () => void (await privacy.remove(actor, name)));
              const items = rawItems.map(readItem);
              if (items.some((item) => item === undefined)) {
                ctx.bounce({ condition: 'bad-request', text: 'Every item needs action allow|deny and a numeric order' });
                return 'handled';
              }
              return run(ctx, async () => void (await privacy.replace(actor, name, items as StoredPrivacyItem[])));
            }
            default:
              ctx.bounce({ condition: 'bad-request', text: `Unknown privacy element ${child.name}` });
              return 'handled';
          }
        },
      },
    ],
  };
}
