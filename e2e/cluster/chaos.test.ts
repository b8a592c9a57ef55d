import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, provideTestPostgres, rawRequest, sessionToken, startThrowawayRedis, type TestDatabase, type TestPostgres, type ThrowawayBroker } from '@parley/testkit';
import { startServerProcess, type ServerProcess } from '../../bench/lib/server-process.js';
import { BurstSender, objectId, type BurstPlan } from '../../bench/lib/burst-sender.js';

/** The burst (issue 14: 10k); PARLEY_CHAOS_MESSAGES makes it smaller when debugging by hand. */
const TOTAL = Number(process.env['PARLEY_CHAOS_MESSAGES'] ?? 10_000);
const PASSWORD = 'password123';
const DOMAIN = 'localhost';
/** node B is killed once this many messages (of all senders) are acknowledged. */
const KILL_AFTER_ACKED = Math.floor(TOTAL / 2);
/** Users, half on each node; each sends TOTAL / USERS messages to a partner on the other node (one session each, so more users = more parallel writes). */
const USERS = 16;

interface Person {
  id: number;
  login: string;
}

/**
 * Chaos (issue 14): two real `parley serve` processes on one PostgreSQL database and one Redis; 16
 * users, half on each node, each sending 625 chat messages to a user on the other node over XMPP with
 * XEP-0198 acks. Halfway through, node B gets SIGKILL. Its users reconnect to node A and send again
 * whatever was not acknowledged, under the same ids. Afterwards every message is stored exactly once
 * (none lost: every acked id is there; none twice: the ids are unique), and node A answered /health
 * with 200 all along. Loopback only; bounded by the test timeout.
 */
describe('chaos: kill -9 a node in the middle of a 10k-message burst', () => {
  let postgres: TestPostgres;
  let database: TestDatabase;
  let redis: ThrowawayBroker;
  let dataDir: string;
  const nodes: ServerProcess[] = [];

  beforeAll(async () => {
    postgres = await provideTestPostgres();
    database = await createTestDatabase(postgres.adminUrl);
    redis = await startThrowawayRedis();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-chaos-'));
    // One after the other: the first migrates the database and creates the default app.
    for (const nodeId of ['chaos-a', 'chaos-b']) {
      nodes.push(
        await startServerProcess({
          dataDir: path.join(dataDir, nodeId),
          passwordHashCost: 10,
          env: { PARLEY_DATABASE_URL: database.url, PARLEY_BUS_URL: redis.url, PARLEY_NODE_ID: nodeId, PARLEY_CHAT_DOMAIN: DOMAIN },
        }),
      );
    }
  });

  afterAll(async () => {
    for (const node of nodes) await node.stop();
    await redis?.stop();
    await database?.drop();
    await postgres?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('stores every acknowledged message exactly once, and the survivor answers all along', async () => {
    const [nodeA, nodeB] = nodes as [ServerProcess, ServerProcess];
    expect(nodeA.app).toEqual(nodeB.app);
    const app = nodeA.app;
    const appToken = await sessionToken(nodeA.url, app);
    const people: Person[] = [];
    for (let index = 0; index < USERS; index += 1) {
      const login = `chaos${index}${Date.now().toString(36)}`;
      const created = await rawRequest(nodeA.url, '/users.json', { method: 'POST', token: appToken, body: { user: { login, password: PASSWORD } } });
      expect(created.status).toBe(201);
      people.push({ id: (created.json as { user: { id: number } }).user.id, login });
    }
    // Pairs across the nodes: 0 (A) ↔ 1 (B), 2 (A) ↔ 3 (B) …; each user sends to its partner.
    const partner = (index: number) => index ^ 1;
    const dialogOf = new Map<number, string>();
    for (let a = 0; a < USERS; a += 2) {
      const token = await sessionToken(nodeB.url, app, { login: people[a]!.login, password: PASSWORD });
      const dialog = await rawRequest(nodeB.url, '/chat/Dialog.json', { method: 'POST', token, body: { type: 3, occupants_ids: [people[partner(a)]!.id] } });
      expect(dialog.status).toBe(201);
      const id = (dialog.json as { _id: string })._id;
      dialogOf.set(a, id);
      dialogOf.set(partner(a), id);
    }
    const senders = people.map((person, index) => {
      const plan: BurstPlan = {
        domain: DOMAIN,
        appId: app.id,
        userId: person.id,
        password: PASSWORD,
        peerId: people[partner(index)]!.id,
        dialogId: dialogOf.get(index)!,
        ids: Array.from({ length: Math.ceil(TOTAL / USERS) }, objectId),
      };
      return new BurstSender(plan);
    });
    const homeOf = (index: number) => (index % 2 === 0 ? nodeA : nodeB);
    const wsOf = (node: ServerProcess) => `${node.url.replace(/^http/, 'ws')}/ws`;

    // The survivor's health, polled all along.
    const health: (number | string)[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const started = Date.now();
        try {
          health.push((await fetch(`${nodeA.url}/health`, { signal: AbortSignal.timeout(2000) })).status);
        } catch (error) {
          health.push(String(error));
        }
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, 100 - (Date.now() - started))));
      }
    })();

    // Progress on stderr, to see where a slow or stuck run was.
    const started = Date.now();
    const progress = setInterval(() => process.stderr.write(`chaos ${Math.round((Date.now() - started) / 1000)} s: acked ${senders.map((sender) => sender.acked).join(' ')}; reconnects ${senders.map((sender) => sender.reconnects.join('/') || '-').join(' ')}\n`), 5000);
    // Kill node B halfway through, with messages in flight.
    let killedAtAcked = -1;
    const killer = (async () => {
      while (senders.reduce((sum, sender) => sum + sender.acked, 0) < KILL_AFTER_ACKED) await new Promise((resolve) => setTimeout(resolve, 5));
      killedAtAcked = senders.reduce((sum, sender) => sum + sender.acked, 0);
      await nodeB.kill();
    })();

    // Each sender sends from its home node; when the connection dies, it reconnects to node A.
    await Promise.all(
      senders.map(async (sender, index) => {
        let target = homeOf(index);
        for (let attempt = 0; !sender.done; attempt += 1) {
          if (attempt > 5) throw new Error(`sender ${index} gave up after ${attempt} connections (${sender.acked} acked)`);
          try {
            await sender.run(wsOf(target));
          } catch (error) {
            // The node died during a login or a send: go to the survivor.
            if (target === nodeA) throw error;
          }
          if (!sender.done) target = nodeA;
        }
        sender.stop();
      }),
    );
    await killer;
    clearInterval(progress);
    polling = false;
    await poller;

    expect(killedAtAcked).toBeGreaterThanOrEqual(KILL_AFTER_ACKED);
    expect(killedAtAcked).toBeLessThan(TOTAL);
    expect((await nodeB.exited).signal).toBe('SIGKILL');
    // node B's senders reconnected to node A (whether their streams could resume or not).
    for (const [index, sender] of senders.entries()) if (index % 2 === 1) expect(sender.reconnects.length).toBeGreaterThan(0);
    expect(health.length).toBeGreaterThan(5);
    expect(health.filter((status) => status !== 200)).toEqual([]);

    // Every id acknowledged is stored, once; nothing else is stored.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const rows = await client.query<{ id: string; copies: string }>('select id, count(*) as copies from messages where app_id = $1 group by id', [app.id]);
      const stored = new Map(rows.rows.map((row) => [row.id, Number(row.copies)]));
      const allIds = senders.flatMap((sender) => sender.plan.ids);
      expect(senders.map((sender) => sender.acked)).toEqual(senders.map((sender) => sender.plan.ids.length));
      expect(allIds.filter((id) => stored.get(id) !== 1)).toEqual([]);
      expect(stored.size).toBe(allIds.length);
    } finally {
      await client.end();
    }
  }, 300_000);
});
