import { createApnsProvider } from '../adapters/push-apns/index.js';
import { createFcmProvider } from '../adapters/push-fcm/index.js';
import { createWebPushProvider } from '../adapters/push-webpush/index.js';
import type { Config } from '../config/index.js';
import { PushDelivery } from '../domain/push/delivery.js';
import type { Clock } from '../domain/shared/actor.js';
import type { Logger } from '../ops/logging.js';
import type { Store } from '../ports/store.js';

/** The push delivery worker over the configured providers (Web Push, FCM HTTP v1, APNs HTTP/2). */
export function createPushDelivery(config: Config, store: Store, clock: Clock, logger: Logger): PushDelivery {
  const tls = { caFile: config.pushCaFile, timeoutMs: 15_000 };
  const providers = {
    web: createWebPushProvider({ ...tls, allowPrivateEndpoints: config.pushAllowPrivateEndpoints }),
    fcm: createFcmProvider({ ...tls, baseUrl: config.pushFcmUrl }),
    apns: createApnsProvider({ ...tls, productionUrl: config.pushApnsUrl, sandboxUrl: config.pushApnsSandboxUrl }),
  };
  return new PushDelivery(
    store.push,
    providers,
    clock,
    { retryBaseMs: config.pushRetryBaseMs, retryMaxMs: 15 * 60 * 1000, pollMs: 1000, batchSize: 32, leaseMs: 120_000 },
    {
      sent: (job, outcome) => {
        if (outcome.kind !== 'delivered') logger.info({ job: job.id, app: job.appId, outcome: outcome.kind, reason: outcome.reason }, 'push not delivered');
      },
      error: (error) => logger.warn({ err: error }, 'push delivery round failed'),
    },
  );
}
