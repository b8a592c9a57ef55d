/** The admin API as the dashboard calls it: same origin, the operator cookie, the CSRF header on writes. */
let csrfToken = '';

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The contract's error bodies as one readable line: `{errors:{base:[…]}}`, `{errors:[…]}`, `{errors:{field:[…]}}`. */
function errorText(status: number, body: unknown): string {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  if (Array.isArray(errors)) return errors.join('; ');
  if (errors && typeof errors === 'object') {
    return Object.entries(errors as Record<string, string[]>)
      .map(([field, messages]) => (field === 'base' ? messages.join('; ') : `${field} ${messages.join('; ')}`))
      .join('; ');
  }
  return status === 0 ? 'The server cannot be reached' : `The server answered ${status}`;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, errorText(0, undefined));
  }
  const text = await response.text();
  const json: unknown = text === '' ? undefined : safeJson(text);
  if (!response.ok) {
    if (response.status === 401 && path !== '/admin/session') window.dispatchEvent(new Event('parley:signed-out'));
    throw new ApiError(response.status, errorText(response.status, json));
  }
  return json as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const query = (params: Record<string, string | number | undefined>): string => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
};

export interface AppSummary {
  id: number;
  name: string;
  authKey: string;
  authSecret?: string;
  settings: Record<string, boolean>;
  createdAt: string;
}
