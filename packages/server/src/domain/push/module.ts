import type { PresenceDirectory } from '../../ports/presence.js';
import type { Store } from '../../ports/store.js';
import type { PrivacyService } from '../privacy/service.js';
import type { Clock } from '../shared/actor.js';
import { BackgroundWork } from './background.js';
import { CallPushes } from './call-push.js';
import { ChatAlerts } from './chat-alerts.js';
import { ContactJoinedPushes } from './contact-joined.js';
import { PushEventService } from './events.js';
import { PushOperatorService } from './operator.js';
import { PushOutbox } from './outbox.js';
import { PushSettingsService, type VapidKeyGenerator } from './settings.js';
import { PushSubscriptionService } from './subscriptions.js';

export interface PushDomainOptions {
  allowPrivateEndpoints: boolean;
  generateVapidKeys: VapidKeyGenerator;
  onError: (error: unknown) => void;
}

/** The push services over one store; the delivery worker (which needs the providers) is built in app.ts. */
export interface PushDomain {
  subscriptions: PushSubscriptionService;
  events: PushEventService;
  settings: PushSettingsService;
  /** Test pushes and the delivery log, for operators. */
  operator: PushOperatorService;
  outbox: PushOutbox;
  /** StoredMessageListener for the message services. */
  chatAlerts: ChatAlerts;
  /** UserJoinedListener for the user service. */
  contactJoined: ContactJoinedPushes;
  /** CallPushNotifier for the calls path (ports/call-push.ts). */
  callPushes: CallPushes;
  /** Waits for alerts still being worked out (shutdown, tests). */
  settled(): Promise<void>;
}

export function createPushDomain(store: Pick<Store, 'apps' | 'dialogs' | 'push' | 'users'>, presence: PresenceDirectory, privacy: PrivacyService, clock: Clock, options: PushDomainOptions): PushDomain {
  const outbox = new PushOutbox(store.push, clock);
  const background = new BackgroundWork(options.onError);
  return {
    subscriptions: new PushSubscriptionService(store.push, clock, { allowPrivateEndpoints: options.allowPrivateEndpoints }),
    events: new PushEventService(store.push, store.users, outbox, clock),
    settings: new PushSettingsService(store.push, store.apps, options.generateVapidKeys, clock),
    operator: new PushOperatorService(store.push, store.users, outbox),
    outbox,
    chatAlerts: new ChatAlerts(store, presence, privacy, outbox, background),
    contactJoined: new ContactJoinedPushes(store, outbox, background),
    callPushes: new CallPushes(store, privacy, outbox, clock),
    settled: () => background.settled(),
  };
}
