import qs from 'qs';

/**
 * Query strings (and urlencoded bodies) with nested bracket keys: `id[in][]=1&id[in][]=2`,
 * `filter[]=…`. Bounded so a hostile query cannot make deep or huge objects.
 */
export function parseQuery(text: string): Record<string, unknown> {
  return qs.parse(text, { depth: 5, arrayLimit: 200, parameterLimit: 1000, allowPrototypes: false, allowDots: false });
}

/** `GET /blobs/{uid}` without `.json`: the file's bytes, not its JSON info (rest.md §1.1, §5.7). */
const BLOB_BYTES_PATH = /^\/blobs\/[^/]+$/;

/**
 * `/a/b.json?x` → `/a/b?x`, and `//` → `/` (a trailing slash in `api_url`, rest.md §1.1). A GET of
 * `/blobs/{uid}` (no `.json`) becomes `/blobs/{uid}/download`, the bytes route.
 */
export function canonicalUrl(url: string, method?: string): string {
  const queryAt = url.indexOf('?');
  let path = queryAt === -1 ? url : url.slice(0, queryAt);
  const query = queryAt === -1 ? '' : url.slice(queryAt);
  path = path.replace(/\/{2,}/g, '/');
  if (path.endsWith('.json')) path = path.slice(0, -'.json'.length);
  else if ((method === 'GET' || method === 'HEAD') && BLOB_BYTES_PATH.test(path)) path += '/download';
  return path + query;
}
