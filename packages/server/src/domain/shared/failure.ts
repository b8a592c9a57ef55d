import type { ErrorCode } from '@parley/protocol';

export interface FailureDetail {
  /** Replaces the catalogue's default message. */
  message?: string;
  /** Per-field messages for VALIDATION_FAILED. */
  fields?: Record<string, string[]>;
  retryAfterSeconds?: number;
}

/**
 * An expected failure: a catalogue code plus detail. Services throw it so a face can map it to its
 * wire; anything else thrown is a bug and becomes a logged 500.
 */
export class DomainFailure extends Error {
  override name = 'DomainFailure';
  constructor(
    readonly code: ErrorCode,
    readonly detail: FailureDetail = {},
  ) {
    super(detail.message ?? code);
  }
}

/** Per-field messages of a 422 (`VALIDATION_FAILED`), in the order they are reported. */
export type FieldErrors = Record<string, string[]>;

export function addError(errors: FieldErrors, field: string, message: string): void {
  (errors[field] ??= []).push(message);
}

/** Throws the 422 when any field has a message. */
export function throwIfInvalid(errors: FieldErrors | undefined): void {
  if (errors && Object.keys(errors).length > 0) throw new DomainFailure('VALIDATION_FAILED', { fields: errors });
}

export function invalidField(field: string, message: string): DomainFailure {
  return new DomainFailure('VALIDATION_FAILED', { fields: { [field]: [message] } });
}
