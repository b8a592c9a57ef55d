import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parley } from './cli-runner.js';

const READY = /ConnectyCube\.init[\s\S]*\);/;

function listen(port = 0): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

const close = (server: net.Server) => new Promise<void>((resolve) => server.close(() => resolve()));

async function freePort(): Promise<number> {
  const server = await listen();
  const { port } = server.address() as net.AddressInfo;
  await close(server);
  return port;
}

/**
 * TURN under `parley serve` (PARLEY_TURN): coturn started with a private config and stopped with the
 * server; without coturn (or with its port taken) `auto` still serves and says so; `managed` and
 * `external` refuse to start when they cannot do what they were asked.
 */
describe('parley serve and TURN', () => {
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-cli-turn-'));
    env = { PARLEY_DATA_DIR: dataDir, PARLEY_LOG_LEVEL: 'warn', PARLEY_PASSWORD_HASH_COST: '10', PARLEY_XMPP_PORT: '0', PARLEY_PORT: '0' };
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('auto without coturn installed: serves and says calls use host candidates', async () => {
    const run = await parley(['serve'], { ...env, PARLEY_TURN_BINARY: '/nonexistent/turnserver' }, READY);
    expect(run.stderr).toContain('TURN: off, coturn not found at /nonexistent/turnserver (install the Debian package coturn); calls use host and STUN candidates only');
    expect(run.stderr).toMatch(READY);
  });

  it('managed: starts coturn with a private config from the options and stops it with the server', async () => {
    const port = await freePort();
    const run = await parley(['serve'], { ...env, PARLEY_TURN: 'managed', PARLEY_TURN_PORT: String(port), PARLEY_TURN_REALM: 'calls.example', PARLEY_TURN_RELAY_MIN_PORT: '41000', PARLEY_TURN_RELAY_MAX_PORT: '41010' }, READY);
    expect(run.stderr).toContain(`TURN: managed coturn on 127.0.0.1:${port} (relay ports 41000-41010), clients get stun:127.0.0.1:${port}, turn:127.0.0.1:${port}?transport=udp, turn:127.0.0.1:${port}?transport=tcp`);
    expect(run.code).toBe(0);
    const file = path.join(dataDir, 'turn', 'turnserver.conf');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const conf = await readFile(file, 'utf8');
    for (const line of ['use-auth-secret', 'realm=calls.example', 'listening-ip=127.0.0.1', `listening-port=${port}`, 'min-port=41000', 'max-port=41010', 'no-cli']) expect(conf.split('\n')).toContain(line);
    expect(conf).toMatch(/^static-auth-secret=[0-9a-f]{48}$/m);
    expect(conf).not.toContain('allow-loopback-peers');
    // coturn is gone with the server: its port can be bound again.
    await close(await listen(port));
  });

  it('a taken TURN port: auto serves without TURN, managed refuses to start', async () => {
    const blocker = await listen();
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const auto = await parley(['serve'], { ...env, PARLEY_TURN_PORT: String(port) }, READY);
      expect(auto.stderr).toContain(`TURN: off, coturn did not start (TURN port 127.0.0.1:${port} is not free (EADDRINUSE))`);
      const managed = await parley(['serve'], { ...env, PARLEY_TURN: 'managed', PARLEY_TURN_PORT: String(port) }, READY);
      expect(managed.code).toBe(1);
      expect(managed.stderr).toContain('is not free');
    } finally {
      await close(blocker);
    }
  });

  it('external without URLs or secret refuses to start with a clear message', async () => {
    const run = await parley(['serve'], { ...env, PARLEY_TURN: 'external', PARLEY_TURN_URLS: 'turn:turn.example:3478' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('PARLEY_TURN=external needs PARLEY_TURN_URLS and PARLEY_TURN_SECRET');
  });
});
