/** RFC 6120 §6.5 SASL failure conditions (the child element of `<failure xmlns="urn:ietf:params:xml:ns:xmpp-sasl">`). */
export const SASL_CONDITIONS = [
  'aborted',
  'account-disabled',
  'credentials-expired',
  'encryption-required',
  'incorrect-encoding',
  'invalid-authzid',
  'invalid-mechanism',
  'malformed-request',
  'mechanism-too-weak',
  'not-authorized',
  'temporary-auth-failure',
] as const;

export type SaslCondition = (typeof SASL_CONDITIONS)[number];

/**
 * A refused SASL step. `text` is for logs and the optional `<text/>` child; it never says whether the
 * user exists.
 */
export interface SaslFailure {
  readonly ok: false;
  readonly condition: SaslCondition;
  readonly text?: string;
}

export function saslFailure(condition: SaslCondition, text?: string): SaslFailure {
  return text === undefined ? { ok: false, condition } : { ok: false, condition, text };
}

export function isSaslCondition(value: string): value is SaslCondition {
  return (SASL_CONDITIONS as readonly string[]).includes(value);
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Strict UTF-8 decoding; `undefined` for byte sequences that are not UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}
