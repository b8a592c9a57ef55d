import { errorBody, errorCatalogue, type ErrorBody, type ErrorCode } from '@parley/protocol';
import type { FastifyError, FastifyInstance } from 'fastify';
import { DomainFailure } from '../../domain/shared/failure.js';

interface WireError {
  status: number;
  body: ErrorBody;
  retryAfterSeconds?: number;
}

function fromCode(code: ErrorCode, message?: string, fields?: Record<string, string[]>): WireError {
  return { status: errorCatalogue[code].status, body: errorBody(code, message, fields) };
}

/** Fastify/ajv validation errors → `{"errors":{"<field>":["…"]}}`, named by the innermost property. */
function validationFields(error: FastifyError): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of error.validation ?? []) {
    const missing = (issue.params as { missingProperty?: string }).missingProperty;
    const path = issue.instancePath.split('/').filter(Boolean);
    const field = missing ?? path[path.length - 1] ?? 'base';
    (fields[field] ??= []).push(missing ? 'cannot be blank' : (issue.message ?? 'is invalid'));
  }
  return fields;
}

/** Maps any thrown value to the contract's error body; only unknown errors are logged as bugs. */
export function toWireError(error: unknown): WireError | undefined {
  if (error instanceof DomainFailure) {
    const wire = fromCode(error.code, error.detail.message, error.detail.fields);
    return error.detail.retryAfterSeconds === undefined ? wire : { ...wire, retryAfterSeconds: error.detail.retryAfterSeconds };
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) return fromCode('VALIDATION_FAILED', undefined, validationFields(fastifyError));
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return fromCode('BODY_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return fromCode('UNSUPPORTED_MEDIA_TYPE');
  }
  if (fastifyError.statusCode === 400 || error instanceof SyntaxError) return fromCode('MALFORMED_REQUEST');
  if (fastifyError.statusCode === 413) return fromCode('BODY_TOO_LARGE');
  if (fastifyError.statusCode === 415) return fromCode('UNSUPPORTED_MEDIA_TYPE');
  return undefined;
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const wire = toWireError(error);
    if (!wire) {
      request.log.error({ err: error }, 'unhandled error');
      void reply.code(500).send(errorBody('INTERNAL'));
      return;
    }
    // Failed authentication is worth a line (the code only: never the credentials).
    if (wire.status === 401 || wire.status === 429) request.log.warn({ code: error instanceof DomainFailure ? error.code : wire.status, url: request.originalUrl.split('?')[0] }, 'auth failed');
    if (wire.retryAfterSeconds !== undefined) void reply.header('Retry-After', String(wire.retryAfterSeconds));
    void reply.code(wire.status).send(wire.body);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send(errorBody('ROUTE_NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0]}`));
  });
}
