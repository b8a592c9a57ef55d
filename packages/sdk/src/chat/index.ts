// `ConnectyCube.chat`: the real-time chat over XMPP (connect, send, listeners, `muc`; inherited
// from `RealtimeChat`), the chat REST API (dialogs, messages, search) and the JID helpers.
import type { ChatDeps } from './deps.js';
import { DialogsService } from './dialogs.js';
import { ChatHelpers } from './helpers.js';
import { MessagesService } from './messages.js';
import { RealtimeChat } from './realtime/realtime-chat.js';
import { searchRequest } from './search.js';
import type { ChatSearchParams, ChatSearchResponse } from './types.js';

export class ChatService extends RealtimeChat {
  readonly dialog: DialogsService;
  readonly message: MessagesService;

  constructor(private readonly deps: ChatDeps) {
    super({ config: deps.config, helpers: new ChatHelpers(deps.config) });
    this.dialog = new DialogsService(deps);
    this.message = new MessagesService(deps);
  }

  /**
   * Searches message texts and dialog names in the caller's dialogs. Dates are sent as ISO strings
   * (numbers are read as milliseconds), an array of dialog ids joined with `","`.
   */
  async search(params: ChatSearchParams): Promise<ChatSearchResponse> {
    return this.deps.request(searchRequest(params));
  }

  /** Called by `init`: ends any chat connection and forgets its state (the new config applies to the next `connect`). */
  reset(): void {
    this.resetRealtime();
  }
}
