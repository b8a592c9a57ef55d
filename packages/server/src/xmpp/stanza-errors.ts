import type { Element} from '@xmpp/xml';
import { xml } from '@xmpp/xml';
import { NS } from './ns.js';

/** RFC 6120 §8.3.3 conditions with their legacy numeric code (XEP-0086) and default error type. */
export const STANZA_ERRORS = {
  'bad-request': { code: 400, type: 'modify' },
  conflict: { code: 409, type: 'cancel' },
  'feature-not-implemented': { code: 501, type: 'cancel' },
  forbidden: { code: 403, type: 'auth' },
  gone: { code: 302, type: 'modify' },
  'internal-server-error': { code: 500, type: 'wait' },
  'item-not-found': { code: 404, type: 'cancel' },
  'jid-malformed': { code: 400, type: 'modify' },
  'not-acceptable': { code: 406, type: 'modify' },
  'not-allowed': { code: 405, type: 'cancel' },
  'not-authorized': { code: 401, type: 'auth' },
  'policy-violation': { code: 406, type: 'modify' },
  'recipient-unavailable': { code: 404, type: 'wait' },
  redirect: { code: 302, type: 'modify' },
  'registration-required': { code: 407, type: 'auth' },
  'remote-server-not-found': { code: 404, type: 'cancel' },
  'remote-server-timeout': { code: 504, type: 'wait' },
  'resource-constraint': { code: 500, type: 'wait' },
  'service-unavailable': { code: 503, type: 'cancel' },
  'subscription-required': { code: 407, type: 'auth' },
  'undefined-condition': { code: 500, type: 'cancel' },
  'unexpected-request': { code: 400, type: 'wait' },
} as const satisfies Record<string, { code: number; type: 'auth' | 'cancel' | 'continue' | 'modify' | 'wait' }>;

export type StanzaErrorCondition = keyof typeof STANZA_ERRORS;

export interface StanzaErrorSpec {
  condition: StanzaErrorCondition;
  /** Goes to `<text>`; the SDK reports it as `info` (realtime.md §7.11). */
  text?: string;
  /** Overrides the condition's legacy code (the contract table sometimes differs from XEP-0086). */
  code?: number;
  type?: 'auth' | 'cancel' | 'continue' | 'modify' | 'wait';
}

/** `<error code="503" type="cancel"><service-unavailable …/><text …>…</text></error>` (realtime.md §7.11). */
export function errorElement(spec: StanzaErrorSpec): Element {
  const known = STANZA_ERRORS[spec.condition];
  const error = xml('error', { code: String(spec.code ?? known.code), type: spec.type ?? known.type }, xml(spec.condition, { xmlns: NS.stanzas }));
  if (spec.text !== undefined) error.append(xml('text', { xmlns: NS.stanzas }, spec.text));
  return error;
}

/**
 * The error reply to `stanza` (same kind, same id, type="error") from the address the client wrote to
 * (`from`, usually the original `to`), to the sender. Returns undefined for stanzas that must never be
 * bounced (type="error" itself, iq results).
 */
export function bounceOf(stanza: Element, spec: StanzaErrorSpec, addresses: { from: string; to: string }): Element | undefined {
  const type = stanza.attrs.type;
  if (type === 'error' || (stanza.name === 'iq' && type === 'result')) return undefined;
  const attrs: Record<string, string> = { xmlns: NS.client, type: 'error', from: addresses.from, to: addresses.to };
  if (stanza.attrs.id !== undefined) attrs.id = stanza.attrs.id;
  return xml(stanza.name, attrs, errorElement(spec));
}
