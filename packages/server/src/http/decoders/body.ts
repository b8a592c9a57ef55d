import { DomainFailure, invalidField, type FieldErrors } from '../../domain/shared/failure.js';

/** A JSON body as an object; absent = empty. */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw invalidField('base', 'body must be an object');
  return body as Record<string, unknown>;
}

/**
 * Runs a reader that throws the contract's 422 and keeps its field errors in `invalid` instead, for a
 * service to report after its access checks (where the contract answers them). `fallback` stands in.
 */
export function deferInvalid<T>(invalid: FieldErrors, fallback: T, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof DomainFailure) || error.code !== 'VALIDATION_FAILED' || !error.detail.fields) throw error;
    Object.assign(invalid, error.detail.fields);
    return fallback;
  }
}
