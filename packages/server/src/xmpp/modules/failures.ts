import { UNKNOWN_RECIPIENT } from '../../domain/messages/rules.js';
import { DomainFailure } from '../../domain/shared/failure.js';
import type { StanzaContext } from '../module.js';
import type { StanzaErrorSpec } from '../stanza-errors.js';

/** Domain failures as stanza errors (realtime.md §7.11); anything else is not an expected failure. */
export function stanzaErrorOf(error: unknown): StanzaErrorSpec | undefined {
  if (!(error instanceof DomainFailure)) return undefined;
  const text = error.detail.fields ? Object.entries(error.detail.fields).map(([field, messages]) => `${field} ${messages.join(', ')}`).join('; ') : error.message;
  // A message to a user who does not exist is an unknown address on XMPP (REST names the field: 422).
  if (error.detail.fields?.recipient_id?.includes(UNKNOWN_RECIPIENT)) return { condition: 'item-not-found', text: 'Not found' };
  switch (error.code) {
    case 'CHAT_NOT_FOUND':
    case 'NOT_FOUND':
      return { condition: 'item-not-found', text: 'Not found' };
    case 'CHAT_FORBIDDEN':
    case 'FORBIDDEN':
    case 'NEED_USER':
      return { condition: 'forbidden', text };
    case 'RATE_LIMITED':
      return { condition: 'resource-constraint', text };
    case 'VALIDATION_FAILED':
    case 'QUERY_INVALID':
      return { condition: 'bad-request', text };
    default:
      return undefined;
  }
}

/** Runs a domain call for a stanza; an expected failure is bounced to the sender (§7.11) and yields undefined. */
export async function orBounce<T>(ctx: StanzaContext, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    const spec = stanzaErrorOf(error);
    if (!spec) throw error;
    ctx.bounce(spec);
    return undefined;
  }
}
