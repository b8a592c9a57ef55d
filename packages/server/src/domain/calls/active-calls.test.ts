import { describe, expect, it } from 'vitest';
import { ActiveCalls, type RoutedSignal } from './active-calls.js';

/** Calls in progress as the live overview counts them, from the signals the server routes. */
describe('ActiveCalls', () => {
  let now = 1_000_000;
  const signal = (senderId: number, signalType: RoutedSignal['signalType'], sessionId = 's1', opponentIds?: number[]): RoutedSignal => ({ appId: 1, senderId, signalType, sessionId, ...(opponentIds ? { opponentIds } : {}) });

  it('counts a call from its first accept until fewer than two parties remain', () => {
    const calls = new ActiveCalls(() => now);
    calls.seen(signal(1, 'call', 's1', [2, 3]));
    calls.seen(signal(1, 'call', 's1', [2, 3]));
    expect(calls.count()).toBe(0);
    calls.seen(signal(2, 'accept'));
    calls.seen(signal(3, 'accept'));
    expect(calls.count()).toBe(1);
    calls.seen(signal(3, 'hangUp'));
    expect(calls.count()).toBe(1);
    calls.seen(signal(1, 'hangUp'));
    expect(calls.count()).toBe(0);
  });

  it('ends ringing calls on rejection by everyone, on the caller hanging up, and after the ring timeout', () => {
    const calls = new ActiveCalls(() => now);
    calls.seen(signal(1, 'call', 'a', [2]));
    calls.seen(signal(2, 'reject', 'a'));
    calls.seen(signal(2, 'accept', 'a'));
    // A late accept after the rejection still counts as a call (the callee changed their mind).
    expect(calls.count()).toBe(1);
    calls.seen(signal(2, 'hangUp', 'a'));
    expect(calls.count()).toBe(0);

    calls.seen(signal(1, 'call', 'b', [2]));
    calls.seen(signal(1, 'hangUp', 'b'));
    calls.seen(signal(1, 'call', 'c', [2]));
    now += 71_000;
    calls.seen(signal(1, 'call', 'd', [2]));
    calls.seen(signal(2, 'accept', 'd'));
    expect(calls.count()).toBe(1);
    // Other applications' sessions with the same id are other calls.
    calls.seen({ ...signal(5, 'accept', 'd'), appId: 2 });
    expect(calls.count()).toBe(2);
  });

  it('ends an answered call when one of its parties has no connection left (a crashed client sends no hangUp)', () => {
    const calls = new ActiveCalls(() => now);
    calls.seen(signal(1, 'call', 'x', [2]));
    calls.seen(signal(2, 'accept', 'x'));
    const online = new Set(['1:1', '1:2']);
    const connected = (appId: number, userId: number) => online.has(`${appId}:${userId}`);
    expect(calls.count(connected)).toBe(1);
    online.delete('1:2');
    expect(calls.count(connected)).toBe(0);
    online.add('1:2');
    expect(calls.count(connected)).toBe(0);
  });
});
