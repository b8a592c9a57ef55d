import { dataClassWire } from '../data-presenters.js';
import { appNotFound, idParam, objectBody, type AdminRoutes } from '../admin/registry.js';
import type { HttpDependencies } from '../services.js';

const classSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    fields: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, type: { enum: ['Integer', 'Float', 'Boolean', 'String', 'Array', 'Location', 'Date', 'File'] }, indexed: { type: 'boolean' } } } },
    permissions: { type: 'object' },
  },
} as const;

/** Custom-object classes: `/admin/apps/{appId}/data/classes[/{name}]` (rest.md §6.1). */
export function adminDataRoutes(routes: AdminRoutes, deps: HttpDependencies): void {
  const classes = deps.dataClasses;
  const appId = (params: Record<string, string>) => idParam(params.appId, appNotFound);
  const tag = 'data';

  routes.add({ method: 'GET', url: '/admin/apps/:appId/data/classes', tag, summary: 'List custom-object classes', response: { type: 'array', items: classSchema } }, async (request) =>
    (await classes.list(appId(request.params))).map(dataClassWire),
  );

  routes.add({ method: 'POST', url: '/admin/apps/:appId/data/classes', tag, summary: 'Define a class', status: 201, body: classSchema, response: classSchema }, async (request) =>
    dataClassWire(await classes.define(appId(request.params), objectBody(request.body))),
  );

  routes.add({ method: 'GET', url: '/admin/apps/:appId/data/classes/:name', tag, summary: 'Show a class', response: classSchema }, async (request) =>
    dataClassWire(await classes.get(appId(request.params), request.params.name ?? '')),
  );

  routes.add({ method: 'PUT', url: '/admin/apps/:appId/data/classes/:name', tag, summary: 'Replace fields and/or permissions', body: classSchema, response: classSchema }, async (request) =>
    dataClassWire(await classes.redefine(appId(request.params), request.params.name ?? '', objectBody(request.body))),
  );

  routes.add({ method: 'DELETE', url: '/admin/apps/:appId/data/classes/:name', tag, summary: 'Delete a class and all of its records' }, async (request) => {
    await classes.remove(appId(request.params), request.params.name ?? '');
  });
}
