import type { FailureThrottle } from '../ports/throttle.js';
import type { Store } from '../ports/store.js';
import type { ServerMetrics } from './metrics.js';

/**
 * Feeds the domain metrics from the ports every face goes through, so no service knows about metrics:
 * messages stored (and how long the committed write took), offline queue traffic.
 */
export function instrumentStore(store: Store, metrics: ServerMetrics): void {
  const messages = store.messages;
  const create = messages.create.bind(messages);
  messages.create = async (message) => {
    const started = process.hrtime.bigint();
    const result = await create(message);
    if (result.created) metrics.messageStored(Number(process.hrtime.bigint() - started) / 1e9);
    return result;
  };
  const offline = store.offline;
  const push = offline.push.bind(offline);
  const remove = offline.remove.bind(offline);
  const purge = offline.purgeOlderThan.bind(offline);
  offline.push = async (...args) => {
    await push(...args);
    metrics.offline('queued', 1);
  };
  offline.remove = async (appId, userId, ids) => {
    await remove(appId, userId, ids);
    metrics.offline('delivered', ids.length);
  };
  offline.purgeOlderThan = async (cutoff) => {
    const purged = await purge(cutoff);
    if (purged > 0) metrics.offline('expired', purged);
    return purged;
  };
}

/** Logins ok/failed, counted where every password login (REST and XMPP) reports its outcome. */
export function instrumentThrottle(throttle: FailureThrottle, metrics: Pick<ServerMetrics, 'login'>): FailureThrottle {
  return {
    check: (key, limit) => throttle.check(key, limit),
    async recordFailure(key, windowSeconds) {
      metrics.login('failed');
      await throttle.recordFailure(key, windowSeconds);
    },
    async reset(key) {
      metrics.login('ok');
      await throttle.reset(key);
    },
  };
}
