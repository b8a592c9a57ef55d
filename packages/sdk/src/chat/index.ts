// `ConnectyCube.chat`: the chat REST API (dialogs, messages, search) and the pure JID helpers.
// The real-time chat (connect, send, listeners over XMPP) will join this class as a sibling of
// these parts, reusing `helpers` for its JIDs; nothing here depends on it.
import type { ChatDeps } from './deps.js';
import { DialogsService } from './dialogs.js';
import { ChatHelpers } from './helpers.js';
import { MessagesService } from './messages.js';
import { searchRequest } from './search.js';
import type { ChatSearchParams, ChatSearchResponse } from './types.js';

export class ChatService {
  readonly dialog: DialogsService;
  readonly message: MessagesService;
  readonly helpers: ChatHelpers;

  constructor(private readonly deps: ChatDeps) {
    this.dialog = new DialogsService(deps);
    this.message = new MessagesService(deps);
    this.helpers = new ChatHelpers(deps.config);
  }

  /**
   * Searches message texts and dialog names in the caller's dialogs. Dates are sent as ISO strings
   * (numbers are read as milliseconds), an array of dialog ids joined with `","`.
   */
  async search(params: ChatSearchParams): Promise<ChatSearchResponse> {
    return this.deps.request(searchRequest(params));
  }

  /** Called by `init`: forgets per-connection state, as the official SDK's fresh chat object would. */
  reset(): void {
    this.helpers.userCurrentJid = '';
  }
}
