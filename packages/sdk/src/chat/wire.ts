// Argument preparation shared by the chat services. Each function reproduces a step the official
// SDK applies before sending, because the server contract (rest.md §4) is written against its output.

/**
 * Deep copy through JSON, as the official SDK does before rewriting some chat params: keys with
 * `undefined` disappear and Dates become ISO strings, which changes GET query strings. Values JSON
 * cannot encode (cycles, BigInt) are returned unchanged rather than throwing.
 */
export function jsonCopy<T>(value: T): T {
  try {
    // Only a missing argument defaults to {}; `null` stays null (then no data is sent at all).
    return JSON.parse(JSON.stringify(value === undefined ? {} : value)) as T;
  } catch {
    return value;
  }
}

/**
 * Ids for a path segment: an array is comma-joined (`a,b`), a string is used as given. Like every
 * path part, the result is not URL-encoded (rest.md §1.1).
 */
export function idsSegment(ids: string | readonly string[] | undefined): string | undefined {
  return Array.isArray(ids) ? ids.join(',') : (ids as string | undefined);
}
