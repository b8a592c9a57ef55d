/** Builds packages/dashboard when its dist is missing or stale; true when it built. */
export function buildDashboardIfStale(options?: { quiet?: boolean }): Promise<boolean>;
