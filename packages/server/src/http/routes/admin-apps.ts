import { removeApplication } from '../../domain/apps/removal.js';
import { parseSettingsChange } from '../../domain/apps/settings.js';
import { DomainFailure } from '../../domain/shared/failure.js';
import { adminAppWire, appSchema } from '../admin/presenters.js';
import { appNotFound, idParam, objectBody, type AdminRoutes } from '../admin/registry.js';
import type { HttpDependencies } from '../services.js';

const settingsRef = { $ref: '#/components/schemas/AppSettings' };

/** `/admin/apps`: create, list, show, rename, settings, rotate the auth secret, delete. */
export function adminAppRoutes(routes: AdminRoutes, deps: HttpDependencies): void {
  const { apps } = deps;
  const appId = (params: Record<string, string>) => idParam(params.appId, appNotFound);

  routes.add(
    { method: 'GET', url: '/admin/apps', tag: 'apps', summary: 'List applications (without secrets)', response: { type: 'array', items: appSchema } },
    async () => (await apps.list()).map((app) => adminAppWire(app, false)),
  );

  routes.add(
    {
      method: 'POST',
      url: '/admin/apps',
      tag: 'apps',
      summary: 'Create an application; a name in use is refused unless allowDuplicate',
      status: 201,
      body: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, allowDuplicate: { type: 'boolean' }, settings: settingsRef } },
      response: appSchema,
    },
    async (request) => {
      const body = objectBody(request.body);
      const settings = body.settings === undefined ? {} : parseSettingsChange(body.settings);
      if (body.allowDuplicate !== undefined && typeof body.allowDuplicate !== 'boolean') {
        throw new DomainFailure('VALIDATION_FAILED', { fields: { allowDuplicate: ['must be true or false'] } });
      }
      if (typeof body.name !== 'string') throw new DomainFailure('VALIDATION_FAILED', { fields: { name: ['cannot be blank'] } });
      return adminAppWire(await apps.create(body.name, settings, { uniqueName: body.allowDuplicate !== true }));
    },
  );

  routes.add({ method: 'GET', url: '/admin/apps/:appId', tag: 'apps', summary: 'Show an application with its auth secret and settings', response: appSchema }, async (request) =>
    adminAppWire(await apps.get(appId(request.params))),
  );

  routes.add(
    { method: 'PATCH', url: '/admin/apps/:appId', tag: 'apps', summary: 'Rename an application', body: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } }, response: appSchema },
    async (request) => adminAppWire(await apps.rename(appId(request.params), objectBody(request.body).name)),
  );

  routes.add({ method: 'GET', url: '/admin/apps/:appId/settings', tag: 'apps', summary: 'Read the settings of an application', response: settingsRef }, async (request) =>
    (await apps.get(appId(request.params))).settings,
  );

  routes.add(
    { method: 'PATCH', url: '/admin/apps/:appId/settings', tag: 'apps', summary: 'Change some settings (unknown keys or non-boolean values change nothing)', body: settingsRef, response: settingsRef },
    async (request) => (await apps.updateSettings(appId(request.params), request.body)).settings,
  );

  routes.add(
    { method: 'POST', url: '/admin/apps/:appId/rotate-secret', tag: 'apps', summary: 'Replace the auth secret (signed blob URLs issued before stop working)', response: appSchema },
    async (request) => adminAppWire(await apps.rotateSecret(appId(request.params))),
  );

  routes.add(
    { method: 'DELETE', url: '/admin/apps/:appId', tag: 'apps', summary: 'Delete an application and all of its data; its live connections are closed', status: 204 },
    async (request) => {
      const id = appId(request.params);
      await removeApplication(apps, deps.blobs, id);
      deps.connections.kick({ appId: id }, 'application deleted');
    },
  );
}
