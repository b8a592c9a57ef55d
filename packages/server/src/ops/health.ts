import type { Store } from '../ports/store.js';

export interface HealthReport {
  status: 'ok' | 'unavailable';
  store: { kind: string; ok: boolean; error?: string };
  uptimeSeconds: number;
}

const startedAt = Date.now();

/** Healthy when the store answers a trivial query within the timeout. */
export async function checkHealth(store: Pick<Store, 'ping' | 'kind'>, timeoutMs = 2000): Promise<HealthReport> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  const uptimeSeconds = Math.round((Date.now() - startedAt) / 1000);
  try {
    await Promise.race([store.ping(), timeout]);
    return { status: 'ok', store: { kind: store.kind, ok: true }, uptimeSeconds };
  } catch (error) {
    return { status: 'unavailable', store: { kind: store.kind, ok: false, error: (error as Error).message }, uptimeSeconds };
  } finally {
    clearTimeout(timer);
  }
}
