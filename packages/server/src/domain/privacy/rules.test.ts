import { describe, expect, it } from 'vitest';
import type { StoredPrivacyItem } from '../../ports/privacy-lists.js';
import { decide, type OwnerTraffic, type Peer } from './rules.js';

/** XEP-0016 matching as realtime.md §10.5 restates it. */
const APP = 42;
const bob: Peer = { appId: APP, userId: 9, via: 'private' };
const bobInRoom: Peer = { ...bob, via: 'group' };
const carol: Peer = { appId: APP, userId: 10, via: 'private' };
const incoming: OwnerTraffic = { direction: 'incoming', stanza: 'message' };
const outgoing: OwnerTraffic = { direction: 'outgoing', stanza: 'message' };
const FOUR = ['message', 'presence-in', 'presence-out', 'iq'];
const item = (fields: Partial<StoredPrivacyItem> & { order: number }): StoredPrivacyItem => ({ type: 'jid', action: 'deny', stanzas: [], ...fields });

describe('privacy list decisions', () => {
  it('a one-way block (four children) stops incoming traffic only; a mutual block (none) both ways', () => {
    const oneWay = [item({ value: `9-${APP}@D`, order: 1, stanzas: FOUR })];
    expect(decide(oneWay, bob, incoming)).toBe('deny');
    expect(decide(oneWay, bob, outgoing)).toBe('allow');
    expect(decide(oneWay, bob, { direction: 'outgoing', stanza: 'presence-out' })).toBe('deny');
    const mutual = [item({ value: `9-${APP}@D/phone`, order: 1 })];
    expect(decide(mutual, bob, incoming)).toBe('deny');
    expect(decide(mutual, bob, outgoing)).toBe('deny');
    expect(decide(mutual, carol, incoming)).toBe('allow');
  });

  it('matches by order, not by position; the first match wins and no match allows', () => {
    const items = [item({ action: 'deny', order: 5, type: undefined }), item({ value: `9-${APP}@D`, action: 'allow', order: 2 })];
    expect(decide(items, bob, incoming)).toBe('allow');
    expect(decide(items, carol, incoming)).toBe('deny');
    expect(decide([], bob, incoming)).toBe('allow');
  });

  it('MUC items name occupants of group traffic only; user items never match group traffic', () => {
    const muc = [item({ value: 'muc.D/9', order: 1 })];
    expect(decide(muc, bobInRoom, incoming)).toBe('deny');
    expect(decide(muc, bob, incoming)).toBe('allow');
    expect(decide([item({ value: `9-${APP}@D`, order: 1 })], bobInRoom, incoming)).toBe('allow');
  });

  it('ignores other applications’ JIDs, roster groups and malformed values; a bare domain and subscription none match everyone', () => {
    expect(decide([item({ value: `9-${APP + 1}@D`, order: 1 })], bob, incoming)).toBe('allow');
    expect(decide([item({ type: 'group', value: 'friends', order: 1 })], bob, incoming)).toBe('allow');
    expect(decide([item({ value: '@@bad', order: 1 })], bob, incoming)).toBe('allow');
    expect(decide([item({ value: 'D', order: 1 })], bob, incoming)).toBe('deny');
    expect(decide([item({ type: 'subscription', value: 'none', order: 1 })], carol, incoming)).toBe('deny');
    expect(decide([item({ type: 'subscription', value: 'both', order: 1 })], carol, incoming)).toBe('allow');
  });

  it('kinds named by children limit the item: an iq-only block lets messages through', () => {
    const iqOnly = [item({ value: `9-${APP}@D`, order: 1, stanzas: ['iq'] })];
    expect(decide(iqOnly, bob, { direction: 'incoming', stanza: 'iq' })).toBe('deny');
    expect(decide(iqOnly, bob, incoming)).toBe('allow');
  });
});
