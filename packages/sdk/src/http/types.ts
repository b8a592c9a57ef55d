// Shapes shared by the transport and the feature services that call it.

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** How the response body is read; fixed per endpoint by the contract (rest.md §1.4, §12). */
export type ResponseMode = 'json' | 'text';

/** One REST call as a feature service describes it; the transport turns it into a fetch. */
export interface ApiRequest {
  method: HttpMethod;
  /** Route relative to the API base, without `.json` (see `routePath`). */
  path: string;
  /** Query for GET/HEAD, JSON body for POST/PUT, urlencoded body for DELETE/PATCH. */
  data?: object | undefined;
  /** Defaults to `json`. */
  responseMode?: ResponseMode;
  /** Expand every array as `k[]=v` (only `users.getV2`). */
  expandArrays?: boolean;
  /** Sent as `CB-AuthKey` when there is no session token (only sign-up). */
  authKey?: string | undefined;
  /** An absolute URL used verbatim instead of `path` (the blob upload URL the server hands out). */
  url?: string;
  /** A multipart body (blob upload): sent as is, and `fetch` sets its Content-Type with the boundary. */
  form?: FormData;
}

/** The part of a fetch `Response` the SDK reads; lets tests return small fakes. */
export interface FetchResponseLike {
  ok: boolean;
  status: number;
  url?: string;
  text(): Promise<string>;
  json(): Promise<unknown>;
}

/** Any fetch-compatible function; the global `fetch` fits, and so does a test double. */
export type FetchLike = (url: string, init: RequestInit) => Promise<FetchResponseLike>;

/**
 * What every failed call rejects with, as in the official SDK: the HTTP status and the parsed
 * JSON error body. `info` is `' '` when the body was missing or not JSON; `code` is 0 when no
 * HTTP response arrived (network failure, timeout).
 */
export interface ApiError {
  code: number;
  info: unknown;
}
