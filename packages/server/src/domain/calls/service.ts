import { MAX_CALL_SESSION_ID_LENGTH, newObjectId, toId } from '@parley/protocol';
import type { CallPushNotifier, IncomingCallNotice } from '../../ports/call-push.js';
import type { LiveEvents } from '../../ports/live-events.js';
import type { Store } from '../../ports/store.js';
import { asObject } from '../dialogs/input.js';
import { requireUser } from '../dialogs/service.js';
import type { Actor, Clock } from '../shared/actor.js';
import { invalidField } from '../shared/failure.js';
import { ActiveCalls, type RoutedSignal } from './active-calls.js';

/** `platform` values are short words (`web`, `ios`, `android`, `mobile` …). */
const PLATFORM = /^[A-Za-z0-9_-]{1,32}$/;
/** userInfo is shown to the caller: small and flat enough to route as a headline. */
const MAX_USER_INFO_BYTES = 4096;
/** A `call` is re-sent every 5 s for up to 60 s: one push per (callee, session) in that window. */
const RING_DEDUPE_MS = 90_000;
const MAX_REMEMBERED_RINGS = 10_000;

export interface RejectRequest {
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
  async rejectByHttp(actor: Actor, body: unknown): Promise<void> {
    const senderId = requireUser(actor);
    const request = parseRejectRequest(body);
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

export function parseRejectRequest(body: unknown): RejectRequest {
  const input = asObject(body);
  const sessionId = input.sessionID;
  if (typeof sessionId !== 'string' || sessionId.trim() === '') throw invalidField('sessionID', 'is required');
  if (sessionId.length > MAX_CALL_SESSION_ID_LENGTH) throw invalidField('sessionID', `is too long (maximum is ${MAX_CALL_SESSION_ID_LENGTH} characters)`);
  if (input.recipientId === undefined || input.recipientId === null || input.recipientId === '') throw invalidField('recipientId', 'is required');
  const recipientId = toId(input.recipientId);
  if (recipientId === undefined) throw invalidField('recipientId', 'is not a user id');
  const platform = input.platform === undefined ? 'web' : input.platform;
  if (typeof platform !== 'string' || !PLATFORM.test(platform)) throw invalidField('platform', 'must be a short word such as web, ios or android');
  const request: RejectRequest = { sessionId, recipientId, platform };
  if (input.userInfo !== undefined && input.userInfo !== null) {
    if (typeof input.userInfo !== 'object' || Array.isArray(input.userInfo)) throw invalidField('userInfo', 'must be an object');
    if (Buffer.byteLength(JSON.stringify(input.userInfo)) > MAX_USER_INFO_BYTES) throw invalidField('userInfo', `is too large (maximum is ${MAX_USER_INFO_BYTES} bytes)`);
    if (!validKeys(input.userInfo, 0)) throw invalidField('userInfo', 'keys must be XML names, nested at most 4 deep');
    request.userInfo = input.userInfo as Record<string, unknown>;
  }
  return request;
}

/** userInfo keys become element names (realtime.md §12.1). */
const XML_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

function validKeys(value: object, depth: number): boolean {
  if (depth > 4) return false;
  return Object.entries(value).every(([key, nested]) => XML_NAME.test(key) && !/^xml/i.test(key) && (nested === null || typeof nested !== 'object' || validKeys(nested, depth + 1)));
}
