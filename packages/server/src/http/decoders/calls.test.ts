import { describe, expect, it } from 'vitest';
import { DomainFailure } from '../../domain/shared/failure.js';
import { decodeRejectCall } from './calls.js';

describe('decodeRejectCall', () => {
  it('takes the SDK body and defaults platform to web', () => {
    expect(decodeRejectCall({ sessionID: 's', recipientId: '42' })).toEqual({ sessionId: 's', recipientId: 42, platform: 'web' });
    expect(decodeRejectCall({ sessionID: 's', recipientId: 42, platform: 'ios', userInfo: { busy: true, nested: { a: 1 } } })).toEqual({
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
      decodeRejectCall(body);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainFailure);
      expect(Object.keys((error as DomainFailure).detail.fields ?? {})).toEqual([field]);
    }
  });
});
