import { InvalidBusAddress } from './bus.js';

/**
 * Keys with a time to live, shared by the nodes of a cluster: presence and session leases ("user 7 has
 * a session on node B until 12:00:30"). A node keeps its leases alive by refreshing them; when it dies
 * they lapse and everyone sees its users go offline. Nothing durable lives here.
 *
 * Guarantees every adapter gives:
 * - a key is readable from `put` until `ttlMs` after its last `put` or successful `refresh`, then
 *   reads as absent (an adapter may drop it later, never earlier);
 * - `refresh` of an absent or expired key is false and does not bring it back;
 * - `list(prefix)` returns the live keys starting with the prefix (at most `limit`, default 10 000);
 * - keys are `[A-Za-z0-9_.=-]{1,200}` (no `*`, `>` or spaces); anything else is refused
 *   (`InvalidBusAddress`) before the broker is asked.
 */
export interface ClusterState {
  put(key: string, value: string, ttlMs: number): Promise<void>;
  get(key: string): Promise<string | undefined>;
  /** Extends a live key's lease to `ttlMs` from now; false when it had already lapsed. */
  refresh(key: string, ttlMs: number): Promise<boolean>;
  /** True when a live key was removed. */
  delete(key: string): Promise<boolean>;
  list(prefix: string, limit?: number): Promise<Map<string, string>>;
}

export const CLUSTER_KEY_PATTERN = /^[A-Za-z0-9_.=-]{1,200}$/;
/** Longest lease: leases are short by nature, and the NATS adapter sizes its bucket's max age by it. */
export const MAX_LEASE_MS = 24 * 3600 * 1000;

export function checkKey(key: string): string {
  if (typeof key !== 'string' || !CLUSTER_KEY_PATTERN.test(key)) throw new InvalidBusAddress(`invalid key: ${JSON.stringify(key)}`);
  return key;
}

export function checkTtl(ttlMs: number): number {
  if (!Number.isInteger(ttlMs) || ttlMs < 1 || ttlMs > MAX_LEASE_MS) throw new RangeError(`ttlMs must be an integer from 1 to ${MAX_LEASE_MS}`);
  return ttlMs;
}
