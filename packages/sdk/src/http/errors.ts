// Building and recognising the `{code, info}` rejection values.
import type { ApiError } from './types.js';

/** Placeholder the official SDK uses for "no usable body"; callers may compare against it. */
export const NO_BODY = ' ';

/** The exact message the server sends for an unknown/expired token (rest.md §1.5). */
export const SESSION_MISSING_MESSAGE = 'Required session does not exist';

export function apiError(code: number, info: unknown): ApiError {
  return { code, info };
}

/**
 * Throws an ApiError. Deliberately a plain `{code, info}` object, not an Error: that is what the
 * official SDK rejects with, and apps (and shared e2e suites) compare it structurally.
 */
export function failWith(error: ApiError): never {
  throw error as unknown;
}

/** No HTTP response at all: report it in the usual shape so callers need one error path. */
export function networkError(cause: unknown): ApiError {
  const isTimeout = cause instanceof Error && cause.name === 'TimeoutError';
  const message = isTimeout ? 'Request timed out' : cause instanceof Error ? cause.message : String(cause);
  return apiError(0, { errors: { base: [message] } });
}

/** Error bodies must be JSON by contract; anything else is reported as NO_BODY. */
export function parseErrorText(text: string): unknown {
  if (text === '' || text === NO_BODY) return NO_BODY;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NO_BODY;
  }
}

/** Only this exact status + message starts the `on.sessionExpired` flow. */
export function isSessionMissing(error: ApiError): boolean {
  if (error.code !== 401) return false;
  const info = error.info as { errors?: { base?: unknown } } | null | undefined;
  const base = info?.errors?.base;
  return Array.isArray(base) && base[0] === SESSION_MISSING_MESSAGE;
}
