import { describe, expect, it } from 'vitest';
import type { IncomingCallNotice } from '../../ports/call-push.js';
import type { LiveEvents } from '../../ports/live-events.js';
import type { Store } from '../../ports/store.js';
import { CallService } from './service.js';

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
