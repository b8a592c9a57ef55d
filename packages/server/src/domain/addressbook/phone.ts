import { phoneMatchKey } from '../../ports/address-book.js';

/**
 * Contact phones (rest.md §8): the contract's "10–15 characters" counts digits, so formatted numbers
 * (`+1 (555) 010-0200`) are accepted; matching uses only the digits (`phoneMatchKey`).
 */
export const PHONE_DIGITS = { min: 10, max: 15 } as const;
/** Room for formatting around 15 digits, and no more. */
export const PHONE_MAX_CHARS = 32;

const FORMATTED_PHONE = /^\+?[\d\s().-]+$/;

export type ParsedPhone = { ok: true; phone: string; phoneKey: string } | { ok: false; reason: string };

export const phoneLengthReason = `Length of 'phone' field should be min: ${PHONE_DIGITS.min} and max: ${PHONE_DIGITS.max}.`;

/** A contact's phone as stored (trimmed, as typed) and its match key, or why it is refused. */
export function parseContactPhone(raw: unknown): ParsedPhone {
  if (raw === undefined || raw === null || raw === '') return { ok: false, reason: "Field 'phone' is required." };
  // JSON numbers are digits too (`"phone": 5550100200`); anything else is not a phone.
  const text = typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0 ? String(raw) : typeof raw === 'string' ? raw.trim() : undefined;
  if (text === undefined) return { ok: false, reason: "Field 'phone' should be a string." };
  if (text.length > PHONE_MAX_CHARS) return { ok: false, reason: `Field 'phone' should be at most ${PHONE_MAX_CHARS} characters.` };
  if (!FORMATTED_PHONE.test(text)) return { ok: false, reason: "Field 'phone' may hold only digits, spaces, '+' first, and ( ) - ." };
  const phoneKey = phoneMatchKey(text);
  if (phoneKey === null || phoneKey.length < PHONE_DIGITS.min || phoneKey.length > PHONE_DIGITS.max) return { ok: false, reason: phoneLengthReason };
  return { ok: true, phone: text, phoneKey };
}
