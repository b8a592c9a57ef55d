import { appNotFound, idParam, type AdminRoutes } from '../admin/registry.js';
import { recordWire } from '../data-presenters.js';
import type { HttpDependencies } from '../services.js';

const recordSchema = { type: 'object', description: 'A custom-object record as GET /data/{class} shows it (rest.md §6.2)', additionalProperties: true } as const;

/** `/admin/apps/{appId}/data/{class}/records`: every record whatever its permissions; edit fields; delete. */
export function adminDataRecordRoutes(routes: AdminRoutes, deps: Pick<HttpDependencies, 'dataRecordAdmin'>): void {
  const appId = (params: Record<string, string>) => idParam(params.appId, appNotFound);
  const tag = 'data';
  const admin = deps.dataRecordAdmin;

  routes.add(
    {
      method: 'GET',
      url: '/admin/apps/:appId/data/:className/records',
      tag,
      summary: 'List records with the filters, sort and paging of GET /data/{class} (e.g. status=open, sort_desc=created_at, limit, skip)',
      response: { type: 'object', properties: { total_entries: { type: 'integer' }, skip: { type: 'integer' }, limit: { type: 'integer' }, items: { type: 'array', items: recordSchema } } },
    },
    async (request) => {
      const result = await admin.list(appId(request.params), request.params.className ?? '', request.query);
      return { class_name: request.params.className, total_entries: result.total, skip: result.skip, limit: result.limit, items: result.items.map((record) => recordWire(record)) };
    },
  );

  routes.add(
    { method: 'PUT', url: '/admin/apps/:appId/data/:className/records/:id', tag, summary: 'Change field values of a record (as PUT /data/{class}/{id}, without permissions)', body: { type: 'object', additionalProperties: true }, response: recordSchema },
    async (request) => recordWire(await admin.update(appId(request.params), request.params.className ?? '', request.params.id ?? '', request.body)),
  );

  routes.add({ method: 'DELETE', url: '/admin/apps/:appId/data/:className/records/:id', tag, summary: 'Delete a record', status: 204 }, async (request) => {
    await admin.remove(appId(request.params), request.params.className ?? '', request.params.id ?? '');
  });
}
