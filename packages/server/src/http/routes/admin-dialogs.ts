import { appNotFound, idParam, userNotFound, type AdminRoutes } from '../admin/registry.js';
import { dialogWire } from '../chat-presenters.js';
import { decodeDialogList } from '../decoders/dialogs.js';
import type { HttpDependencies } from '../services.js';

const dialogSchema = { type: 'object', description: 'The ConnectyCube dialog object (rest.md §4.1)', additionalProperties: true } as const;

/** Dialogs: a user's list as that user sees it, any dialog by id, delete for everyone. */
export function adminDialogRoutes(routes: AdminRoutes, deps: HttpDependencies): void {
  const appOf = async (params: Record<string, string>) => {
    const appId = idParam(params.appId, appNotFound);
    await deps.apps.get(appId);
    return appId;
  };

  routes.add(
    {
      method: 'GET',
      url: '/admin/apps/:appId/users/:userId/dialogs',
      tag: 'dialogs',
      summary: "A user's dialogs, with the filters and paging of GET /chat/Dialog",
      query: { limit: { type: 'integer', description: 'default 100' }, skip: { type: 'integer', description: 'default 0' } },
      response: { type: 'object', properties: { total_entries: { type: 'integer' }, items: { type: 'array', items: dialogSchema } } },
    },
    async (request) => {
      const appId = await appOf(request.params);
      const userId = idParam(request.params.userId, userNotFound);
      const result = await deps.dialogAdmin.listOf(appId, userId, decodeDialogList(request.query));
      if ('count' in result) return { items_count: result.count };
      return { total_entries: result.total, skip: result.skip, limit: result.limit, items: result.items.map((view) => dialogWire(view, userId, deps.chatDomain)) };
    },
  );

  routes.add({ method: 'GET', url: '/admin/apps/:appId/dialogs/:dialogId', tag: 'dialogs', summary: 'Show a dialog (owner, occupants, admins, last message)', response: dialogSchema }, async (request) => {
    const appId = await appOf(request.params);
    const dialog = await deps.dialogAdmin.get(appId, request.params.dialogId ?? '');
    return dialogWire({ dialog, member: undefined }, dialog.ownerId, deps.chatDomain);
  });

  routes.add({ method: 'DELETE', url: '/admin/apps/:appId/dialogs/:dialogId', tag: 'dialogs', summary: 'Delete a dialog and its messages for everyone', status: 204 }, async (request) => {
    const appId = await appOf(request.params);
    await deps.dialogAdmin.remove(appId, request.params.dialogId ?? '');
  });
}
