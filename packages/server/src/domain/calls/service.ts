import { newObjectId } from '@parley/protocol';
import type { CallPushNotifier, IncomingCallNotice } from '../../ports/call-push.js';
import type { LiveEvents } from '../../ports/live-events.js';
import type { Store } from '../../ports/store.js';
import { requireUser } from '../dialogs/service.js';
import type { Actor, Clock } from '../shared/actor.js';
import { invalidField } from '../shared/failure.js';
import { ActiveCalls, type RoutedSignal } from './active-calls.js';

/** A `call` is re-sent every 5 s for up to 60 s: one push per (callee, session) in that window. */
const RING_DEDUPE_MS = 90_000;
const MAX_REMEMBERED_RINGS = 10_000;

/** A callee's decline sent over REST (`POST /calls/reject.json`), decoded by the HTTP face. */
export interface RejectCall {
  sessionId: string;
  recipientId: number;
  platform: string;
  userInfo?: Record<string, unknown>;
}

/**
 * P2P calls (realtime.md §12, rest.md §10): the REST reject, and the hand-off of calls to offline
 * callees to the push module. Signalling itself is routed by the XMPP face and never stored.
 */
export class CallService {
  /** `appId:calleeId:sessionId` → when its push was asked for (per node: a repeat on another node pushes again). */
  private readonly rung = new Map<string, number>();
  /** Calls in progress, counted from the signals this node routes (live overview, metrics). */
  readonly active: ActiveCalls;

  constructor(
    private readonly store: Pick<Store, 'users'>,
    private readonly live: LiveEvents,
    private readonly clock: Clock,
    private readonly callPush?: CallPushNotifier,
  ) {
    this.active = new ActiveCalls(clock);
  }

  /** A valid call signal was routed (whether or not a connection got it). */
  signalRouted(signal: RoutedSignal): void {
    this.active.seen(signal);
  }

  /** `POST /calls/reject.json`: the callee declines; the caller's connections get a `reject` signal from the callee. */
  async rejectByHttp(actor: Actor, request: RejectCall): Promise<void> {
    const senderId = requireUser(actor);
    if ((await this.store.users.findByIds(actor.appId, [request.recipientId])).length === 0) {
      throw invalidField('recipientId', 'is not a user of this application');
    }
    const fields: [string, unknown][] = [
      ['signalType', 'reject'],
      ['sessionID', request.sessionId],
      ['platform', request.platform],
    ];
    if (request.userInfo && Object.keys(request.userInfo).length > 0) fields.push(['userInfo', request.userInfo]);
    await this.live.callSignal({ appId: actor.appId, senderId, recipientId: request.recipientId, id: newObjectId(this.clock()), fields });
  }

  /**
   * A `call` signal found no connection of the callee: asks the push module (when wired) once per
   * callee and call session, however often the caller re-sends `call`. Never throws.
   */
  async calleeOffline(notice: IncomingCallNotice, onError: (error: unknown) => void): Promise<void> {
    if (!this.callPush) return;
    const now = this.clock();
    const key = `${notice.appId}:${notice.calleeId}:${notice.sessionId}`;
    const previous = this.rung.get(key);
    if (previous !== undefined && now - previous < RING_DEDUPE_MS) return;
    this.remember(key, now);
    try {
      await this.callPush.notifyIncomingCall(notice);
    } catch (error) {
      onError(error);
    }
  }

  private remember(key: string, now: number): void {
    this.rung.delete(key);
    this.rung.set(key, now);
    // Oldest first (insertion order): drop expired and overflowing entries.
    for (const [oldKey, at] of this.rung) {
      if (this.rung.size <= MAX_REMEMBERED_RINGS && now - at < RING_DEDUPE_MS) break;
      this.rung.delete(oldKey);
    }
  }
}
