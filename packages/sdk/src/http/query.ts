// Query-string serialiser that reproduces, byte for byte, what the official ConnectyCube SDK puts
// on the wire. The server contract (rest.md §1.3) is written against that output, including its
// quirks, so "cleaner" encodings would silently change how filters are parsed.

/** Percent-encodes like the official SDK: spaces become %20 (never +), commas become %2C. */
export function encodeQueryComponent(value: string): string {
  return encodeURIComponent(value);
}

/** Plain objects recurse into bracket keys; Dates, arrays and class instances with a tag do not. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return Object.prototype.toString.call(value) === '[object Object]';
}

/**
 * Serialises `data` into `a=1&b[c]=2` form.
 *
 * - Nested keys use unencoded brackets: `{type: {in: 1}}` → `type[in]=1`.
 * - `expandArrays` (only `users.getV2` sets it) expands every array as `k[]=v1&k[]=v2`.
 * - Otherwise arrays are sorted as strings and comma-joined (`k=1%2C2`), except top-level arrays
 *   met before the first nested array/object in insertion order, which are expanded. This is the
 *   official SDK's behaviour and the server accepts both forms.
 * - Parts are sorted lexicographically at every level; empty arrays/objects leave empty parts.
 * - Scalars use `String()`: `null` → `null`, a Date → `Date.prototype.toString()`.
 */
export function serializeQuery(data: object, expandArrays = false): string {
  return serializeNode(data, '', expandArrays, 0);
}

function serializeNode(node: object, prefix: string, expandArrays: boolean, depth: number): string {
  const isList = Array.isArray(node);
  const entries = node as Record<string, unknown>;
  const parts: string[] = [];
  // The official SDK bumps this counter for each nested value it meets, which is what makes
  // later top-level arrays comma-joined; keep the counter to keep the wire identical.
  let level = depth;

  for (const key in entries) {
    const name = isList ? '' : encodeQueryComponent(key);
    const path = prefix ? `${prefix}[${name}]` : name;
    const value = entries[key];

    if ((Array.isArray(value) && (expandArrays || level === 0)) || isPlainObject(value)) {
      level += 1;
      parts.push(serializeNode(value as object, path, expandArrays, level));
    } else {
      // Copy before sorting: the caller's array must not be reordered.
      const text = Array.isArray(value) ? [...(value as unknown[])].sort().join(',') : String(value);
      parts.push(`${path}=${encodeQueryComponent(text)}`);
    }
  }

  return parts.sort().join('&');
}
