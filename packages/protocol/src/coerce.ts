/** Lenient scalar coercion the cloud applies to input (rest.md §1.6). */

export function toInteger(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) {
    const parsed = Number(value);
    return Number.isSafeInteger(parsed) ? parsed : undefined;
  }
  return undefined;
}

/** Largest id a stored integer column holds (PostgreSQL `integer`). */
export const MAX_ID = 2_147_483_647;

/** A positive id within the stored range, or undefined. */
export function toId(value: unknown): number | undefined {
  const id = toInteger(value);
  return id !== undefined && id >= 1 && id <= MAX_ID ? id : undefined;
}

export function toFlag(value: unknown): boolean | undefined {
  if (value === true || value === 1 || value === '1' || value === 'true') return true;
  if (value === false || value === 0 || value === '0' || value === 'false') return false;
  return undefined;
}

/** An id or value list given as an array, or as a comma-separated string with optional spaces. */
export function toList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  return items
    .flatMap((item) => (typeof item === 'string' ? item.split(',') : [String(item)]))
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
