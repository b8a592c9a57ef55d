/**
 * Counts failures per key over a fixed window (failed logins). Counting failures only means a flood of
 * successful logins is never slowed. Guarantees: per-node accuracy for the local adapter; a cluster
 * adapter must share counts across nodes. Counts are best-effort: lost on restart.
 */
export interface FailureThrottle {
  /** Blocked when the key has `limit` or more failures in its current window. */
  check(key: string, limit: number): Promise<{ blocked: boolean; retryAfterSeconds: number }>;
  recordFailure(key: string, windowSeconds: number): Promise<void>;
  reset(key: string): Promise<void>;
}
