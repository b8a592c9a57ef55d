// The official SDK is the oracle: every `data` call must produce its URL, method, headers, body and
// response mode byte for byte.
import { describe, it, expect, beforeAll } from 'vitest';
import { DataPermission as OfficialPermission, DataPermissionAccess as OfficialAccess } from 'connectycube';
import type { ConnectyCube } from '../connectycube.js';
import { initOfficial, officialWire, parleyWire } from '../testing/official-wire.js';
import { DataPermission, DataPermissionAccess } from './types.js';

type Data = ConnectyCube['data'];

const R1 = '5c09798aca8bf468ab8d2936';
const R2 = '5c09798aca8bf468ab8d2937';

/* eslint-disable @typescript-eslint/no-explicit-any -- the official types are narrower than what the wire accepts */
const CASES: Array<[string, (data: Data) => Promise<unknown>]> = [
  ['create(one)', (d) => d.create('Note', { title: 'Hi', score: 5, tags: ['a', 'b'], permissions: { update: { access: 'open_for_users_ids', ids: ['51941'] } } })],
  ['create(with parent, undefined key)', (d) => d.create('Note', { title: 'x', _parent_id: R1, gone: undefined })],
  ['create()', (d) => (d.create as any)('Note')],
  ['create(many)', (d) => d.create('Note', [{ title: 'a' }, { title: 'b', score: 2 }])],
  ['create(many with ids)', (d) => d.create('Note', [{ _id: R1, title: 'a' }, { id: R2, title: 'b' }])],
  ['list()', (d) => d.list('Note')],
  ['list(id)', (d) => d.list('Note', R1)],
  ['list("a,b")', (d) => d.list('Note', `${R1},${R2}`)],
  ['list([a, b])', (d) => d.list('Note', [R1, R2])],
  ['list(filters)', (d) => d.list('Note', { score: { gt: 3, lte: 10 }, tags: { in: ['b', 'a'] }, title: { ctn: 'a b' }, sort_desc: 'score', limit: 10, skip: 5 })],
  ['list(count)', (d) => d.list('Note', { count: 1, done: true })],
  ['list(output)', (d) => d.list('Note', { output: { include: ['title', 'score'] } })],
  ['list(near, calc)', (d) => d.list('Note', { loc: { near: '10.5,50.1;1000' }, score: { calc: 'avg' }, group_by: 'done' })],
  ['list(dates)', (d) => d.list('Note', { created_at: { gt: 1700000000 }, when: { lt: new Date(Date.UTC(2024, 0, 1)) } })],
  ['readPermissions', (d) => d.readPermissions('Note', R1)],
  ['update(id)', (d) => d.update('Note', { _id: R1, title: 'new', inc: { score: 2 }, push: { tags: ['z'] } })],
  ['update(id, numeric)', (d) => d.update('Note', { id: 7 as any, title: 'n' })],
  ['update(criteria)', (d) => d.update('Note', { search_criteria: { score: { lt: 30 } }, done: true })],
  ['update(many)', (d) => d.update('Note', [{ id: R1, title: 'a' }, { _id: R2, pull: { tags: 'a' } }])],
  ['update()', (d) => d.update('Note')],
  ['update(operators)', (d) => d.update('Note', { _id: R1, pull_all: { tags: ['a', 'b'] }, pop: { tags: 1 }, add_to_set: { tags: ['q'] }, update_by_index: { tags: { 0: 'x' } }, pull_with_filter: { scores: { lt: 10 } } })],
  ['delete(id)', (d) => d.delete('Note', R1)],
  ['delete([id])', (d) => d.delete('Note', [R1])],
  ['delete([a, b])', (d) => d.delete('Note', [R1, R2])],
  ['delete("a,b")', (d) => d.delete('Note', `${R1},${R2}`)],
  ['delete(criteria)', (d) => d.delete('Note', { call_id: { in: ['a', 'b'] }, age: { gte: 41 } })],
  ['delete([])', (d) => d.delete('Note', [])],
];
/* eslint-enable @typescript-eslint/no-explicit-any */

describe('data (custom objects) against the official SDK', () => {
  beforeAll(initOfficial);

  it.each(CASES)('%s sends the same request and reads the response the same way', async (_name, call) => {
    const theirs = await officialWire('data', call);
    const ours = await parleyWire('data', call);
    expect(ours).toEqual(theirs);
  });

  it('exports DataPermission and DataPermissionAccess with the same keys and values', () => {
    expect({ ...DataPermission }).toEqual({ ...OfficialPermission });
    expect({ ...DataPermissionAccess }).toEqual({ ...OfficialAccess });
  });
});
