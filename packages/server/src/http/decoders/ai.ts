import type { SummaryRequest, ToneRequest } from '../../domain/ai/service.js';
import type { AiSettingsChange } from '../../domain/ai/settings.js';
import type { AiProviderName } from '../../ports/ai.js';
import { throwIfInvalid as fail, type FieldErrors as Fields } from '../../domain/shared/failure.js';

/**
 * Bodies of `POST /ai/summarize` and `POST /ai/tone` (docs/ai.md), and an app's AI settings (admin API
 * and CLI), decoded into the AI domain's requests.
 */

/** Tones the seed names; any other tone of up to TONE_MAX_CHARS letters, digits, spaces and light punctuation works too. */
const PRESET_TONES = ['positive', 'negative', 'cringe'] as const;
const TONE_MAX_CHARS = 40;
const DRAFT_MAX_CHARS = 2000;
const LANGUAGE_MAX_CHARS = 40;
const DAYS_MAX = 365;
const DEFAULT_LANGUAGE = 'English';

/** A language name: up to three words of letters (e.g. "Chinese (Simplified)", "Brazilian Portuguese"). */
const LANGUAGE = /^[\p{L}\p{M}()-]+( [\p{L}\p{M}()-]+){0,2}$/u;
const TONE = /^[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N} ,'&-]*$/u;

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

/** `{ dialog_id, days?, language? }` of POST /ai/summarize. */
export function decodeSummaryRequest(body: unknown): SummaryRequest {
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
export function decodeToneRequest(body: unknown): ToneRequest {
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

const PROVIDERS = ['google', 'openai-compatible', 'none'] as const;
const SETTING_MAX_TEXT = 500;

function readSettingText(body: Record<string, unknown>, field: string, errors: Fields): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > SETTING_MAX_TEXT || [...value].some((char) => char.charCodeAt(0) < 32)) {
    (errors[field] ??= []).push(`must be a string of at most ${SETTING_MAX_TEXT} characters without control characters`);
    return undefined;
  }
  return value.trim();
}

function readQuota(body: Record<string, unknown>, field: string, errors: Fields): number | null | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > 100_000_000) {
    (errors[field] ??= []).push('must be an integer from 1 to 100000000, or null for the server default');
    return undefined;
  }
  return value;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/**
 * `PUT /admin/apps/{id}/ai` and `parley ai set`: `provider` (google, openai-compatible or none), `model`,
 * `api_key` (`""` removes it), `base_url`, and the two limits (null = the server default).
 */
export function decodeAiSettings(body: unknown): AiSettingsChange {
  const input = objectOf(body);
  const errors: Fields = {};
  const provider = input.provider;
  if (typeof provider !== 'string' || !(PROVIDERS as readonly string[]).includes(provider)) errors.provider = [`must be one of ${PROVIDERS.join(', ')}`];
  const model = readSettingText(input, 'model', errors);
  const apiKey = readSettingText(input, 'api_key', errors);
  const baseUrl = readSettingText(input, 'base_url', errors);
  const userRequestsPerMinute = readQuota(input, 'user_requests_per_minute', errors);
  const appRequestsPerDay = readQuota(input, 'app_requests_per_day', errors);
  if (baseUrl && !isHttpUrl(baseUrl)) (errors.base_url ??= []).push('must be an http(s) URL without credentials');
  if (provider === 'openai-compatible') {
    if (!model) (errors.model ??= []).push('cannot be blank for openai-compatible');
    if (!baseUrl && !errors.base_url) (errors.base_url ??= []).push('cannot be blank for openai-compatible');
  }
  const change: AiSettingsChange = { provider: provider as AiProviderName | 'none', invalid: errors };
  const optional = { model, apiKey, baseUrl, userRequestsPerMinute, appRequestsPerDay };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) Object.assign(change, { [key]: value });
  return change;
}
