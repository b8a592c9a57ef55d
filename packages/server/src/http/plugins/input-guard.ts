import type { FastifyInstance } from 'fastify';
import { DomainFailure } from '../../domain/shared/failure.js';
import { firstForbiddenXmlChar } from '../../domain/shared/xml-text.js';

/** Deepest nesting a JSON body may have (custom fields, `extensions`, data records …). */
export const MAX_INPUT_DEPTH = 32;

/**
 * Every parsed body, query and path parameter, before any route sees it: nesting deeper than MAX_INPUT_DEPTH (a
 * 5,000-deep object once overflowed the stack in a handler), and text XML 1.0 cannot carry (control
 * characters, U+FFFE/U+FFFF, lone surrogates) in any key or value, get a 422 naming the field. Text
 * from REST reaches XMPP clients (live stanzas, archive replies), where such characters would break
 * their parsers. Walks iteratively, so the check itself cannot overflow the stack.
 */
export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    checkInput(request.params);
    checkInput(request.query);
    if (typeof request.body === 'object' && request.body !== null && !Buffer.isBuffer(request.body)) checkInput(request.body);
  });
}

export function checkInput(root: unknown): void {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      const bad = firstForbiddenXmlChar(value);
      if (bad !== undefined) throw invalid(path || 'base', `contains a character that is not allowed (U+${bad.toString(16).toUpperCase().padStart(4, '0')})`);
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_INPUT_DEPTH) throw invalid(path || 'base', `is nested too deeply (maximum depth is ${MAX_INPUT_DEPTH})`);
    if (Array.isArray(value)) {
      // Numbers, booleans and nulls need no check: only strings and containers go on the stack.
      for (const item of value) if (typeof item === 'string' || (typeof item === 'object' && item !== null)) stack.push({ value: item, path, depth: depth + 1 });
      continue;
    }
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const child = path === '' ? key : `${path}.${key}`;
      const bad = firstForbiddenXmlChar(key);
      if (bad !== undefined) throw invalid(path || 'base', `has a key with a character that is not allowed (U+${bad.toString(16).toUpperCase().padStart(4, '0')})`);
      stack.push({ value: item, path: child, depth: depth + 1 });
    }
  }
}

function invalid(field: string, message: string): DomainFailure {
  return new DomainFailure('VALIDATION_FAILED', { fields: { [field]: [message] } });
}
