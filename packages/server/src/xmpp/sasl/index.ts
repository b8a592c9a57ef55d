import { saslFailure, type SaslFailure } from './failure.js';

export { SASL_CONDITIONS, decodeUtf8, isSaslCondition, saslFailure } from './failure.js';
export type { SaslCondition, SaslFailure } from './failure.js';
export { DEFAULT_MAX_PAYLOAD_CHARS, decodeSaslPayload, encodeSaslPayload } from './payload.js';
export { DEFAULT_PLAIN_MAX_BYTES, parsePlain } from './plain.js';
export type { PlainCredentials, PlainOptions } from './plain.js';
export { DEFAULT_SCRAM_MAX_MESSAGE_BYTES, ScramSha1Server, decodeSaslName, parseClientFirst } from './scram-sha-1.js';
export type {
  ScramChallenge,
  ScramCredential,
  ScramCredentialLookup,
  ScramSha1ServerOptions,
  ScramSuccess,
} from './scram-sha-1.js';

export type SaslMechanismName = 'PLAIN' | 'SCRAM-SHA-1';

/** Checks the `mechanism` attribute of `<auth/>` against what this stream offered (`invalid-mechanism`). */
export function selectMechanism(
  requested: string | undefined,
  offered: readonly SaslMechanismName[],
): { ok: true; mechanism: SaslMechanismName } | SaslFailure {
  const found = offered.find((m) => m === requested);
  return found ? { ok: true, mechanism: found } : saslFailure('invalid-mechanism', 'mechanism not offered');
}
