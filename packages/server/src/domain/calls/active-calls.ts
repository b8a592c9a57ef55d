import type { CallSignalType } from '@parley/protocol';

/** A call nobody answered within this time is over (the SDKs stop ringing after 60 s). */
const RING_TIMEOUT_MS = 70_000;
/** Signalling says nothing while media flows: a call never hung up (a crashed client) counts this long at most. */
const MAX_CALL_MS = 4 * 3600 * 1000;
const MAX_TRACKED = 50_000;

interface TrackedCall {
  callerId: number;
  /** Users still expected to answer. */
  invited: Set<number>;
  /** Users in the call (the caller, and whoever accepted). */
  joined: Set<number>;
  answered: boolean;
  startedAt: number;
  answeredAt: number;
}

/** One routed call signal, as far as call counting cares. */
export interface RoutedSignal {
  appId: number;
  senderId: number;
  signalType: CallSignalType;
  sessionId: string;
  /** From a `call` signal: who is called. */
  opponentIds?: number[];
}

/**
 * Counts P2P calls in progress from the signalling this node routes (realtime.md §12): a call is
 * active from the first `accept` until fewer than two of its parties remain (`hangUp`), ringing calls
 * are not counted and end on rejection by everyone or after the ring timeout. Media never passes the
 * server: a party that vanishes without `hangUp` ends the call when its last connection closes (when the
 * caller of `count` says who is connected), else after MAX_CALL_MS. Per node: the figures of one server.
 */
export class ActiveCalls {
  private readonly calls = new Map<string, TrackedCall>();

  constructor(private readonly clock: () => number) {}

  seen(signal: RoutedSignal): void {
    const key = `${signal.appId}:${signal.sessionId}`;
    const now = this.clock();
    let call = this.calls.get(key);
    switch (signal.signalType) {
      case 'call':
        if (call) return; // the SDKs re-send `call` every few seconds while ringing
        if (this.calls.size >= MAX_TRACKED) this.sweep(now, true);
        this.calls.set(key, {
          callerId: signal.senderId,
          invited: new Set((signal.opponentIds ?? []).filter((id) => id !== signal.senderId)),
          joined: new Set([signal.senderId]),
          answered: false,
          startedAt: now,
          answeredAt: 0,
        });
        return;
      case 'accept':
        if (!call) {
          // The `call` went through another node (or before a restart): the accepter and the caller are in it.
          call = { callerId: 0, invited: new Set(), joined: new Set(), answered: false, startedAt: now, answeredAt: 0 };
          this.calls.set(key, call);
        }
        call.invited.delete(signal.senderId);
        call.joined.add(signal.senderId);
        if (!call.answered) {
          call.answered = true;
          call.answeredAt = now;
        }
        return;
      case 'reject':
        if (!call) return;
        call.invited.delete(signal.senderId);
        if (!call.answered && call.invited.size === 0) this.calls.delete(key);
        return;
      case 'hangUp':
        if (!call) return;
        call.invited.delete(signal.senderId);
        call.joined.delete(signal.senderId);
        if (!call.answered ? signal.senderId === call.callerId || call.joined.size === 0 : call.joined.size + (call.callerId === 0 ? 1 : 0) < 2) this.calls.delete(key);
        return;
      default:
        return;
    }
  }

  /**
   * Calls answered and not yet over. With `connected` (who has a live connection), a call ends as soon
   * as one of its parties has none left: a client that crashed never sent `hangUp`.
   */
  count(connected?: (appId: number, userId: number) => boolean): number {
    this.sweep(this.clock(), false);
    let active = 0;
    for (const [key, call] of this.calls) {
      if (!call.answered) continue;
      const appId = Number(key.slice(0, key.indexOf(':')));
      if (connected && [...call.joined].some((userId) => !connected(appId, userId))) {
        this.calls.delete(key);
        continue;
      }
      active += 1;
    }
    return active;
  }

  private sweep(now: number, all: boolean): void {
    for (const [key, call] of this.calls) {
      const over = call.answered ? now - call.answeredAt > MAX_CALL_MS : now - call.startedAt > RING_TIMEOUT_MS;
      if (over || (all && !call.answered)) this.calls.delete(key);
    }
  }
}
