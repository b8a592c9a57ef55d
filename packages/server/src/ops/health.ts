import type { Bus } from '../ports/bus.js';
import type { Store } from '../ports/store.js';

/** What the health check asks besides the store (handed in by app.ts). */
export interface HealthDependencies {
  nodeId: string;
  bus: Pick<Bus, 'kind' | 'ping'>;
  blobs: { kind: string; check(): Promise<void> };
}

export interface DependencyHealth {
  kind: string;
  ok: boolean;
  error?: string;
}

export interface HealthReport {
  status: 'ok' | 'unavailable';
  /** Which node answered (PARLEY_NODE_ID). */
  node?: string;
  store: DependencyHealth;
  bus?: DependencyHealth;
  blobs?: DependencyHealth;
  uptimeSeconds: number;
}

const startedAt = Date.now();

/** One dependency's answer within the timeout. */
async function probe(kind: string, check: () => Promise<unknown>, timeoutMs: number): Promise<DependencyHealth> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([check(), timeout]);
    return { kind, ok: true };
  } catch (error) {
    return { kind, ok: false, error: (error as Error).message || (error as Error).name };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Healthy when the store answers a trivial query, and (when given) the bus answers a ping and the blob
 * medium is usable, each within the timeout; the dependencies are asked in parallel.
 */
export async function checkHealth(store: Pick<Store, 'ping' | 'kind'>, dependencies?: HealthDependencies, timeoutMs = 2000): Promise<HealthReport> {
  const uptimeSeconds = Math.round((Date.now() - startedAt) / 1000);
  const [storeHealth, busHealth, blobHealth] = await Promise.all([
    probe(store.kind, () => store.ping(), timeoutMs),
    dependencies && probe(dependencies.bus.kind, () => dependencies.bus.ping(timeoutMs), timeoutMs),
    dependencies && probe(dependencies.blobs.kind, () => dependencies.blobs.check(), timeoutMs),
  ]);
  const all = [storeHealth, busHealth, blobHealth].filter((entry) => entry !== undefined);
  return {
    status: all.every((entry) => entry.ok) ? 'ok' : 'unavailable',
    ...(dependencies ? { node: dependencies.nodeId } : {}),
    store: storeHealth,
    ...(busHealth ? { bus: busHealth } : {}),
    ...(blobHealth ? { blobs: blobHealth } : {}),
    uptimeSeconds,
  };
}
