// URL building for the REST API (rest.md §1.1).

/** Where API calls go: `api_url` verbatim when given, else `https://` + the `api` host. */
export function apiBase(endpoints: { api: string; api_url?: string | undefined }): string {
  return endpoints.api_url ?? `https://${endpoints.api}`;
}

/**
 * Joins a route and its optional parts (`users`, 42 → `users/42`). Empty parts are dropped, as the
 * official SDK does (`users.update()` with no known user id → `users`). Parts are not URL-encoded:
 * comma-joined id lists must reach the server literally, and server-issued ids are URL-safe.
 */
export function routePath(route: string, ...parts: Array<string | number | null | undefined>): string {
  const kept = parts.filter((part) => part !== undefined && part !== null && part !== '' && part !== 0);
  return [route, ...kept].join('/');
}

/** Full URL of a route; every SDK route carries the `.json` suffix after its ids. */
export function apiUrl(base: string, path: string): string {
  return `${base}/${path}.json`;
}
