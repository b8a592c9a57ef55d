/**
 * Counts login attempts per key over a fixed window. An attempt is counted *before* the secret is checked
 * (so parallel attempts cannot all pass the check before any failure is recorded); a success gives it
 * back by resetting the key, so a flood of successful logins is never slowed. Guarantees: per-node
 * accuracy for the local adapter; a cluster adapter must share counts across nodes. Counts are
 * best-effort: lost on restart.
 */
export interface FailureThrottle {
  /**
   * Takes one attempt of `key`: blocked (nothing counted) when `limit` attempts are already counted in
   * the current window, else counted (the window starts with the first attempt).
   */
  attempt(key: string, limit: number, windowSeconds: number): Promise<{ blocked: boolean; retryAfterSeconds: number }>;
  /** The attempt succeeded: the key starts over. */
  reset(key: string): Promise<void>;
}
