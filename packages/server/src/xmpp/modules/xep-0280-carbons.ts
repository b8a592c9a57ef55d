import { NS } from '../ns.js';
import type { XmppModule } from '../module.js';

/** XEP-0280 enable/disable (realtime.md §6.2); the flag is `session.carbons`, used by the messages module. */
export function carbonsModule(): XmppModule {
  return {
    meta: { id: 'xep-0280-carbons', title: 'Message Carbons', spec: 'XEP-0280', version: '1.0.1', status: 'partial', notes: 'Only sent carbons are ever produced (realtime.md §6.2).' },
    discoFeatures: [NS.carbons],
    handlers: [
      {
        match: { kind: 'iq', type: ['set'], to: ['none', 'self', 'server'], payload: NS.carbons },
        handle(ctx, iq) {
          const name = iq.getChildElements()[0]?.name;
          if (name !== 'enable' && name !== 'disable') return 'pass';
          ctx.session.carbons = name === 'enable';
          ctx.result();
          return 'handled';
        },
      },
    ],
  };
}
