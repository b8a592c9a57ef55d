import { parseDateInput, toFlag } from '@parley/protocol';
import type { ClassField, FieldType } from '../../ports/data-store.js';

/**
 * Field values of custom objects (rest.md §6.1): input coerced to the declared type, leniently as the
 * cloud is (`"41"` → 41, `"lng, lat"` → [lng, lat], ISO or unix date → ISO text). A value that cannot be
 * read as its type is an error message; `null` clears a field.
 */
export type Coerced = { ok: true; value: unknown } | { ok: false; message: string };

const ok = (value: unknown): Coerced => ({ ok: true, value });
const bad = (message: string): Coerced => ({ ok: false, message });

/** Largest Array field, so one record cannot grow without bound. */
export const MAX_ARRAY_ITEMS = 1000;
/** Longest String value, in characters. */
export const MAX_STRING_LENGTH = 65_536;

/**
 * Text the databases can hold: no NUL (PostgreSQL text and jsonb refuse it) and no lone UTF-16
 * surrogate (jsonb refuses its escape). Checked on every stored or compared string.
 */
export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

/** Every string (keys too) in a JSON value is storable text. */
function isStorableJson(value: unknown): boolean {
  if (typeof value === 'string') return isStorableText(value);
  if (Array.isArray(value)) return value.every(isStorableJson);
  if (typeof value === 'object' && value !== null) return Object.entries(value).every(([key, item]) => isStorableText(key) && isStorableJson(item));
  return true;
}

export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(value)) {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

export function toLocation(value: unknown): [number, number] | undefined {
  const parts = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
  if (!parts || parts.length !== 2) return undefined;
  const [longitude, latitude] = parts.map(toNumber);
  if (longitude === undefined || latitude === undefined) return undefined;
  if (Math.abs(longitude) > 180 || Math.abs(latitude) > 90) return undefined;
  return [longitude, latitude];
}

export function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean';
}

/** An Array field's element: scalars only. */
export function arrayItems(value: unknown): (string | number | boolean)[] | undefined {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',').map((item) => item.trim()).filter(Boolean) : isScalar(value) ? [value] : undefined;
  if (!items || !items.every(isScalar)) return undefined;
  return items;
}

export function coerceValue(type: FieldType, value: unknown): Coerced {
  if (value === null) return ok(null);
  switch (type) {
    case 'Integer': {
      const number = toNumber(value);
      return number !== undefined && Number.isSafeInteger(number) ? ok(number) : bad('must be an integer');
    }
    case 'Float': {
      const number = toNumber(value);
      return number === undefined ? bad('must be a number') : ok(number);
    }
    case 'Boolean': {
      const flag = toFlag(value);
      return flag === undefined ? bad('must be true or false') : ok(flag);
    }
    case 'String':
      if (typeof value === 'string') {
        if (!isStorableText(value)) return bad('must be text without NUL characters or broken surrogates');
        return value.length > MAX_STRING_LENGTH ? bad(`must be at most ${MAX_STRING_LENGTH} characters`) : ok(value);
      }
      return typeof value === 'number' || typeof value === 'boolean' ? ok(String(value)) : bad('must be a string');
    case 'Array': {
      const items = arrayItems(value);
      if (!items || !items.every((item) => typeof item !== 'string' || isStorableText(item))) return bad('must be an array of strings, numbers or booleans');
      return items.length > MAX_ARRAY_ITEMS ? bad(`must have at most ${MAX_ARRAY_ITEMS} items`) : ok(items);
    }
    case 'Location': {
      const location = toLocation(value);
      return location ? ok(location) : bad('must be [longitude, latitude] or "longitude, latitude"');
    }
    case 'Date': {
      const epochMs = parseDateInput(value);
      return epochMs === undefined || Number.isNaN(new Date(epochMs).getTime()) ? bad('must be a date (ISO 8601 or unix seconds)') : ok(new Date(epochMs).toISOString());
    }
    case 'File':
      if ((typeof value === 'string' || (typeof value === 'object' && !Array.isArray(value))) && isStorableJson(value)) return ok(value);
      return bad('must be a file reference');
  }
}

/** Every declared field, missing ones as null (rest.md §6.1). */
export function withAllFields(fields: ClassField[], values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(fields.map((field) => [field.name, values[field.name] ?? null]));
}
