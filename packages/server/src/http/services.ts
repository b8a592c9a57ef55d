import type { AddressBookService } from '../domain/addressbook/service.js';
import type { AiService } from '../domain/ai/service.js';
import type { AiSettingsService } from '../domain/ai/settings.js';
import type { AppService } from '../domain/apps/service.js';
import type { BlobService } from '../domain/blobs/service.js';
import type { CallService } from '../domain/calls/service.js';
import type { TurnCredentialService } from '../domain/calls/turn.js';
import type { DataClassService } from '../domain/data/classes.js';
import type { DataService } from '../domain/data/service.js';
import type { DialogService } from '../domain/dialogs/service.js';
import type { SystemMessageService } from '../domain/live-chat/system.js';
import type { MeetingService } from '../domain/meetings/service.js';
import type { MessageService } from '../domain/messages/service.js';
import type { PushDomain } from '../domain/push/module.js';
import type { SessionService } from '../domain/sessions/service.js';
import type { PasswordResetService } from '../domain/users/password-reset.js';
import type { UserService } from '../domain/users/service.js';
import type { HealthDependencies } from '../ops/health.js';
import type { UserAdministration } from '../domain/users/admin.js';
import type { OperatorService } from '../domain/operators/service.js';
import type { DialogFieldService } from '../domain/dialogs/fields.js';
import type { DialogDirectory } from '../domain/dialogs/directory.js';
import type { DataRecordAdministration } from '../domain/data/admin.js';
import type { LiveStats } from '../ops/live-stats.js';
import type { SessionAdministration } from '../domain/sessions/admin.js';
import type { DialogAdministration } from '../domain/dialogs/admin.js';
import type { ServerStatus } from '../ops/status.js';
import type { ConnectionDirectory } from '../ports/connections.js';
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
  addressBook: AddressBookService;
  systemMessages: SystemMessageService;
  calls: CallService;
  turn: TurnCredentialService;
  blobs: BlobService;
  data: DataService;
  meetings: MeetingService;
  /** Password reset links by mail. */
  passwordReset: PasswordResetService;
  dataClasses: DataClassService;
  /** Chat summaries and tone rewrites (/ai routes). */
  ai: AiService;
  /** Per-app AI provider settings (admin API). */
  aiSettings: AiSettingsService;
  push: PushDomain;
  /** Operator-side services of the admin API. */
  userAdmin: UserAdministration;
  operators: OperatorService;
  dialogFields: DialogFieldService;
  dialogDirectory: DialogDirectory;
  dataRecordAdmin: DataRecordAdministration;
  /** The dashboard's live overview: sampled server metrics. */
  liveStats: LiveStats;
  sessionAdmin: SessionAdministration;
  dialogAdmin: DialogAdministration;
  /** Live real-time connections (the XMPP face), listed and kicked by the admin API. */
  connections: ConnectionDirectory;
  /** What `GET /admin/status` reports. */
  status(): Promise<ServerStatus>;
  /** The server version (admin API document). */
  version: string;
  /** PARLEY_ADMIN_TOKEN: guards the admin API; empty = the admin routes do not exist. */
  adminToken: string;
  /** PARLEY_DASHBOARD: operators sign in with a cookie and /dashboard is served. */
  dashboard: boolean;
  /** PARLEY_PUBLIC_URL: the base of signed blob URLs; empty = the address each request came to. */
  publicUrl: string;
  /** XMPP domain, for the dialogs' room JIDs. */
  chatDomain: string;
  /** Only for the health check: routes never touch the store. */
  store: Pick<Store, 'ping' | 'kind'>;
  /** Also for the health check: the bus and the blob medium. */
  health?: HealthDependencies;
  metrics: HttpMetrics;
  /** PARLEY_METRICS_TOKEN (empty = open) and whether /metrics lives on its own listener instead. */
  metricsAccess: { token: string; separateListener: boolean };
}
