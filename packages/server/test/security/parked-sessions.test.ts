import { databaseKinds, loginPlain, startServer, xml, type RawXmppClient, type TestServer } from '@parley/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XmppFixture } from '../integration/xmpp-helpers.js';

/**
 * Finding 1: logging in again and again with `resume="true"` and dropping each connection must not grow
 * memory without bound. Parked sessions are capped per user (the oldest ends, its unacknowledged messages
 * go to the offline queue), parked sessions hold no presence, and the bytes kept per session are bounded.
 */
const SM = 'urn:xmpp:sm:3';
const PER_USER = 3;
const MAX_UNACKED_BYTES = 16 * 1024;

describe.each(databaseKinds)('security: parked XMPP sessions are bounded (%s)', (db) => {
  let server: TestServer;
  const fixture = new XmppFixture(() => server);
  beforeAll(async () => {
    server = await startServer({ db, config: { chatDomain: 'chat.test', xmppMaxParkedPerUser: String(PER_USER), xmppMaxUnackedBytes: '16kb' } });
  });
  afterAll(async () => {
    await fixture.close();
    await server?.stop();
  });

  const parkedOf = (userId: number) => server.server.xmpp.resumable.parkedSessions().filter((s) => s.userId === userId);

  /** Logs in, goes available, enables resumption, then loses the connection (no stream close). */
  async function loginAndDrop(user: { id: number; password: string; appId: number }): Promise<void> {
    const raw = await fixture.websocket();
    await loginPlain(raw, { domain: server.chatDomain, appId: user.appId, userId: user.id, password: user.password, presence: true });
    raw.send(xml('enable', { xmlns: SM, resume: 'true' }));
    const enabled = await raw.next((e) => e.name === 'enabled');
    const session = server.server.xmpp.router.sessionsOf(user.appId, user.id).find((s) => s.sm.id === enabled.attrs.id);
    raw.destroy();
    await expect.poll(() => session?.detached || session?.closed).toBe(true);
  }

  function chat(raw: RawXmppClient, to: { id: number; appId: number }, body: string, id: string): void {
    raw.send(
      xml('message', { xmlns: 'jabber:client', type: 'chat', to: `${to.id}-${to.appId}@${server.chatDomain}`, id },
        xml('body', {}, body),
        xml('extraParams', { xmlns: 'jabber:client' }, xml('save_to_history', {}, '1'))),
    );
  }

  it('caps parked sessions per user, keeps no presence in them, and sends an evicted one\'s messages to the offline queue', async () => {
    const alice = await fixture.newUser();
    const bob = await fixture.newUser();
    const { raw: aliceRaw } = await fixture.loggedIn('websocket', alice);
    aliceRaw.send(xml('presence', { xmlns: 'jabber:client' }));

    await loginAndDrop(bob);
    const [first] = parkedOf(bob.id);
    chat(aliceRaw, bob, 'kept while parked', 'kept-1');
    await expect.poll(() => first?.sm.unacked.pending().some((item) => item.text.includes('kept while parked'))).toBe(true);

    // The PER_USER + 1st parking evicts the oldest: its unacknowledged message goes to the offline queue.
    for (let round = 0; round < PER_USER; round += 1) await loginAndDrop(bob);
    expect(parkedOf(bob.id)).not.toContain(first);
    const queued = await server.server.services.offline.pending(bob.appId, bob.id);
    expect(queued.filter((item) => item.payload.includes('kept while parked'))).toHaveLength(1);

    for (let round = 0; round < 10; round += 1) {
      await loginAndDrop(bob);
      expect(parkedOf(bob.id).length).toBeLessThanOrEqual(PER_USER);
    }
    expect(parkedOf(bob.id)).toHaveLength(PER_USER);
    expect(server.server.xmpp.resumable.parkedCount).toBe(PER_USER);
    for (const session of parkedOf(bob.id)) {
      expect(session.sm.unacked.pending().filter((item) => item.text.startsWith('<presence'))).toEqual([]);
    }
  });

  it('bounds the bytes kept for a parked session; over the bound it ends and its messages go offline', async () => {
    const alice = await fixture.newUser();
    const carol = await fixture.newUser();
    const { raw: aliceRaw } = await fixture.loggedIn('websocket', alice);
    aliceRaw.send(xml('presence', { xmlns: 'jabber:client' }));
    await loginAndDrop(carol);
    const [parked] = parkedOf(carol.id);
    const COUNT = 30;
    const body = (n: number) => `${n} ${'x'.repeat(1000)}`;
    for (let n = 0; n < COUNT; n += 1) chat(aliceRaw, carol, body(n), `big-${n}`);
    await expect.poll(() => parkedOf(carol.id).length, { timeout: 10_000 }).toBe(0);
    expect(parked?.sm.unacked.bytes ?? 0).toBeLessThanOrEqual(MAX_UNACKED_BYTES);
    // Nothing was lost: all of it waits in the offline queue (the ended session's share is written by its hooks).
    await expect.poll(async () => (await server.server.services.offline.pending(carol.appId, carol.id)).length).toBe(COUNT);

    const fresh = await fixture.websocket();
    await loginPlain(fresh, { domain: server.chatDomain, appId: carol.appId, userId: carol.id, password: carol.password, presence: true });
    const bodies = new Set<string>();
    while (bodies.size < COUNT) {
      const message = await fresh.next((e) => e.name === 'message' && (e.getChildText('body') ?? '').endsWith('x'));
      bodies.add(message.getChildText('body') ?? '');
    }
    expect(bodies).toEqual(new Set(Array.from({ length: COUNT }, (_, n) => body(n))));
  });
});
