import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainFailure } from '../../domain/shared/failure.js';

export type JsonSchema = Record<string, unknown>;

export interface AdminOperation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify path, e.g. `/admin/apps/:appId`; the OpenAPI path is derived (`{appId}`). */
  url: string;
  tag: string;
  summary: string;
  query?: Record<string, { type: 'string' | 'integer' | 'boolean'; description: string }>;
  body?: JsonSchema;
  /** Schema of the 200/201 body; omitted = empty body. */
  response?: JsonSchema;
  status?: 200 | 201 | 204;
  /** Reached without admin credentials (operator sign-in itself); described with `security: []`. */
  public?: true;
}

type AdminRequest = FastifyRequest<{ Params: Record<string, string>; Querystring: Record<string, unknown>; Body: unknown }>;
export type AdminHandler = (request: AdminRequest, reply: FastifyReply) => Promise<unknown>;

/**
 * Registers admin routes behind the guard and records each as an OpenAPI operation, so the document at
 * /admin/openapi.json is built from the routes themselves and cannot drift from them.
 */
export class AdminRoutes {
  readonly operations: AdminOperation[] = [];

  constructor(
    private readonly app: FastifyInstance,
    private readonly guard: (request: FastifyRequest) => Promise<void>,
  ) {}

  add(operation: AdminOperation, handler: AdminHandler): void {
    this.operations.push(operation);
    this.app.route({
      method: operation.method,
      // Request paths lose a `.json` suffix before routing (rest.md §1), so `/admin/openapi.json` is `/admin/openapi`.
      url: operation.url.replace(/\.json$/, ''),
      config: { auth: 'none' },
      ...(operation.public ? {} : { onRequest: this.guard }),
      handler: async (request, reply) => {
        const result = await handler(request as AdminRequest, reply);
        if (reply.sent) return reply;
        const status = operation.status ?? 200;
        return status === 204 ? reply.code(204).send() : reply.code(status).send(result);
      },
    });
  }
}

/** A positive integer path or query parameter; anything else is the given failure. */
export function idParam(value: unknown, failure: () => DomainFailure): number {
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
  const id = Number(text);
  if (!/^\d{1,15}$/.test(text) || !Number.isSafeInteger(id) || id < 1) throw failure();
  return id;
}

export const appNotFound = () => new DomainFailure('NOT_FOUND', { message: 'Application not found' });
export const userNotFound = () => new DomainFailure('NOT_FOUND', { message: 'User not found' });

/** The JSON object body of a request (an empty object when there is none); arrays and scalars are refused. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new DomainFailure('VALIDATION_FAILED', { fields: { base: ['body must be a JSON object'] } });
  return body as Record<string, unknown>;
}

/** Paging for admin lists: `limit` 1–1000 (default 100) and `offset` ≥ 0. */
export function pageParams(query: Record<string, unknown>): { limit: number; offset: number } {
  const read = (name: string, fallback: number, max: number) => {
    const raw = query[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (typeof raw !== 'string' || !/^\d+$/.test(raw) || value > max) {
      throw new DomainFailure('VALIDATION_FAILED', { fields: { [name]: [`must be an integer from 0 to ${max}`] } });
    }
    return value;
  };
  return { limit: Math.max(1, read('limit', 100, 1000)), offset: read('offset', 0, Number.MAX_SAFE_INTEGER) };
}

export const pageQuery = {
  limit: { type: 'integer', description: '1–1000, default 100' },
  offset: { type: 'integer', description: 'default 0' },
} as const;
