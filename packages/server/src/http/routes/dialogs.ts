import {
  toFlag,
  type CountWire,
  type CreateDialogBody,
  type DialogAdminsChangeBody,
  type DialogListWire,
  type DialogNotificationsBody,
  type NotificationsSettingsWire,
  type OccupantsWire,
  type UpdateDialogBody,
} from '@parley/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainFailure } from '../../domain/shared/failure.js';
import { actorOf } from '../plugins/auth.js';
import { decodeAdminsChange, decodeCreateDialog, decodeDialogList, decodeNotificationsSetting, decodeOccupantsPage, decodeUpdateDialog } from '../decoders/dialogs.js';
import { dialogWire, deleteSummaryWire } from '../chat-presenters.js';
import { userWire } from '../presenters.js';
import type { HttpDependencies } from '../services.js';

type Query = Record<string, unknown>;
type WithId<B = unknown> = { Params: { id: string }; Querystring: Query; Body: B };

/** Comma-joined ids in a path segment (the SDK does not encode them). */
export function idList(segment: string): string[] {
  return segment.split(',').map((id) => id.trim()).filter(Boolean);
}

/** `force` from an urlencoded DELETE body or the query (rest.md §1.3). */
export function forceFlag(request: FastifyRequest<{ Querystring: Query; Body: unknown }>): boolean {
  const body = request.body && typeof request.body === 'object' ? (request.body as Query) : {};
  return toFlag(body.force ?? request.query.force) ?? false;
}

/** Chat dialogs (rest.md §4.3–§4.12). */
export function dialogRoutes(app: FastifyInstance, deps: HttpDependencies): void {
  const userOf = (request: FastifyRequest) => actorOf(request).userId ?? 0;
  const present = (request: FastifyRequest) => (view: Parameters<typeof dialogWire>[0]) => dialogWire(view, userOf(request), deps.chatDomain);

  app.get<{ Querystring: Query }>('/chat/Dialog', async (request): Promise<DialogListWire | CountWire> => {
    const result = await deps.dialogs.list(actorOf(request), decodeDialogList(request.query));
    if ('count' in result) return { items: { count: result.count } };
    return { total_entries: result.total, skip: result.skip, limit: result.limit, items: result.items.map(present(request)) };
  });

  app.post<{ Body: CreateDialogBody | undefined }>('/chat/Dialog', async (request, reply) => {
    const view = await deps.dialogs.create(actorOf(request), decodeCreateDialog(request.body));
    return reply.code(201).send(present(request)(view));
  });

  app.put<WithId<UpdateDialogBody | undefined>>('/chat/Dialog/:id', async (request) =>
    present(request)(await deps.dialogs.update(actorOf(request), request.params.id, decodeUpdateDialog(request.body))),
  );

  app.delete<WithId>('/chat/Dialog/:id', async (request, reply: FastifyReply) => {
    const ids = idList(request.params.id);
    const summary = await deps.dialogs.delete(actorOf(request), ids, forceFlag(request));
    if (ids.length > 1) return deleteSummaryWire(summary);
    if (summary.notFound.length > 0) throw new DomainFailure('CHAT_NOT_FOUND');
    if (summary.wrongPermissions.length > 0) throw new DomainFailure('CHAT_FORBIDDEN');
    return reply.code(200).send();
  });

  app.delete<WithId>('/chat/Dialog/clearHistory/:id', async (request, reply) => {
    await deps.dialogs.clearHistory(actorOf(request), request.params.id, forceFlag(request));
    return reply.code(200).send();
  });

  app.post<WithId>('/chat/Dialog/:id/subscribe', async (request) => present(request)(await deps.dialogs.subscribe(actorOf(request), request.params.id)));

  app.delete<WithId>('/chat/Dialog/:id/subscribe', async (request, reply) => {
    await deps.dialogs.unsubscribe(actorOf(request), request.params.id);
    return reply.code(200).send();
  });

  app.put<WithId<DialogAdminsChangeBody | undefined>>('/chat/Dialog/:id/admins', async (request) =>
    present(request)(await deps.dialogs.changeAdmins(actorOf(request), request.params.id, decodeAdminsChange(request.body))),
  );

  app.get<WithId>('/chat/Dialog/:id/notifications', async (request): Promise<NotificationsSettingsWire> => ({
    notifications: { enabled: (await deps.dialogs.notifications(actorOf(request), request.params.id)) ? 1 : 0 },
  }));

  app.put<WithId<DialogNotificationsBody | undefined>>('/chat/Dialog/:id/notifications', async (request): Promise<NotificationsSettingsWire> => {
    const change = decodeNotificationsSetting(request.body);
    return { notifications: { enabled: (await deps.dialogs.notifications(actorOf(request), request.params.id, change)) ? 1 : 0 } };
  });

  app.get<WithId>('/chat/Dialog/:id/occupants', async (request): Promise<OccupantsWire> => ({
    items: (await deps.dialogs.occupants(actorOf(request), request.params.id, decodeOccupantsPage(request.query))).map(userWire),
  }));
}
