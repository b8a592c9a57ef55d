// The official SDK is the oracle: every meeting call must produce its URL, method, headers, body and
// response mode byte for byte.
import { describe, it, expect, beforeAll } from 'vitest';
import type { ConnectyCube } from '../connectycube.js';
import { initOfficial, officialWire, parleyWire } from '../testing/official-wire.js';

type Meetings = ConnectyCube['meeting'];

const FULL = {
  name: 'Friday weekly sync',
  start_date: 1613729948,
  end_date: 1613731012,
  attendees: [{ id: 245, email: 'email1@domen.com' }, { id: 343 }, { email: 'email2@domen.com' }],
  record: true,
  chat: true,
  public: false,
  notify: true,
  notify_before: { metric: 'minutes', value: 10 },
  timezone: { offset: 120, name: 'Europe/Riga' },
};

const CASES: Array<[string, (m: Meetings) => Promise<unknown>]> = [
  ['create(full)', (m) => m.create(FULL)],
  ['get()', (m) => m.get()],
  ['get({_id})', (m) => m.get({ _id: '602f926aaa81493ce4c5788e' })],
  ['get({limit, offset, start_date: {gt}})', (m) => m.get({ limit: 5, offset: 0, start_date: { gt: 1613729948 } })],
  ['get({scheduled})', (m) => m.get({ scheduled: true })],
  ['update(id, {record})', (m) => m.update('602f926aaa81493ce4c5788e', { record: true })],
  ['delete(id)', (m) => m.delete('602f926aaa81493ce4c5788e')],
  ['getRecordings(id)', (m) => m.getRecordings('602f926aaa81493ce4c5788e')],
];

describe('meeting against the official SDK', () => {
  beforeAll(initOfficial);

  it.each(CASES)('%s sends the same request and reads the response the same way', async (_name, call) => {
    const theirs = await officialWire('meeting', call);
    const ours = await parleyWire('meeting', call);
    expect(ours).toEqual(theirs);
  });

  it('create() fills the same defaults (dates within the same second)', async () => {
    const theirs = await officialWire('meeting', (m) => m.create({ name: 'n' }));
    const ours = await parleyWire('meeting', (m) => m.create({ name: 'n' }));
    const strip = (body: string | undefined) => {
      const parsed = JSON.parse(body ?? '{}') as Record<string, unknown>;
      expect(Math.abs(Number(parsed.end_date) - Number(parsed.start_date))).toBe(3600);
      return Object.keys(parsed).sort();
    };
    expect(strip(ours.body)).toEqual(strip(theirs.body));
    expect(ours.url).toBe(theirs.url);
  });
});
