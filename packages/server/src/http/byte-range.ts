import type { ByteRange } from '../ports/blobs.js';

/**
 * One `Range: bytes=…` header against a file of `size` bytes (RFC 9110 §14): a range to serve, `'all'`
 * when the header is absent, malformed or asks for several ranges (answering the whole file is always
 * allowed), or `'unsatisfiable'` (416) when it starts past the end.
 */
export function parseByteRange(header: string | undefined, size: number): ByteRange | 'all' | 'unsatisfiable' {
  if (header === undefined) return 'all';
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match) return 'all';
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return 'all';
  if (first === '') {
    // Suffix form: the last N bytes.
    const length = Number(last);
    if (length === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? Number.MAX_SAFE_INTEGER : Number(last);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) return 'all';
  if (start >= size) return 'unsatisfiable';
  return { start, end: Math.min(end, size - 1) };
}
