import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginPlain, rawRequest, RawXmppClient, sessionToken, xml, type TestServer } from '@parley/testkit';
import { startNodes, type TwoNodeCluster } from '../scenarios/two-nodes.js';
import { objectId } from '../../bench/lib/burst-sender.js';

const HAPROXY = '/usr/sbin/haproxy';
const SHIPPED_CONFIG = fileURLToPath(new URL('../../deploy/haproxy/parley.cfg', import.meta.url));
const PASSWORD = 'password123';
const isRoot = process.getuid?.() === 0;
// ensure-system-deps installs haproxy as root; elsewhere a missing binary skips with this message.
const skipReason = !existsSync(HAPROXY) && !isRoot ? `${HAPROXY} is missing (apt-get install haproxy, or run scripts/ensure-system-deps.sh as root)` : undefined;
if (skipReason) console.warn(`haproxy test skipped: ${skipReason}`);

/** The shipped configuration with this test's addresses: the front on `port`, the nodes as servers. */
function configFor(shipped: string, port: number, nodes: TestServer[]): string {
  const servers = nodes.map((node, index) => `    server node${index + 1} ${new URL(node.url).host} check`).join('\n');
  const withBind = shipped.replace(/^ {4}bind :8080$/m, `    bind 127.0.0.1:${port}`);
  const withServers = withBind.replace(/(^ {4}server node\d+ .*\n?)+/m, `${servers}\n`);
  if (withBind === shipped || withServers === withBind) throw new Error('deploy/haproxy/parley.cfg no longer has the bind and server lines this test replaces');
  return withServers;
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * deploy/haproxy/parley.cfg, as shipped except for its addresses, in front of two nodes (PostgreSQL +
 * Redis): REST and XMPP over WebSocket through one address, with no stickiness.
 */
describe.skipIf(skipReason !== undefined)('HAProxy in front of two nodes (deploy/haproxy/parley.cfg)', () => {
  let cluster: TwoNodeCluster;
  let haproxy: ChildProcess | undefined;
  let dir: string;
  let front: string;
  let output = '';

  beforeAll(async () => {
    cluster = await startNodes({ bus: 'redis' });
    dir = await mkdtemp(path.join(os.tmpdir(), 'parley-haproxy-'));
    const port = await freePort();
    const config = path.join(dir, 'haproxy.cfg');
    await writeFile(config, configFor(await readFile(SHIPPED_CONFIG, 'utf8'), port, cluster.nodes));
    // -db: foreground, no daemon; killed in afterAll.
    haproxy = spawn(HAPROXY, ['-db', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    haproxy.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    haproxy.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    front = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 15_000;
    for (;;) {
      const answered = await fetch(`${front}/health`).then((response) => response.status === 200, () => false);
      if (answered) break;
      if (haproxy.exitCode !== null || Date.now() > deadline) throw new Error(`haproxy did not answer on ${front}:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  afterAll(async () => {
    if (haproxy && haproxy.exitCode === null) {
      const exited = new Promise((resolve) => haproxy?.once('exit', resolve));
      haproxy.kill('SIGKILL');
      await exited;
    }
    await cluster?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers REST from both nodes through one address (no stickiness)', async () => {
    const nodesSeen = new Set<string>();
    for (let index = 0; index < 10; index += 1) {
      // A new connection each time, as independent clients would open.
      const response = await rawRequest(front, '/health', { headers: { Connection: 'close' } });
      expect(response.status).toBe(200);
      nodesSeen.add((response.json as { node: string }).node);
    }
    expect(nodesSeen.size).toBe(2);
  });

  it('carries XMPP over WebSocket: users on different nodes chat, and history has it', async () => {
    const app = cluster.app;
    const appToken = await sessionToken(front, app);
    const people = [];
    for (const name of ['alice', 'bob']) {
      const login = `lb-${name}-${Date.now().toString(36)}`;
      const created = await rawRequest(front, '/users.json', { method: 'POST', token: appToken, body: { user: { login, password: PASSWORD } } });
      expect(created.status).toBe(201);
      people.push({ id: (created.json as { user: { id: number } }).user.id, login });
    }
    const [alice, bob] = people as [{ id: number; login: string }, { id: number; login: string }];
    const domain = cluster.nodes[0]!.chatDomain;
    const wsFront = `${front.replace(/^http/, 'ws')}/ws`;
    const aliceChat = await RawXmppClient.websocket(wsFront);
    await loginPlain(aliceChat, { domain, userId: alice.id, appId: app.id, password: PASSWORD, presence: true });
    const bobChat = await RawXmppClient.websocket(wsFront);
    await loginPlain(bobChat, { domain, userId: bob.id, appId: app.id, password: PASSWORD, presence: true });
    try {
      // leastconn put the two long-lived connections on different nodes.
      const homes = [alice, bob].map((person) => cluster.nodes.findIndex((node) => [...node.server.xmpp.router.sessionsOf(app.id, person.id)].length > 0));
      expect(homes.sort()).toEqual([0, 1]);

      const aliceToken = await sessionToken(front, app, { login: alice.login, password: PASSWORD });
      const dialog = await rawRequest(front, '/chat/Dialog.json', { method: 'POST', token: aliceToken, body: { type: 3, occupants_ids: [bob.id] } });
      expect(dialog.status).toBe(201);
      const dialogId = (dialog.json as { _id: string })._id;
      const id = objectId();
      aliceChat.send(
        xml(
          'message',
          { xmlns: 'jabber:client', type: 'chat', to: `${bob.id}-${app.id}@${domain}`, id },
          xml('body', {}, 'through the balancer'),
          xml('extraParams', { xmlns: 'jabber:client' }, xml('save_to_history', {}, '1'), xml('dialog_id', {}, dialogId)),
        ),
      );
      const received = await bobChat.next((element) => element.name === 'message' && element.attrs.id === id, 10_000);
      expect(received.getChildText('body')).toBe('through the balancer');
      const history = await rawRequest(front, `/chat/Message.json?chat_dialog_id=${dialogId}`, { token: aliceToken });
      expect((history.json as { items: { _id: string }[] }).items.map((item) => item._id)).toEqual([id]);
    } finally {
      aliceChat.destroy();
      bobChat.destroy();
    }
  });
});
