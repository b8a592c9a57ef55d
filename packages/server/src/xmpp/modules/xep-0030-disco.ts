import { xml } from '@xmpp/xml';
import { NS } from '../ns.js';
import type { XmppModule, XmppModuleDeps } from '../module.js';

/** XEP-0030 for the server itself: identity and the features every module declares; items = the MUC service. */
export function discoModule(deps: XmppModuleDeps): XmppModule {
  return {
    meta: { id: 'xep-0030-disco', title: 'Service Discovery (server)', spec: 'XEP-0030', version: '2.5rc3', status: 'partial', notes: 'Server entity only; the MUC module answers for muc.D and rooms.' },
    discoFeatures: [NS.discoInfo, NS.discoItems],
    handlers: [
      {
        match: { kind: 'iq', type: ['get'], to: ['server'], payload: NS.discoInfo, name: 'query' },
        handle(ctx, iq) {
          if (iq.getChild('query', NS.discoInfo)?.attrs.node !== undefined) return 'pass';
          ctx.result(
            xml(
              'query',
              { xmlns: NS.discoInfo },
              xml('identity', { category: 'server', type: 'im', name: 'Parley' }),
              ...ctx.features.map((feature) => xml('feature', { var: feature })),
            ),
          );
          return 'handled';
        },
      },
      {
        match: { kind: 'iq', type: ['get'], to: ['server'], payload: NS.discoItems, name: 'query' },
        handle(ctx) {
          ctx.result(xml('query', { xmlns: NS.discoItems }, xml('item', { jid: deps.domains.muc, name: 'Chat rooms' })));
          return 'handled';
        },
      },
    ],
  };
}
