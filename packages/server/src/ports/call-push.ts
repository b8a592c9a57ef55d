/**
 * Tells an offline callee that a call is waiting. The calls path (XMPP call signalling) calls it when
 * a `call` signal finds no connection of the callee; the push module implements it by queueing a VoIP
 * (APNs) / high-priority (FCM) / web push for each of the callee's subscriptions.
 *
 * Guarantees: `notifyIncomingCall` returns once the push is durably queued (or found unnecessary: no
 * subscription, blocked sender); delivery itself happens off the call path. It never throws for a
 * provider failure.
 */
export interface IncomingCallNotice {
  appId: number;
  callerId: number;
  calleeId: number;
  /** The call's session id, as the SDK sends it in the `call` signal. */
  sessionId: string;
  /** 1 = video, 2 = audio, as in the signalling extension. */
  callType: number;
  /** All participants of the call (caller included), as the `call` signal lists them. */
  opponentsIds: number[];
  /** The caller's `userInfo` extension, passed through for the app to show. */
  userInfo?: Record<string, string>;
}

export interface CallPushNotifier {
  notifyIncomingCall(notice: IncomingCallNotice): Promise<void>;
}
