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

export function invalidField(field: string, message: string): DomainFailure {
  return new DomainFailure('VALIDATION_FAILED', { fields: { [field]: [message] } });
}
