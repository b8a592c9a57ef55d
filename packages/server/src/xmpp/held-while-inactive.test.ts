import { xml } from '@xmpp/xml';
import { describe, expect, it } from 'vitest';
import { HeldWhileInactive } from './held-while-inactive.js';

const STATES = 'http://jabber.org/protocol/chatstates';
const typing = (from: string, state: string) => xml('message', { type: 'chat', from }, xml(state, { xmlns: STATES }));

describe('HeldWhileInactive', () => {
  it('holds presences and typing, the latest per sender, and releases them in arrival order', () => {
    const held = new HeldWhileInactive();
    expect(held.hold(xml('presence', { from: 'room@muc.d/1' }))).toBe(true);
    expect(held.hold(typing('a@d/x', 'composing'))).toBe(true);
    expect(held.hold(xml('presence', { from: 'room@muc.d/2' }))).toBe(true);
    expect(held.hold(xml('presence', { from: 'room@muc.d/1', type: 'unavailable' }))).toBe(true);
    expect(held.hold(typing('a@d/x', 'paused'))).toBe(true);
    const released = held.release();
    const label = (e: (typeof released)[number]) => `${e.name} ${e.attrs.from} ${e.name === 'message' ? e.getChildElements()[0]?.name : (e.attrs.type ?? '')}`;
    expect(released.map(label)).toEqual([
      'presence room@muc.d/2 ',
      'presence room@muc.d/1 unavailable',
      'message a@d/x paused',
    ]);
    expect(held.size).toBe(0);
  });

  it('lets content, markers, errors and IQs through', () => {
    const held = new HeldWhileInactive();
    const withBody = typing('a@d/x', 'active');
    withBody.append(xml('body', {}, 'hi'));
    expect(held.hold(withBody)).toBe(false);
    expect(held.hold(xml('message', { type: 'chat' }, xml('displayed', { xmlns: 'urn:xmpp:chat-markers:0', id: '1' })))).toBe(false);
    expect(held.hold(xml('message', { type: 'error' }, xml('composing', { xmlns: STATES })))).toBe(false);
    expect(held.hold(xml('iq', { type: 'result', id: '1' }))).toBe(false);
    expect(held.size).toBe(0);
  });

  it('keeps at most 500 senders, dropping the oldest', () => {
    const held = new HeldWhileInactive();
    for (let n = 0; n < 520; n += 1) held.hold(xml('presence', { from: `u${n}@d/r` }));
    const released = held.release();
    expect(released).toHaveLength(500);
    expect(released[0]?.attrs.from).toBe('u20@d/r');
  });
});
