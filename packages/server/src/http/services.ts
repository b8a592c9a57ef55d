import type { AppService } from '../domain/apps/service.js';
import type { DialogService } from '../domain/dialogs/service.js';
import type { MessageService } from '../domain/messages/service.js';
import type { SessionService } from '../domain/sessions/service.js';
import type { UserService } from '../domain/users/service.js';
import type { HttpMetrics } from '../ops/metrics.js';
import type { PresenceDirectory } from '../ports/presence.js';
import type { Store } from '../ports/store.js';

/** What the HTTP face needs, handed in by the composition root. */
export interface HttpDependencies {
  apps: AppService;
  sessions: SessionService;
  users: UserService;
  presence: PresenceDirectory;
  dialogs: DialogService;
  messages: MessageService;
  /** XMPP domain, for the dialogs' room JIDs. */
  chatDomain: string;
  /** Only for the health check: routes never touch the store. */
  store: Pick<Store, 'ping' | 'kind'>;
  metrics: HttpMetrics;
}
