/** Date helpers for the contract's per-field formats (rest.md §1.6). */

/** ISO 8601 UTC with seconds precision: `2021-06-04T10:10:53Z`. */
export function isoSeconds(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function unixSeconds(epochMs: number): number {
  return Math.floor(epochMs / 1000);
}

/** `YYYY-MM-DD HH:MM:SS UTC`, the cloud's CB-Token-ExpirationDate format. */
export function tokenExpirationDate(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC');
}

/**
 * Parses a date filter value: unix seconds, ISO 8601, or JS `Date.toString()` (rest.md §1.3).
 * Returns epoch milliseconds, or undefined when the value is no date.
 */
export function parseDateInput(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value * 1000 : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? undefined : parsed;
}
