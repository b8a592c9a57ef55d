import type { CallPushNotifier, IncomingCallNotice } from '../../ports/call-push.js';
import type { PushSubscriptionRecord } from '../../ports/push.js';
import type { Store } from '../../ports/store.js';
import type { PrivacyService } from '../privacy/service.js';
import type { Clock } from '../shared/actor.js';
import { displayName } from './chat-alerts.js';
import type { PushOutbox } from './outbox.js';
import { universalMessage } from './payload.js';

/** A call rings for 60 s (the SDK's answerTimeInterval); a later push would announce a dead call. */
const CALL_PUSH_TTL_SECONDS = 60;

/**
 * Incoming-call pushes (realtime.md §12.3, Parley choice; ports/call-push.ts): when the app turned
 * "call pushes" on, each subscription of the callee gets one urgent push with what an app needs to
 * show the call (CallKit / ConnectionService) and then join it: the contract's
 * `{sessionID, callType, callerID, opponentsIDs, userInfo}`, and the same as the snake-case keys of
 * ConnectyCube's call-kit plugins. APNs devices get it as a VoIP push when they have a VoIP
 * subscription, as an alert otherwise; FCM as a high-priority data message; Web Push with high urgency.
 */
export class CallPushes implements CallPushNotifier {
  constructor(
    private readonly store: Pick<Store, 'push' | 'users'>,
    private readonly privacy: PrivacyService,
    private readonly outbox: PushOutbox,
    private readonly clock: Clock,
  ) {}

  async notifyIncomingCall(notice: IncomingCallNotice): Promise<void> {
    const { appId, callerId, calleeId } = notice;
    const config = await this.store.push.getConfig(appId);
    if (!config.callPushes) return;
    if ((await this.privacy.verdict(appId, callerId, calleeId, 'message')) !== 'allow') return;
    const caller = await this.store.users.findById(appId, callerId);
    const callerName = displayName(caller, callerId);
    const kind = notice.callType === 2 ? 'audio' : 'video';
    const userInfo = notice.userInfo ?? {};
    const content: Record<string, unknown> = {
      message: `Incoming ${kind} call from ${callerName}`,
      sessionID: notice.sessionId,
      callType: notice.callType,
      callerID: callerId,
      opponentsIDs: notice.opponentsIds,
      userInfo,
      session_id: notice.sessionId,
      call_type: notice.callType,
      caller_id: callerId,
      caller_name: callerName,
      call_opponents: notice.opponentsIds.join(','),
      user_info: JSON.stringify(userInfo),
      signal_type: 'startCall',
      ios_voip: 1,
      expiration: Math.floor(this.clock() / 1000) + CALL_PUSH_TTL_SECONDS,
    };
    const voipDevices = new Set((await this.store.push.subscriptionsOfUser(appId, calleeId)).filter((s) => s.channel === 'apns_voip').map((s) => s.udid));
    const messageFor = (subscription: PushSubscriptionRecord) => {
      if (subscription.channel === 'apns' && voipDevices.has(subscription.udid)) return undefined;
      if (subscription.channel === 'apns') {
        const { ios_voip: _voip, ...alert } = content;
        return universalMessage('apns', { ...alert, ios_sound: 'default' }, true);
      }
      return universalMessage(subscription.channel, content, true);
    };
    await this.outbox.queue(appId, [calleeId], messageFor);
  }
}
