// Turns an ApiRequest into the URL and fetch options the server contract expects (rest.md §1.2–1.3).
import { serializeQuery } from './query.js';
import { apiUrl } from './url.js';
import type { ApiRequest } from './types.js';

/** Value of the CB-SDK header; the contract is written against this protocol version. */
export const SDK_HEADER = 'JS 6.1.2 - Client';

const JSON_TYPE = 'application/json;charset=utf-8';
const FORM_TYPE = 'application/x-www-form-urlencoded; charset=UTF-8';

export interface BuiltRequest {
  url: string;
  init: { method: string; headers: Record<string, string>; body?: string | FormData };
}

/** Pure: the same inputs always give the same request, which keeps it easy to test. */
export function buildRequest(request: ApiRequest, base: string, token: string | undefined): BuiltRequest {
  const method = request.method;
  const isQueryMethod = method === 'GET' || method === 'HEAD';
  const isJsonMethod = method === 'POST' || method === 'PUT';
  let url = request.url ?? apiUrl(base, request.path);
  let body: string | FormData | undefined = request.form;

  // `{}` still counts as data: GET then ends with a bare `?`, as the official SDK sends it.
  if (request.data && !request.form) {
    if (isQueryMethod) {
      url += `?${serializeQuery(request.data, request.expandArrays)}`;
    } else if (isJsonMethod) {
      body = JSON.stringify(request.data);
    } else {
      body = serializeQuery(request.data, request.expandArrays);
    }
  }

  // The content type is sent even without a body; the server's parsers key off it.
  // A multipart body gets its type (with the boundary) from fetch.
  const headers: Record<string, string> = request.form ? {} : { 'Content-Type': isJsonMethod ? JSON_TYPE : FORM_TYPE };

  // Presigned S3 URLs reject unknown headers; everything else is our API.
  if (!url.includes('s3.amazonaws.com')) {
    headers['CB-SDK'] = SDK_HEADER;
    if (token) {
      headers['CB-Token'] = token;
    } else if (request.authKey) {
      headers['CB-AuthKey'] = request.authKey;
    }
  }

  const init: BuiltRequest['init'] = { method, headers };
  if (body !== undefined) init.body = body;
  return { url, init };
}
