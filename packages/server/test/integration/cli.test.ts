import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parley, parleyInProcess } from './cli-runner.js';

describe('parley CLI', () => {
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-cli-'));
    env = { PARLEY_DATA_DIR: dataDir, PARLEY_LOG_LEVEL: 'warn', PARLEY_PASSWORD_HASH_COST: '10', PARLEY_XMPP_PORT: '0' };
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('creates the default application on first start, prints the init snippet, and reuses it later', async () => {
    const first = await parley(['serve', '--port', '0'], env, /lock it down with/);
    // The banner is for people (stderr); stdout carries only JSON log lines.
    for (const line of first.stdout.trim().split('\n').filter(Boolean)) expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect(first.stderr).toMatch(/Parley \d+\.\d+\.\d+ listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(first.stderr).toMatch(/Created application "default": id (\d+), auth key ([\w-]+)/);
    expect(first.stderr).toMatch(/endpoints: \{ api_url: "http:\/\/127\.0\.0\.1:\d+", chat: "localhost", chat_url: "ws:\/\/127\.0\.0\.1:\d+\/ws" \}/);
    const [, id, authKey] = /id (\d+), auth key ([\w-]+)/.exec(first.stderr) ?? [];

    const second = await parley(['serve', '--port', '0'], env, /lock it down with/);
    expect(second.stderr).toContain(`Using application "default": id ${id}, auth key ${authKey}`);
    const list = await parleyInProcess(['app', 'list', '--json'], env);
    const apps = JSON.parse(list.stdout) as { name: string }[];
    expect(apps.filter((app) => app.name === 'default')).toHaveLength(1);
  });

  it('creates and lists applications and creates users, as JSON', async () => {
    const created = await parleyInProcess(['app', 'create', '--name', 'Demo', '--json'], env);
    expect(created.code).toBe(0);
    const app = JSON.parse(created.stdout) as { id: number; authKey: string; authSecret: string };
    expect(app).toMatchObject({ id: expect.any(Number), name: 'Demo', authKey: expect.stringMatching(/^[\w-]{16,}$/), authSecret: expect.any(String) });
    const list = JSON.parse((await parleyInProcess(['app', 'list', '--json'], env)).stdout) as { id: number }[];
    expect(list.map((entry) => entry.id)).toContain(app.id);

    const user = await parleyInProcess(['user', 'create', '--app', String(app.id), '--login', 'cli-user', '--password', 'password123', '--json'], env);
    expect(user.code).toBe(0);
    expect(JSON.parse(user.stdout)).toMatchObject({ appId: app.id, login: 'cli-user' });
    const duplicate = await parleyInProcess(['user', 'create', '--app', String(app.id), '--login', 'cli-user', '--password', 'password123'], env);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('has already been taken');
  });

  it('migrates on demand and reports when up to date', async () => {
    const run = await parleyInProcess(['migrate'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/up to date \(\d{4}_[a-z_]+\)/);
  });

  it('stops on a bad option value with one message naming the option and the accepted values', async () => {
    const run = await parley(['config', 'check'], { ...env, PARLEY_PORT: 'eighty' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('PARLEY_PORT (--port) = "eighty" is invalid: expected an integer from 0 to 65535');
    const flag = await parleyInProcess(['config', 'check', '--log-level', 'loud'], env);
    expect(flag.code).toBe(1);
    expect(flag.stderr).toContain('PARLEY_LOG_LEVEL (--log-level) = "loud" is invalid: expected one of fatal, error, warn, info, debug, trace, silent');
  });

  it('prints the effective configuration, flags beating the environment', async () => {
    const run = await parleyInProcess(['config', 'check', '--json', '--session-ttl', '30m', '--port', '0', '--xmpp-port', '0'], { ...env, PARLEY_SESSION_TTL: '1h' });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { config: unknown }).config).toMatchObject({ sessionTtl: 1800, dataDir, port: 0 });
  });
});
