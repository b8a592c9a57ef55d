import { describe, expect, it } from 'vitest';
import { rewriteFromJanus, rewriteRequestBody } from './rewrite.js';

describe('gateway rewrites (realtime.md §13.6)', () => {
  it('turns the SDK’s legacy listener join into a subscriber join with string ids', () => {
    expect(rewriteRequestBody({ request: 'join', room: '602f926aaa81493ce4c5788e', ptype: 'listener', feed: 9, display: 'Alice' })).toEqual({
      request: 'join', room: '602f926aaa81493ce4c5788e', ptype: 'subscriber', feed: '9', display: 'Alice',
    });
    expect(rewriteRequestBody({ request: 'join', room: 42, ptype: 'publisher', id: 5, display: 'A' })).toEqual({ request: 'join', room: '42', ptype: 'publisher', id: '5', display: 'A' });
    expect(rewriteRequestBody({ request: 'subscribe', streams: [{ feed: 7, mid: '0' }] })).toEqual({ request: 'subscribe', streams: [{ feed: '7', mid: '0' }] });
  });

  it('leaves everything else of a request alone', () => {
    const body = { request: 'configure', audio: true, video: true, keyframe: true, room: 'abc' };
    expect(rewriteRequestBody(body)).toEqual(body);
  });

  it('turns participant ids of events back into numbers, and only all-digit ones', () => {
    const joined = {
      janus: 'event',
      session_id: 1,
      sender: 2,
      plugindata: {
        plugin: 'janus.plugin.videoroom',
        data: {
          videoroom: 'joined', room: '602f', id: '5', private_id: 33,
          publishers: [{ id: '9', display: 'Bob', streams: [{ type: 'video', mid: '1', feed_id: '9' }] }, { id: 'guest-x' }],
        },
      },
    };
    expect(rewriteFromJanus(joined)).toEqual({
      ...joined,
      plugindata: {
        plugin: 'janus.plugin.videoroom',
        data: { videoroom: 'joined', room: '602f', id: 5, private_id: 33, publishers: [{ id: 9, display: 'Bob', streams: [{ type: 'video', mid: '1', feed_id: 9 }] }, { id: 'guest-x' }] },
      },
    });
    const data = (message: object) => (rewriteFromJanus({ janus: 'event', plugindata: { plugin: 'p', data: message } }).plugindata as { data: unknown }).data;
    expect(data({ videoroom: 'event', leaving: '9' })).toEqual({ videoroom: 'event', leaving: 9 });
    expect(data({ videoroom: 'event', leaving: 'ok' })).toEqual({ videoroom: 'event', leaving: 'ok' });
    expect(data({ videoroom: 'event', unpublished: '9', kicked: '3', joining: { id: '4', display: 'D' } })).toEqual({ videoroom: 'event', unpublished: 9, kicked: 3, joining: { id: 4, display: 'D' } });
    expect(data({ videoroom: 'participants', participants: [{ id: '1', publisher: true }] })).toEqual({ videoroom: 'participants', participants: [{ id: 1, publisher: true }] });
    const keepalive = { janus: 'ack', session_id: 1, transaction: 'x' };
    expect(rewriteFromJanus(keepalive)).toBe(keepalive);
  });
});
