import { toFlag, toInteger } from '@parley/protocol';
import { DomainFailure, invalidField } from '../shared/failure.js';

/** rest.md §5.1 / [A-41]: names 1–100 characters. */
const NAME_MAX = 100;
const CONTENT_TYPE_MAX = 255;
/** Printable ASCII only: the content type becomes a response header. */
const CONTENT_TYPE_PATTERN = /^[\x21-\x7e][\x20-\x7e]*$/;

export interface BlobFields {
  name?: string;
  contentType?: string;
  isPublic?: boolean;
}

/** `{blob:{…}}` (the SDK and docs) or the fields at the top level (lenient). */
export function blobBody(body: unknown): Record<string, unknown> {
  const object = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const inner = object.blob;
  return typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? (inner as Record<string, unknown>) : object;
}

export function readName(value: unknown): string {
  if (typeof value !== 'string' && typeof value !== 'number') throw invalidField('name', 'cannot be blank');
  const name = String(value);
  if (name.trim() === '') throw invalidField('name', 'cannot be blank');
  if (name.length > NAME_MAX) throw invalidField('name', `is too long (maximum is ${NAME_MAX} characters)`);
  return name;
}

export function readContentType(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalidField('content_type', 'cannot be blank');
  const contentType = value.trim();
  if (contentType.length > CONTENT_TYPE_MAX || !CONTENT_TYPE_PATTERN.test(contentType)) throw invalidField('content_type', 'is invalid');
  return contentType;
}

/** Create: name and content type required (both reported at once), `public` false when absent. */
export function readNewBlob(body: unknown): Required<BlobFields> {
  const fields = blobBody(body);
  const errors: Record<string, string[]> = {};
  const attempt = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof DomainFailure)) throw error;
      Object.assign(errors, error.detail.fields);
      return undefined;
    }
  };
  const name = attempt(() => readName(fields.name));
  const contentType = attempt(() => readContentType(fields.content_type));
  if (name === undefined || contentType === undefined) throw new DomainFailure('VALIDATION_FAILED', { fields: errors });
  return { name, contentType, isPublic: readPublic(fields.public) ?? false };
}

/** Update: any of name and content type. */
export function readBlobChange(body: unknown): BlobFields {
  const fields = blobBody(body);
  const change: BlobFields = {};
  if (fields.name !== undefined) change.name = readName(fields.name);
  if (fields.content_type !== undefined) change.contentType = readContentType(fields.content_type);
  return change;
}

function readPublic(value: unknown): boolean | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const flag = toFlag(value);
  if (flag === undefined) throw invalidField('public', 'must be true or false');
  return flag;
}

/** "Declare uploaded": `{size}` (SDK) or `{blob:{size}}` (docs, Flutter); optional. */
export function readDeclaredSize(body: unknown): number | undefined {
  const object = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const raw = object.size ?? blobBody(body).size;
  if (raw === undefined || raw === null || raw === '') return undefined;
  const size = toInteger(raw);
  if (size === undefined || size < 0) throw invalidField('size', 'must be a non-negative integer');
  return size;
}

export const PER_PAGE_DEFAULT = 10;
export const PER_PAGE_MAX = 100;

/** `page` or `current_page` (SDK type name), `per_page` default 10, max 100 (rest.md §5.9). */
export function readBlobPage(query: Record<string, unknown>): { page: number; perPage: number } {
  const page = readPositive('page', query.page ?? query.current_page, 1);
  const perPage = Math.min(readPositive('per_page', query.per_page, PER_PAGE_DEFAULT), PER_PAGE_MAX);
  return { page, perPage };
}

function readPositive(field: string, value: unknown, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = toInteger(value);
  if (parsed === undefined || parsed < 1) throw invalidField(field, 'must be a positive integer');
  return parsed;
}
