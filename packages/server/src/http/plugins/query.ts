import qs from 'qs';

/**
 * Query strings (and urlencoded bodies) with nested bracket keys: `id[in][]=1&id[in][]=2`,
 * `filter[]=…`. Bounded so a hostile query cannot make deep or huge objects.
 */
export function parseQuery(text: string): Record<string, unknown> {
  return qs.parse(text, { depth: 5, arrayLimit: 200, parameterLimit: 1000, allowPrototypes: false, allowDots: false });
}

/** `/a/b.json?x` → `/a/b?x`, and `//` → `/` (a trailing slash in `api_url`, rest.md §1.1). */
export function canonicalUrl(url: string): string {
  const queryAt = url.indexOf('?');
  let path = queryAt === -1 ? url : url.slice(0, queryAt);
  const query = queryAt === -1 ? '' : url.slice(queryAt);
  path = path.replace(/\/{2,}/g, '/');
  if (path.endsWith('.json')) path = path.slice(0, -'.json'.length);
  return path + query;
}
