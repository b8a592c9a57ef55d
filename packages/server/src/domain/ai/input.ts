import { DomainFailure } from '../shared/failure.js';

/** Tones the seed names; any other tone of up to TONE_MAX_CHARS letters, digits, spaces and light punctuation works too. */
export const PRESET_TONES = ['positive', 'negative', 'cringe'] as const;
export const TONE_MAX_CHARS = 40;
export const DRAFT_MAX_CHARS = 2000;
export const LANGUAGE_MAX_CHARS = 40;
export const DAYS_MAX = 365;
const DEFAULT_LANGUAGE = 'English';

/** A language name: up to three words of letters (e.g. "Chinese (Simplified)", "Brazilian Portuguese"). */
const LANGUAGE = /^[\p{L}\p{M}()-]+( [\p{L}\p{M}()-]+){0,2}$/u;
const TONE = /^[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N} ,'&-]*$/u;

export interface SummaryInput {
  dialogId: string;
  days: number | undefined;
  language: string;
}

export interface ToneInput {
  text: string;
  tone: string;
  language: string;
}

type Fields = Record<string, string[]>;

function objectOf(body: unknown): Record<string, unknown> {
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

function readLanguage(value: unknown, errors: Fields): string {
  if (value === undefined || value === null || value === '') return DEFAULT_LANGUAGE;
  if (typeof value !== 'string' || value.trim().length > LANGUAGE_MAX_CHARS || !LANGUAGE.test(value.trim())) {
    errors.language = [`must be a language name of at most three words and ${LANGUAGE_MAX_CHARS} letters, e.g. English`];
    return DEFAULT_LANGUAGE;
  }
  return value.trim();
}

function fail(errors: Fields): void {
  if (Object.keys(errors).length > 0) throw new DomainFailure('VALIDATION_FAILED', { fields: errors });
}

/** `{ dialog_id, days?, language? }` of POST /ai/summarize. */
export function readSummaryInput(body: unknown): SummaryInput {
  const input = objectOf(body);
  const errors: Fields = {};
  const dialogId = input.dialog_id;
  if (typeof dialogId !== 'string' || dialogId === '') errors.dialog_id = ['cannot be blank'];
  let days: number | undefined;
  if (input.days !== undefined && input.days !== null) {
    if (typeof input.days !== 'number' || !Number.isInteger(input.days) || input.days < 1 || input.days > DAYS_MAX) errors.days = [`must be an integer from 1 to ${DAYS_MAX}`];
    else days = input.days;
  }
  const language = readLanguage(input.language, errors);
  fail(errors);
  return { dialogId: dialogId as string, days, language };
}

/** `{ text, tone, language? }` of POST /ai/tone. */
export function readToneInput(body: unknown): ToneInput {
  const input = objectOf(body);
  const errors: Fields = {};
  const text = typeof input.text === 'string' ? input.text.trim() : '';
  if (typeof input.text !== 'string' || text === '') errors.text = ['cannot be blank'];
  else if (text.length > DRAFT_MAX_CHARS) errors.text = [`is too long (at most ${DRAFT_MAX_CHARS} characters)`];
  const tone = typeof input.tone === 'string' ? input.tone.trim() : '';
  if (tone === '') errors.tone = [`cannot be blank (${PRESET_TONES.join(', ')} or a tone of your own)`];
  else if (tone.length > TONE_MAX_CHARS || !TONE.test(tone)) errors.tone = [`must be at most ${TONE_MAX_CHARS} letters, digits, spaces or , ' & -`];
  const language = readLanguage(input.language, errors);
  fail(errors);
  return { text, tone, language };
}
