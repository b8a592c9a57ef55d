import { NS } from '../ns.js';
import type { XmppModule } from '../module.js';

/**
 * Resource binding itself happens during negotiation (`stream/negotiation.ts`: 32-hex random resources,
 * a client proposal only gets a random suffix). After binding this module answers the legacy session IQ
 * (RFC 3921) and refuses a second bind.
 */
export function bindModule(): XmppModule {
  return {
    meta: { id: 'rfc6120-bind', title: 'Resource binding and legacy session', spec: 'RFC 6120 §7, RFC 3921 §3', status: 'complete' },
    handlers: [
      {
        match: { kind: 'iq', type: ['set'], to: ['none', 'server'], payload: NS.session, name: 'session' },
        handle(ctx) {
          ctx.result();
          return 'handled';
        },
      },
      {
        match: { kind: 'iq', type: ['set'], to: ['none', 'server'], payload: NS.bind, name: 'bind' },
        handle(ctx) {
          ctx.bounce({ condition: 'not-allowed', text: 'Resource already bound' });
          return 'handled';
        },
      },
    ],
  };
}
