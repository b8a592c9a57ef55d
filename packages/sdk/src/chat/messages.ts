// `chat.message` (rest.md §4.14–4.20): messages over REST, with the official SDK 6.1.2's paths,
// bodies and response modes. Every method returns a promise and never throws synchronously.
import { routePath } from '../http/url.js';
import type { ChatDeps } from './deps.js';
import type {
  ChatCountResponse,
  CreateMessageParams,
  CreateSystemMessageParams,
  CreateSystemMessageResponse,
  ForceParams,
  ListReactionsResponse,
  Message,
  MessageListParams,
  MessageListResponse,
  UnreadCountParams,
  UnreadCountResponse,
  UpdateMessageParams,
} from './types.js';
import { idsSegment, jsonCopy } from './wire.js';

const MESSAGE = 'chat/Message';

/** The reactions routes need an id segment; the official SDK lists reactions of `_` without one. */
const NO_MESSAGE_ID = '_';

export class MessagesService {
  constructor(private readonly deps: ChatDeps) {}

  /** A dialog's history (`chat_dialog_id` is required by the server); `{count: 1}` counts only. */
  list(params: MessageListParams & { count: 1 | '1' }): Promise<ChatCountResponse>;
  list(params?: MessageListParams): Promise<MessageListResponse>;
  async list(params: MessageListParams = {}): Promise<MessageListResponse | ChatCountResponse> {
    return this.deps.request({ method: 'GET', path: MESSAGE, data: params });
  }

  /** Stores a message (and with `send_to_chat: 1` also delivers it in real time). */
  async create(params: CreateMessageParams = {}): Promise<Message> {
    return this.deps.request({ method: 'POST', path: MESSAGE, data: params });
  }

  /**
   * Edits the text, or marks messages read/delivered. `id` may be one id, `"id1,id2"`, an array, or
   * `''` for every message of `params.chat_dialog_id`. Answers with the raw (usually empty) text.
   */
  async update(id: string | string[], params: UpdateMessageParams = {}): Promise<string> {
    return this.deps.request({ method: 'PUT', path: routePath(MESSAGE, idsSegment(id)), data: params, responseMode: 'text' });
  }

  /**
   * Deletes messages for the caller, or for everyone with `{force: 1}` (sent as the urlencoded
   * body `force=1`; without params no body is sent). The server answers with the
   * `DeleteResponse` lists as JSON, but, as in the official SDK, this resolves with that raw text:
   * `JSON.parse` it to read the lists.
   */
  async delete(ids: string | string[], params?: ForceParams): Promise<string> {
    return this.deps.request({ method: 'DELETE', path: routePath(MESSAGE, idsSegment(ids)), data: params, responseMode: 'text' });
  }

  /** Sends a system notification to `recipientId` in real time; it is not stored. */
  async createSystem(params: CreateSystemMessageParams): Promise<CreateSystemMessageResponse> {
    return this.deps.request({ method: 'POST', path: routePath(MESSAGE, 'system'), data: params });
  }

  /** Unread counts: `total`, plus one key per id in `chat_dialog_ids` (an array is joined with `", "`). */
  async unreadCount(params: UnreadCountParams = {}): Promise<UnreadCountResponse> {
    const data = jsonCopy(params) as UnreadCountParams | null;
    // Rewrite only an array: assigning `undefined` would put `chat_dialog_ids=undefined` in the query.
    if (data && Array.isArray(data.chat_dialog_ids)) data.chat_dialog_ids = data.chat_dialog_ids.join(', ');
    return this.deps.request({ method: 'GET', path: routePath(MESSAGE, 'unread'), data: data ?? undefined });
  }

  /** Emoji → user ids for one message. */
  async listReactions(id: string = NO_MESSAGE_ID): Promise<ListReactionsResponse> {
    return this.deps.request({ method: 'GET', path: routePath(MESSAGE, id, 'reactions') });
  }

  async addReaction(id: string, reaction: string): Promise<string> {
    return this.updateReaction(id, reaction);
  }

  async removeReaction(id: string, reaction: string): Promise<string> {
    return this.updateReaction(id, undefined, reaction);
  }

  /** Adds one reaction and/or removes another in a single request. */
  async updateReaction(id: string, add?: string, remove?: string): Promise<string> {
    // `undefined` keys vanish from the JSON body: `{add}`, `{remove}` or both.
    return this.deps.request({
      method: 'PUT',
      path: routePath(MESSAGE, id, 'reactions'),
      data: { add, remove },
      responseMode: 'text',
    });
  }
}
