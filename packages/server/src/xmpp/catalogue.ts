import type { XmppModule, XmppModuleDeps } from './module.js';
import { allModules } from './modules/index.js';

export type SupportEntry = XmppModule['meta'] & { discoFeatures: string[] };

/**
 * What the stream layer implements outside the module list (negotiation, framing, helpers that modules
 * share) — listed next to the modules in docs/xmpp-support.md.
 */
const STREAM_LEVEL: SupportEntry[] = [
  { id: 'stream', title: 'XMPP core: streams, STARTTLS, SASL PLAIN and SCRAM-SHA-1, stanza errors', spec: 'RFC 6120', status: 'partial', notes: 'Client-to-server only (no federation); see xmpp/README.md for limits.', discoFeatures: [] },
  { id: 'websocket', title: 'XMPP over WebSocket', spec: 'RFC 7395', status: 'complete', notes: 'At `/ws` of the HTTP port, subprotocol `xmpp`.', discoFeatures: [] },
  { id: 'delay', title: 'Delayed Delivery', spec: 'XEP-0203', version: '2.0', status: 'complete', notes: 'On offline-queue flushes and archive results.', discoFeatures: [] },
  { id: 'forward', title: 'Stanza Forwarding', spec: 'XEP-0297', version: '1.0', status: 'complete', notes: 'In carbons and archive results.', discoFeatures: [] },
  { id: 'rsm', title: 'Result Set Management', spec: 'XEP-0059', version: '1.0', status: 'partial', notes: 'In archive queries: max, after, before, count (no index).', discoFeatures: [] },
];

/**
 * Every XMPP module's metadata, from the real module factories. They only touch their dependencies
 * when handling stanzas, so a stand-in that answers any property works here (docs generation).
 */
export function supportCatalogue(): SupportEntry[] {
  const modules = allModules(standIn() as XmppModuleDeps);
  return [...STREAM_LEVEL, ...modules.map((module) => ({ ...module.meta, discoFeatures: module.discoFeatures ?? [] }))];
}

/** A value whose every property and call result is itself (never a thenable). */
function standIn(): unknown {
  const target = function standInTarget() {
    return undefined;
  };
  const proxy: unknown = new Proxy(target, {
    get: (_target, key) => (key === 'then' ? undefined : key === Symbol.toPrimitive ? () => '' : proxy),
    apply: () => proxy,
    construct: () => proxy as object,
  });
  return proxy;
}
