import type { FailureThrottle } from '../../ports/throttle.js';

interface Bucket {
  count: number;
  windowEndsAt: number;
}

/**
 * One node's attempt counters in a Map, swept as windows end. `attempt` checks and counts in one
 * synchronous step, so concurrent requests cannot slip past the limit. A cluster needs a shared adapter.
 */
export function createMemoryThrottle(now: () => number = Date.now): FailureThrottle {
  const buckets = new Map<string, Bucket>();
  let lastSweep = now();

  function sweep(at: number): void {
    if (at - lastSweep < 60_000) return;
    lastSweep = at;
    for (const [key, bucket] of buckets) if (bucket.windowEndsAt <= at) buckets.delete(key);
  }

  function live(key: string, at: number): Bucket | undefined {
    const bucket = buckets.get(key);
    if (bucket && bucket.windowEndsAt <= at) {
      buckets.delete(key);
      return undefined;
    }
    return bucket;
  }

  return {
    async attempt(key, limit, windowSeconds) {
      const at = now();
      sweep(at);
      const bucket = live(key, at);
      if (bucket && bucket.count >= limit) {
        return { blocked: true, retryAfterSeconds: Math.max(1, Math.ceil((bucket.windowEndsAt - at) / 1000)) };
      }
      if (bucket) bucket.count += 1;
      else buckets.set(key, { count: 1, windowEndsAt: at + windowSeconds * 1000 });
      return { blocked: false, retryAfterSeconds: 0 };
    },
    async reset(key) {
      buckets.delete(key);
    },
  };
}
