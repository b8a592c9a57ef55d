import { DomainFailure } from '../../domain/shared/failure.js';
import { appNotFound, idParam, objectBody, userNotFound, type AdminRoutes } from '../admin/registry.js';
import { dialogWire } from '../chat-presenters.js';
import { decodeCreateDialog } from '../decoders/dialogs.js';
import type { HttpDependencies } from '../services.js';

const fieldsSchema = { type: 'object', properties: { fields: { type: 'array', items: { type: 'string' } } } } as const;

/**
 * What the dashboard's Dialogs screen adds to the admin API: the app's dialog custom fields
 * (rest.md §4.12) and creating a dialog, e.g. a broadcast (public) one, on behalf of its owner.
 */
export function adminDialogFieldRoutes(routes: AdminRoutes, deps: HttpDependencies): void {
  const appId = (params: Record<string, string>) => idParam(params.appId, appNotFound);
  const tag = 'dialogs';

  routes.add({ method: 'GET', url: '/admin/apps/:appId/dialog-fields', tag, summary: 'Declared dialog custom fields (none declared = any key is kept)', response: fieldsSchema }, async (request) => ({
    fields: await deps.dialogFields.list(appId(request.params)),
  }));

  routes.add(
    { method: 'POST', url: '/admin/apps/:appId/dialog-fields', tag, summary: 'Declare a dialog custom field (at most 3)', status: 201, body: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } }, response: fieldsSchema },
    async (request) => ({ fields: await deps.dialogFields.add(appId(request.params), objectBody(request.body).name) }),
  );

  routes.add({ method: 'DELETE', url: '/admin/apps/:appId/dialog-fields/:name', tag, summary: 'Remove a custom field, and its value from every dialog', response: fieldsSchema }, async (request) => ({
    fields: await deps.dialogFields.remove(appId(request.params), request.params.name ?? ''),
  }));

  routes.add(
    {
      method: 'GET',
      url: '/admin/apps/:appId/dialogs',
      tag,
      summary: 'Search every dialog of the application, newest activity first',
      query: { name: { type: 'string', description: 'substring of the name, any case' }, type: { type: 'integer', description: '1–5' }, limit: { type: 'integer', description: '1–500, default 50' }, offset: { type: 'integer', description: 'default 0' } },
      response: { type: 'object', properties: { total: { type: 'integer' }, items: { type: 'array', items: { type: 'object', additionalProperties: true } } } },
    },
    async (request) => {
      const found = await deps.dialogDirectory.search(appId(request.params), request.query);
      return { total: found.total, limit: found.limit, offset: found.offset, items: found.dialogs.map((dialog) => dialogWire({ dialog, member: undefined }, dialog.ownerId, deps.chatDomain)) };
    },
  );

  routes.add(
    {
      method: 'POST',
      url: '/admin/apps/:appId/dialogs',
      tag,
      summary: 'Create a dialog owned by owner_id, with the body of POST /chat/Dialog (type 1 = broadcast)',
      status: 201,
      body: { type: 'object', required: ['owner_id', 'type'], properties: { owner_id: { type: 'integer' }, type: { type: 'integer' }, name: { type: 'string' }, occupants_ids: { type: 'array' }, extensions: { type: 'object' } } },
      response: { type: 'object', additionalProperties: true },
    },
    async (request) => {
      const id = appId(request.params);
      await deps.apps.get(id);
      const { owner_id: ownerId, ...body } = objectBody(request.body);
      if (ownerId === undefined) throw new DomainFailure('VALIDATION_FAILED', { fields: { owner_id: ['cannot be blank'] } });
      const owner = idParam(ownerId, userNotFound);
      await deps.users.get(id, owner);
      const view = await deps.dialogs.create({ appId: id, userId: owner, sessionId: 0 }, decodeCreateDialog(body));
      return dialogWire(view, owner, deps.chatDomain);
    },
  );
}
