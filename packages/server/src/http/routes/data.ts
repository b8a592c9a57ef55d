import type {
  DataAggregateWire,
  DataCountWire,
  DataDeleteWire,
  DataListWire,
  DataPermissionsWire,
  DataUpdateWire,
} from '@parley/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainFailure } from '../../domain/shared/failure.js';
import { recordPermissionsWire, recordWire } from '../data-presenters.js';
import { actorOf } from '../plugins/auth.js';
import type { HttpDependencies } from '../services.js';
import { idList } from './dialogs.js';

type Query = Record<string, unknown>;
type ClassParams = { Params: { className: string }; Querystring: Query; Body: unknown };
type RecordParams = { Params: { className: string; ids: string }; Querystring: Query; Body: unknown };

/** Criteria of a DELETE: the urlencoded body, and the query string too (rest.md §1.3). */
function criteriaOf(request: FastifyRequest<{ Querystring: Query; Body: unknown }>): Query {
  const body = request.body && typeof request.body === 'object' && !Array.isArray(request.body) ? (request.body as Query) : {};
  return { ...request.query, ...body };
}

/**
 * Custom objects (rest.md §6.2–§6.7). Reads also take an application session (only records open to
 * everyone come back); writes need a user. Static segments (`multi`, `by_criteria`) win over ids.
 */
export function dataRoutes(app: FastifyInstance, deps: HttpDependencies): void {
  const data = deps.data;

  app.get<ClassParams>('/data/:className', { config: { auth: 'app' } }, async (request): Promise<DataListWire | DataCountWire | DataAggregateWire> => {
    const { className } = request.params;
    const result = await data.list(actorOf(request), className, request.query);
    if (result.kind === 'count') return { class_name: className, count: result.count };
    if (result.kind === 'aggregate') {
      return { class_name: className, items: result.rows.map((row) => ({ [result.groupName]: row.group, [result.fieldName]: { [result.op]: row.value } })) };
    }
    return { class_name: className, skip: result.skip, limit: result.limit, items: result.items.map((record) => recordWire(record, result.output)) };
  });

  app.post<ClassParams>('/data/:className', async (request, reply) => {
    const record = await data.create(actorOf(request), request.params.className, request.body);
    return reply.code(201).send(recordWire(record));
  });

  app.post<ClassParams>('/data/:className/multi', async (request, reply) => {
    const records = await data.createMany(actorOf(request), request.params.className, request.body);
    return reply.code(201).send({ class_name: request.params.className, items: records.map((record) => recordWire(record)) } satisfies DataListWire);
  });

  app.put<ClassParams>('/data/:className', async () => {
    throw new DomainFailure('VALIDATION_FAILED', { fields: { id: ['an update needs a record id, search_criteria or a list of records'] } });
  });

  app.put<ClassParams>('/data/:className/multi', async (request): Promise<DataUpdateWire> => {
    const result = await data.updateMany(actorOf(request), request.params.className, request.body);
    return { class_name: request.params.className, not_found: { ids: result.notFound }, items: result.items.map((record) => recordWire(record)) };
  });

  app.put<ClassParams>('/data/:className/by_criteria', async (request): Promise<DataUpdateWire> => {
    const result = await data.updateByCriteria(actorOf(request), request.params.className, request.body);
    return { class_name: request.params.className, skip: 0, limit: result.items.length, total_found: result.total, items: result.items.map((record) => recordWire(record)) };
  });

  app.delete<ClassParams>('/data/:className/by_criteria', async (request): Promise<DataDeleteWire> => ({
    total_deleted: await data.deleteByCriteria(actorOf(request), request.params.className, criteriaOf(request)),
  }));

  app.get<RecordParams>('/data/:className/:ids', { config: { auth: 'app' } }, async (request): Promise<DataPermissionsWire | DataListWire> => {
    const { className, ids } = request.params;
    if (request.query.permissions !== undefined && String(request.query.permissions) !== '0') {
      const record = await data.readPermissions(actorOf(request), className, ids);
      return { record_id: record.id, permissions: recordPermissionsWire(record.permissions) };
    }
    const records = await data.byIds(actorOf(request), className, idList(ids));
    return { class_name: className, items: records.map((record) => recordWire(record)) };
  });

  app.put<RecordParams>('/data/:className/:ids', async (request) => recordWire(await data.update(actorOf(request), request.params.className, request.params.ids, request.body)));

  app.delete<RecordParams>('/data/:className/:ids', async (request, reply) => {
    const ids = idList(request.params.ids);
    if (ids.length === 1) {
      await data.deleteOne(actorOf(request), request.params.className, ids[0] ?? '');
      return reply.code(200).send();
    }
    const summary = await data.deleteMany(actorOf(request), request.params.className, ids);
    return { SuccessfullyDeleted: { ids: summary.deleted }, WrongPermissions: { ids: summary.wrongPermissions }, NotFound: { ids: summary.notFound } } satisfies DataDeleteWire;
  });
}
