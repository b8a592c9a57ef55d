/**
 * Removes a `token` query parameter from links to this server's files before a message is stored or
 * routed. The official SDK builds attachment URLs with `storage.privateUrl(uid)`, which appends the
 * sender's own session token; sent as is, every recipient and the stored history would hold a working
 * credential for the sender. Recipients build their own URL from the `uid`, so nothing is lost.
 *
 * A link is this server's when its path is under `/blobs/` (or under the public URL's path + `/blobs/`)
 * and it is either relative (`/blobs/…`, `blobs/…`) or absolute http(s) on one of the server's own hosts:
 * the host of PARLEY_PUBLIC_URL, and the address the server listens on (with `localhost`, `127.0.0.1`
 * and `[::1]` for loopback or wildcard binds). Links anywhere else are left exactly as sent.
 */
export class BlobLinks {
  private readonly hosts = new Set<string>();
  private readonly blobPaths = new Set<string>(['/blobs/']);

  constructor(publicUrl: string) {
    const base = parseAbsolute(publicUrl);
    if (!base) return;
    this.hosts.add(base.host);
    const prefix = base.pathname.replace(/\/+$/, '');
    if (prefix !== '') this.blobPaths.add(`${prefix}/blobs/`);
  }

  /** The base URL the server listens on (`http://127.0.0.1:8080`), known once it is bound. */
  addListenUrl(url: string): void {
    const parsed = parseAbsolute(url);
    if (!parsed) return;
    this.hosts.add(parsed.host);
    if (LOCAL_NAMES.has(parsed.hostname)) {
      for (const name of ['localhost', '127.0.0.1', '[::1]']) this.hosts.add(parsed.port === '' ? name : `${name}:${parsed.port}`);
    }
  }

  /** Whether `value` is a link to one of this server's files. */
  isOwnBlobLink(value: string): boolean {
    const absolute = ABSOLUTE.test(value.trim());
    let url: URL;
    try {
      url = new URL(value.trim(), RELATIVE_BASE);
    } catch {
      return false;
    }
    if (absolute && !((url.protocol === 'http:' || url.protocol === 'https:') && this.hosts.has(url.host))) return false;
    const path = decodedPath(url.pathname);
    return [...this.blobPaths].some((prefix) => path.startsWith(prefix));
  }

  /** `value` without its `token` query parameter when it is a link to this server's files; else unchanged. */
  strip(value: string): string {
    if (!value.includes('?') || !this.isOwnBlobLink(value)) return value;
    return withoutTokenParam(value);
  }

  /** Strings anywhere inside `value` (objects and arrays, recursively) stripped as by `strip`. */
  stripDeep<T>(value: T): T {
    if (typeof value === 'string') return this.strip(value) as T;
    if (Array.isArray(value)) return value.map((item: unknown) => this.stripDeep(item)) as T;
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.stripDeep(item)])) as T;
    }
    return value;
  }
}

/** Has a scheme (`https:`, `mailto:`) or is protocol-relative (`//host/…`). */
const ABSOLUTE = /^([a-z][a-z0-9+.-]*:|\/\/)/i;
const RELATIVE_BASE = 'http://relative.invalid/';
const LOCAL_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '0.0.0.0', '[::]']);

function parseAbsolute(value: string): URL | undefined {
  if (value.trim() === '') return undefined;
  try {
    return new URL(value.trim());
  } catch {
    return undefined;
  }
}

/** Drops every `token=` parameter from the query, leaving the rest of the text exactly as it was. */
function withoutTokenParam(value: string): string {
  const hashAt = value.indexOf('#');
  const beforeHash = hashAt === -1 ? value : value.slice(0, hashAt);
  const hash = hashAt === -1 ? '' : value.slice(hashAt);
  const queryAt = beforeHash.indexOf('?');
  if (queryAt === -1) return value;
  const kept = beforeHash
    .slice(queryAt + 1)
    .split('&')
    .filter((pair) => paramName(pair) !== 'token');
  const query = kept.filter((pair) => pair !== '').length === 0 ? '' : `?${kept.join('&')}`;
  return `${beforeHash.slice(0, queryAt)}${query}${hash}`;
}

/** The path as the HTTP router matches it (percent-escapes decoded). */
function decodedPath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

function paramName(pair: string): string {
  const raw = pair.split('=', 1)[0] ?? '';
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}
