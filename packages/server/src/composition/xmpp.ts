import { CONFERENCE_PATH } from '../conference/gateway.js';
import type { Config } from '../config/index.js';
import type { Clock } from '../domain/shared/actor.js';
import type { Logger } from '../ops/logging.js';
import type { ServerMetrics } from '../ops/metrics.js';
import type { Bus } from '../ports/bus.js';
import { createXmppFace, type XmppFace } from '../xmpp/face.js';
import type { Services } from './services.js';

/** The XMPP face over the services, with the configured limits and timers; in the cluster when the bus is shared. */
export function buildXmppFace(
  config: Config,
  services: Services,
  parts: { bus: Bus; metrics: ServerMetrics; clock: Clock; xmppTimers?: { keepAliveMs: number; idleTimeoutMs: number } },
  logger: Logger,
): XmppFace {
  const { bus, metrics } = parts;
  return createXmppFace({
    services,
    logger,
    ...(bus.kind === 'local' ? {} : { cluster: { bus, leaseMs: config.clusterLease * 1000 } }),
    onPreAuthRefused: () => metrics.xmppPreAuthRefused(),
    observer: metrics.xmpp(logger),
    clock: parts.clock,
    settings: {
      chatDomain: config.chatDomain,
      scram: config.xmppScram,
      limits: {
        maxStanzaBytes: config.xmppMaxStanzaBytes,
        maxDepth: config.xmppMaxDepth,
        maxAttributes: config.xmppMaxAttributes,
        maxBytesBeforeAuth: config.xmppMaxBytesBeforeAuth,
      },
      keepAliveMs: parts.xmppTimers?.keepAliveMs ?? config.xmppKeepAlive * 1000,
      idleTimeoutMs: parts.xmppTimers?.idleTimeoutMs ?? config.xmppIdleTimeout * 1000,
      maxOutboundBytes: config.xmppMaxOutboundBytes,
      resumeWindowMs: config.xmppResumeWindow * 1000,
      maxUnackedBytes: config.xmppMaxUnackedBytes,
      parking: { perUser: config.xmppMaxParkedPerUser, perApp: config.xmppMaxParkedPerApp, perNode: config.xmppMaxParked },
      maxPreAuthPerAddress: config.xmppMaxPreAuthPerAddress,
      wsPath: '/ws',
      otherWebSocketPaths: [CONFERENCE_PATH],
      tlsCertFile: config.xmppTlsCert,
      tlsKeyFile: config.xmppTlsKey,
      trustProxy: config.trustProxy,
    },
  });
}
