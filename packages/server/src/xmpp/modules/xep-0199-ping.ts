import { KEEPALIVE_ID_PREFIX } from '../client-stream.js';
import { NS } from '../ns.js';
import type { XmppModule } from '../module.js';

/**
 * XEP-0199: answers client pings to the server (realtime.md §3.3) and swallows the answers to the
 * server's own keep-alive pings (sent by `client-stream.ts` on TCP; WebSocket uses ping frames).
 */
export function pingModule(): XmppModule {
  return {
    meta: { id: 'xep-0199-ping', title: 'XMPP Ping', spec: 'XEP-0199', version: '2.0.1', status: 'complete' },
    discoFeatures: [NS.ping],
    handlers: [
      {
        match: { kind: 'iq', type: ['get'], to: ['none', 'server', 'self'], payload: NS.ping, name: 'ping' },
        handle(ctx) {
          ctx.result();
          return 'handled';
        },
      },
      {
        match: { kind: 'iq', type: ['result', 'error'], to: ['none', 'server'] },
        handle: (ctx) => (ctx.id.startsWith(KEEPALIVE_ID_PREFIX) ? 'handled' : 'pass'),
      },
    ],
  };
}
