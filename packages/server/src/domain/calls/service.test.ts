import { describe, expect, it } from 'vitest';
import type { IncomingCallNotice } from '../../ports/call-push.js';
import type { LiveEvents } from '../../ports/live-events.js';
import type { Store } from '../../ports/store.js';
import { DomainFailure } from '../shared/failure.js';
import { CallService, parseRejectRequest } from './service.js';

const notice: IncomingCallNotice = { appId: 1, callerId: 5, calleeId: 9, sessionId: 'a-b', callType: 1, opponentsIds: [5, 9] };
const unused = {} as Store;
const noLive = {} as LiveEvents;

describe('CallService.calleeOffline', () => {
  it('asks the push port once per callee and call session, again after the ringing window', async () => {
    let now = 0;
    const seen: IncomingCallNotice[] = [];
    const calls = new CallService(unused, noLive, () => now, { notifyIncomingCall: async (n) => void seen.push(n) });
    const fail = () => {
      throw new Error('no error expected');
    };
    await calls.calleeOffline(notice, fail);
    now += 5_000;
    await calls.calleeOffline(notice, fail);
    await calls.calleeOffline({ ...notice, calleeId: 12 }, fail);
    await calls.calleeOffline({ ...notice, sessionId: 'other' }, fail);
    expect(seen.map((n) => `${n.calleeId}/${n.sessionId}`)).toEqual(['9/a-b', '12/a-b', '9/other']);
    now += 120_000;
    await calls.calleeOffline(notice, fail);
    expect(seen).toHaveLength(4);
  });

  it('never throws: a failing push is reported to the caller of the port, and no port is no error', async () => {
    const errors: unknown[] = [];
    const failing = new CallService(unused, noLive, () => 0, {
      notifyIncomingCall: async () => {
        throw new Error('provider down');
      },
    });
    await failing.calleeOffline(notice, (error) => errors.push(error));
    expect(errors).toHaveLength(1);
    await new CallService(unused, noLive, () => 0).calleeOffline(notice, (error) => errors.push(error));
    expect(errors).toHaveLength(1);
  });
});

describe('parseRejectRequest', () => {
  it('takes the SDK body and defaults platform to web', () => {
    expect(parseRejectRequest({ sessionID: 's', recipientId: '42' })).toEqual({ sessionId: 's', recipientId: 42, platform: 'web' });
    expect(parseRejectRequest({ sessionID: 's', recipientId: 42, platform: 'ios', userInfo: { busy: true, nested: { a: 1 } } })).toEqual({
      sessionId: 's',
      recipientId: 42,
      platform: 'ios',
      userInfo: { busy: true, nested: { a: 1 } },
    });
  });

  it.each([
    [[], 'base'],
    [{}, 'sessionID'],
    [{ sessionID: ' ', recipientId: 1 }, 'sessionID'],
    [{ sessionID: 7, recipientId: 1 }, 'sessionID'],
    [{ sessionID: 's' }, 'recipientId'],
    [{ sessionID: 's', recipientId: 0 }, 'recipientId'],
    [{ sessionID: 's', recipientId: 1.5 }, 'recipientId'],
    [{ sessionID: 's', recipientId: 1, platform: '' }, 'platform'],
    [{ sessionID: 's', recipientId: 1, userInfo: [1] }, 'userInfo'],
    [{ sessionID: 's', recipientId: 1, userInfo: { xmlns: 'x' } }, 'userInfo'],
    [{ sessionID: 's', recipientId: 1, userInfo: { a: { b: { c: { d: { e: { f: 1 } } } } } } }, 'userInfo'],
    [{ sessionID: 's', recipientId: 1, userInfo: { big: 'x'.repeat(5000) } }, 'userInfo'],
  ])('refuses %j naming %s', (body, field) => {
    try {
      parseRejectRequest(body);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainFailure);
      expect(Object.keys((error as DomainFailure).detail.fields ?? {})).toEqual([field]);
    }
  });
});
