import type { AppService } from '../domain/apps/service.js';
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
  /** Only for the health check: routes never touch the store. */
  store: Pick<Store, 'ping' | 'kind'>;
  metrics: HttpMetrics;
}
