import { describe, expect, it } from 'vitest';
import type { DialogWire } from '@parley/protocol';
import { xml, type XmlElement } from '@xmpp/client';
import { databaseKinds, rawRequest, sessionToken, type TestServer } from '@parley/testkit';
import { standardClient, standardClientSuite, type StandardClient } from './standard-client.js';

/**
 * XEP-0313 over the stored history: what users sent (REST, as the SDKs do, and XMPP) is found by a
 * standard client's MAM query, page by page (RSM), filtered by peer and date, for rooms too; only
 * members read a room, and another application's users are not peers.
 */

const MAM = 'urn:xmpp:mam:2';
const RSM = 'http://jabber.org/protocol/rsm';

describe.each(databaseKinds)('XMPP message archive (MAM) on %s', (db) => {
  let server: TestServer;
  const { fixture, clients } = standardClientSuite(db, (started) => (server = started));

  async function person() {
    const user = await fixture.newUser();
    const token = await sessionToken(server.url, server.app, { login: user.login, password: user.password });
    return { ...user, token };
  }

  const bareOf = (id: number) => `${id}-${server.app.id}@${server.chatDomain}`;

  function form(fields: Record<string, string>): XmlElement {
    return xml(
      'x',
      { xmlns: 'jabber:x:data', type: 'submit' },
      xml('field', { var: 'FORM_TYPE', type: 'hidden' }, xml('value', {}, MAM)),
      ...Object.entries(fields).map(([name, value]) => xml('field', { var: name }, xml('value', {}, value))),
    );
  }

  /** One MAM query: the forwarded messages of this query id and the `<fin/>`. */
  async function query(client: StandardClient, queryid: string, fields: Record<string, string>, rsm: XmlElement[] = [], to?: string) {
    const answer = await client.iq('set', xml('query', { xmlns: MAM, queryid }, form(fields), xml('set', { xmlns: RSM }, ...rsm)), to);
    const results = client.stanzas.filter((s) => s.name === 'message' && s.getChild('result', MAM)?.attrs.queryid === queryid);
    const inner = results.map((s) => s.getChild('result', MAM)!.getChild('forwarded')!.getChild('message')!);
    return { answer, results, inner, fin: answer.getChild('fin', MAM) };
  }

  it('pages through a 1-1 conversation with with/start/end filters and RSM', async () => {
    const alice = await person();
    const bob = await person();
    const sent: string[] = [];
    for (let n = 0; n < 25; n += 1) {
      const response = await rawRequest(server.url, '/chat/Message.json', { method: 'POST', token: alice.token, body: { recipient_id: bob.id, message: `hello ${n}` } });
      expect(response.status).toBe(201);
      sent.push((response.json as { _id: string })._id);
    }
    const bobClient = await standardClient(server, bob);
    clients.push(bobClient);

    const first = await query(bobClient, 'q1', { with: bareOf(alice.id) }, [xml('max', {}, '10')]);
    expect(first.answer.attrs.type).toBe('result');
    expect(first.inner.map((m) => m.getChildText('body'))).toEqual(Array.from({ length: 10 }, (_, n) => `hello ${n}`));
    expect(first.inner[0]?.attrs).toMatchObject({ type: 'chat', from: bareOf(alice.id), to: bareOf(bob.id), id: sent[0] });
    expect(first.results[0]?.getChild('result', MAM)?.attrs.id).toBe(sent[0]);
    expect(first.results[0]?.getChild('result', MAM)?.getChild('forwarded')?.getChild('delay', 'urn:xmpp:delay')?.attrs.stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(first.fin?.attrs.complete).toBeUndefined();
    expect(first.fin?.getChild('set', RSM)?.getChildText('last')).toBe(sent[9]);
    expect(first.fin?.getChild('set', RSM)?.getChildText('count')).toBe('25');

    const second = await query(bobClient, 'q2', { with: bareOf(alice.id) }, [xml('max', {}, '10'), xml('after', {}, sent[9]!)]);
    expect(second.inner.map((m) => m.attrs.id)).toEqual(sent.slice(10, 20));
    const third = await query(bobClient, 'q3', { with: bareOf(alice.id) }, [xml('max', {}, '10'), xml('after', {}, sent[19]!)]);
    expect(third.inner.map((m) => m.attrs.id)).toEqual(sent.slice(20));
    expect(third.fin?.attrs.complete).toBe('true');

    // The last page first (empty <before/>), then backwards.
    const last = await query(bobClient, 'q4', { with: bareOf(alice.id) }, [xml('max', {}, '5'), xml('before')]);
    expect(last.inner.map((m) => m.attrs.id)).toEqual(sent.slice(20));
    const earlier = await query(bobClient, 'q5', { with: bareOf(alice.id) }, [xml('max', {}, '5'), xml('before', {}, sent[20]!)]);
    expect(earlier.inner.map((m) => m.attrs.id)).toEqual(sent.slice(15, 20));

    // Date window: everything is from today; a window in the past finds nothing.
    const past = await query(bobClient, 'q6', { with: bareOf(alice.id), end: '2001-01-01T00:00:00Z' });
    expect(past.inner).toEqual([]);
    expect(past.fin?.attrs.complete).toBe('true');
    const recent = await query(bobClient, 'q7', { with: bareOf(alice.id), start: '2001-01-01T00:00:00Z' }, [xml('max', {}, '100')]);
    expect(recent.inner).toHaveLength(25);

    // No conversation with carol: an empty, complete archive.
    const carol = await person();
    const none = await query(bobClient, 'q8', { with: bareOf(carol.id) });
    expect(none.inner).toEqual([]);
    expect(none.fin?.attrs.complete).toBe('true');
  });

  it('the whole archive (no with) pages over every 1-1 and group dialog of the user, nobody else’s', async () => {
    const alice = await person();
    const bob = await person();
    const carol = await person();
    const base = 1_750_000_000;
    const post = async (token: string, body: Record<string, unknown>) => {
      const response = await rawRequest(server.url, '/chat/Message.json', { method: 'POST', token, body });
      expect(response.status).toBe(201);
      return (response.json as { _id: string })._id;
    };
    const group = (await rawRequest(server.url, '/chat/Dialog.json', { method: 'POST', token: alice.token, body: { type: 2, name: 'Sync room', occupants_ids: `${bob.id},${carol.id}` } })).json as DialogWire;
    const room = `${server.app.id}_${group._id}@muc.${server.chatDomain}`;
    // Sent out of date order: the archive is ordered by date_sent.
    const expected: { id: string; kind: 'chat' | 'group'; from: number }[] = [];
    const g3 = await post(carol.token, { chat_dialog_id: group._id, message: 'g3', date_sent: base + 3 });
    const p1 = await post(bob.token, { recipient_id: alice.id, message: 'p1', date_sent: base + 1 });
    const p2 = await post(alice.token, { recipient_id: bob.id, message: 'p2', date_sent: base + 2 });
    const g4 = await post(alice.token, { chat_dialog_id: group._id, message: 'g4', date_sent: base + 4 });
    const p5 = await post(carol.token, { recipient_id: alice.id, message: 'p5', date_sent: base + 5 });
    expected.push({ id: p1, kind: 'chat', from: bob.id }, { id: p2, kind: 'chat', from: alice.id }, { id: g3, kind: 'group', from: carol.id }, { id: g4, kind: 'group', from: alice.id }, { id: p5, kind: 'chat', from: carol.id });
    // Not alice's: bob ↔ carol, and another application's dialog.
    await post(bob.token, { recipient_id: carol.id, message: 'not yours', date_sent: base + 2 });
    const otherApp = await server.createApp(`mam-other-${Date.now()}`);
    const stranger = await fixture.newUser('secret-pwd', otherApp.id);
    const strangerPeer = await fixture.newUser('secret-pwd', otherApp.id);
    const strangerToken = await sessionToken(server.url, otherApp, { login: stranger.login, password: stranger.password });
    await post(strangerToken, { recipient_id: strangerPeer.id, message: 'other app', date_sent: base + 3 });

    const aliceClient = await standardClient(server, alice);
    clients.push(aliceClient);
    const seen: XmlElement[] = [];
    let after: string | undefined;
    for (let n = 0; n < 3; n += 1) {
      const page = await query(aliceClient, `w${n}`, {}, [xml('max', {}, '2'), ...(after === undefined ? [] : [xml('after', {}, after)])]);
      expect(page.answer.attrs.type).toBe('result');
      expect(page.fin?.getChild('set', RSM)?.getChildText('count')).toBe('5');
      expect(page.fin?.attrs.complete).toBe(n === 2 ? 'true' : undefined);
      expect(page.results.every((result) => result.attrs.from === bareOf(alice.id))).toBe(true);
      seen.push(...page.inner);
      after = page.fin?.getChild('set', RSM)?.getChildText('last') ?? undefined;
    }
    expect(seen.map((m) => m.attrs.id)).toEqual(expected.map((e) => e.id));
    for (const [index, message] of seen.entries()) {
      const { kind, from } = expected[index]!;
      if (kind === 'group') expect(message.attrs).toMatchObject({ type: 'groupchat', from: `${room}/${from}`, to: bareOf(alice.id) });
      else expect(message.attrs).toMatchObject({ type: 'chat', from: bareOf(from), to: bareOf(from === alice.id ? (index === 1 ? bob.id : carol.id) : alice.id) });
      expect(message.getChild('extraParams')?.getChildText('date_sent')).toBe(String(base + [1, 2, 3, 4, 5][index]!));
    }

    // A sync from the last sync time (start), and the last page first (empty before).
    const since = await query(aliceClient, 's1', { start: new Date((base + 4) * 1000).toISOString() });
    expect(since.inner.map((m) => m.attrs.id)).toEqual([g4, p5]);
    expect(since.fin?.attrs.complete).toBe('true');
    const last = await query(aliceClient, 's2', {}, [xml('max', {}, '2'), xml('before')]);
    expect(last.inner.map((m) => m.attrs.id)).toEqual([g4, p5]);
    const earlier = await query(aliceClient, 's3', {}, [xml('max', {}, '2'), xml('before', {}, g4)]);
    expect(earlier.inner.map((m) => m.attrs.id)).toEqual([p2, g3]);

    // Bob's whole archive has his dialog with carol, not carol's dialog with alice; a cursor from a
    // dialog bob is not in is unknown to him.
    const bobClient = await standardClient(server, bob);
    clients.push(bobClient);
    const bobs = await query(bobClient, 'o1', {}, [xml('max', {}, '100')]);
    expect(bobs.inner.map((m) => m.getChildText('body'))).toEqual(['p1', 'p2', 'not yours', 'g3', 'g4']);
    const foreignCursor = await query(bobClient, 'o2', {}, [xml('after', {}, p5)]);
    expect(foreignCursor.answer.getChild('error')?.getChild('item-not-found')).toBeDefined();
    expect(foreignCursor.results).toEqual([]);
  });

  it('a room query returns the group history to members only; bad input is refused', async () => {
    const alice = await person();
    const bob = await person();
    const mallory = await person();
    const created = await rawRequest(server.url, '/chat/Dialog.json', { method: 'POST', token: alice.token, body: { type: 2, name: 'Archive room', occupants_ids: String(bob.id) } });
    const dialog = created.json as DialogWire;
    for (let n = 0; n < 3; n += 1) {
      expect((await rawRequest(server.url, '/chat/Message.json', { method: 'POST', token: alice.token, body: { chat_dialog_id: dialog._id, message: `group ${n}` } })).status).toBe(201);
    }
    const room = `${server.app.id}_${dialog._id}@muc.${server.chatDomain}`;
    const bobClient = await standardClient(server, bob);
    const malloryClient = await standardClient(server, mallory);
    clients.push(bobClient, malloryClient);

    const members = await query(bobClient, 'r1', {}, [], room);
    expect(members.inner.map((m) => m.getChildText('body'))).toEqual(['group 0', 'group 1', 'group 2']);
    expect(members.inner[0]?.attrs).toMatchObject({ type: 'groupchat', from: `${room}/${alice.id}` });
    expect(members.results[0]?.attrs.from).toBe(room);

    const outsider = await query(malloryClient, 'r2', {}, [], room);
    expect(outsider.answer.attrs.type).toBe('error');
    expect(outsider.answer.getChild('error')?.getChild('forbidden')).toBeDefined();
    expect(outsider.results).toEqual([]);

    for (const [id, fields] of [
      ['b1', { with: 'not a jid@@' }],
      ['b2', { with: `1-${server.app.id + 1000}@${server.chatDomain}` }],
      ['b3', { with: bareOf(alice.id), start: 'yesterday' }],
      ['b4', { with: bareOf(alice.id), colour: 'red' }],
    ] as const) {
      const bad = await query(bobClient, id, fields);
      expect(bad.answer.attrs.type, id).toBe('error');
      expect(bad.answer.getChild('error')?.getChild('bad-request'), id).toBeDefined();
    }
    const unknownCursor = await query(bobClient, 'b5', {}, [xml('after', {}, 'ffffffffffffffffffffffff')]);
    expect(unknownCursor.answer.getChild('error')?.getChild('item-not-found')).toBeDefined();

    // Advertised.
    const info = await bobClient.iq('get', xml('query', { xmlns: 'http://jabber.org/protocol/disco#info' }), server.chatDomain);
    expect(info.getChild('query')?.getChildren('feature').map((f) => f.attrs.var)).toContain(MAM);
  });
});
