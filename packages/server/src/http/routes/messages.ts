import type { FastifyInstance, FastifyRequest } from 'fastify';
import type {
  ChatSearchWire,
  CountWire,
  CreateMessageBody,
  MessageListWire,
  ReactionChangeBody,
  ReactionListWire,
  SystemMessageSentWire,
  UnreadCountWire,
  UpdateMessageBody,
} from '@parley/protocol';
import { actorOf } from '../plugins/auth.js';
import { decodeMessageList, decodeMessageSearch, decodeUnreadDialogs } from '../decoders/message-query.js';
import { decodeCreateMessage, decodeReaction, decodeSystemMessage, decodeUpdateMessages } from '../decoders/messages.js';
import { deleteSummaryWire, dialogWire, messageWire, messagesWire } from '../chat-presenters.js';
import { userWire } from '../presenters.js';
import type { HttpDependencies } from '../services.js';
import { forceFlag, idList } from './dialogs.js';

type Query = Record<string, unknown>;
type WithIds = { Params: { ids?: string }; Querystring: Query; Body: UpdateMessageBody | undefined };

/** Chat messages, unread counts, reactions and search (rest.md §4.13–§4.21). */
export function messageRoutes(app: FastifyInstance, deps: HttpDependencies): void {
  const userOf = (request: FastifyRequest) => actorOf(request).userId ?? 0;

  app.get<{ Querystring: Query }>('/chat/Message', async (request): Promise<MessageListWire | CountWire> => {
    const result = await deps.messages.list(actorOf(request), decodeMessageList(request.query));
    if ('count' in result) return { items: { count: result.count } };
    return { skip: result.window?.skip ?? 0, limit: result.window?.limit ?? result.messages.length, items: messagesWire(result, userOf(request)) };
  });

  app.post<{ Body: CreateMessageBody | undefined }>('/chat/Message', async (request, reply) => {
    const actor = actorOf(request);
    const page = await deps.messages.sentPage(actor, await deps.messages.send(actor, decodeCreateMessage(request.body)));
    const [message] = page.messages;
    return reply.code(201).send(message ? messageWire(message, page, userOf(request)) : {});
  });

  app.post<{ Body: unknown }>('/chat/Message/system', async (request): Promise<SystemMessageSentWire> => deps.systemMessages.send(actorOf(request), decodeSystemMessage(request.body)));

  const update = async (request: FastifyRequest<WithIds>, reply: { code(status: number): { send(): unknown } }) => {
    const actor = actorOf(request);
    const { edit, mark } = decodeUpdateMessages(request.params.ids === undefined ? undefined : idList(request.params.ids), request.body);
    if (edit) await deps.messages.edit(actor, edit);
    await deps.messages.mark(actor, mark);
    return reply.code(200).send();
  };
  app.put<WithIds>('/chat/Message/:ids', update);
  app.put<WithIds>('/chat/Message', update);

  app.delete<WithIds>('/chat/Message/:ids', async (request) =>
    deleteSummaryWire(await deps.messages.remove(actorOf(request), { messageIds: idList(request.params.ids ?? ''), forEveryone: forceFlag(request), announce: true })),
  );

  app.get<{ Querystring: Query }>('/chat/Message/unread', async (request): Promise<UnreadCountWire> => {
    const { total, byDialog } = await deps.messages.unreadCounts(actorOf(request), decodeUnreadDialogs(request.query));
    return { total, ...Object.fromEntries(byDialog) };
  });

  app.put<{ Params: { id: string }; Body: ReactionChangeBody | undefined }>('/chat/Message/:id/reactions', async (request, reply) => {
    await deps.messages.react(actorOf(request), decodeReaction(request.params.id, request.body));
    return reply.code(200).send();
  });

  app.get<{ Params: { id: string } }>('/chat/Message/:id/reactions', async (request): Promise<ReactionListWire> => deps.messages.reactions(actorOf(request), request.params.id));

  app.get<{ Querystring: Query }>('/chat/search', async (request): Promise<ChatSearchWire> => {
    const { dialogs, messages, users } = await deps.messages.search(actorOf(request), decodeMessageSearch(request.query));
    const viewer = userOf(request);
    return {
      results: {
        dialogs: dialogs.map((dialog) => dialogWire({ dialog, member: undefined }, viewer, deps.chatDomain)),
        messages: messagesWire(messages, viewer),
        users: users.map(userWire),
      },
    };
  });
}
