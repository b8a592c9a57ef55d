import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parley, parleyInProcess } from './cli-runner.js';

/** `parley admin create|passwd` (dashboard operators) and the first start's hint. */
describe('parley admin (dashboard operators)', () => {
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-operators-'));
    env = { PARLEY_DATA_DIR: dataDir, PARLEY_LOG_LEVEL: 'warn', PARLEY_PASSWORD_HASH_COST: '10', PARLEY_XMPP_PORT: '0' };
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('the first start says how to create the first operator; creating one needs a good login and password', async () => {
    const first = await parley(['serve', '--port', '0'], env, /lock it down with/);
    expect(first.stderr).toMatch(/No dashboard operator yet\. Create the first one, then sign in at http:\/\/127\.0\.0\.1:\d+\/dashboard/);
    expect(first.stderr).toContain('admin create --login admin');

    const created = await parleyInProcess(['admin', 'create', '--login', 'root-op', '--json'], env, { input: 'first-password\n' });
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ id: expect.any(Number), login: 'root-op' });
    const again = await parleyInProcess(['admin', 'create', '--login', 'root-op', '--password', 'another-password'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('login: has already been taken');
    expect((await parleyInProcess(['admin', 'create', '--login', 'short-op', '--password', 'short'], env)).stderr).toContain('password: is too short');
    expect((await parleyInProcess(['admin', 'create', '--login', 'bad login!', '--password', 'long-enough-1'], env)).code).toBe(1);
    expect((await parleyInProcess(['admin', 'passwd', '--login', 'nobody-op', '--password', 'long-enough-1'], env)).code).toBe(1);
    expect((await parleyInProcess(['admin', 'passwd', '--login', 'root-op', '--password', 'second-password'], env)).code).toBe(0);

    const later = await parley(['serve', '--port', '0'], env, /lock it down with/);
    expect(later.stderr).not.toContain('No dashboard operator yet');
    expect(later.stderr).toMatch(/Dashboard {2}http:\/\/127\.0\.0\.1:\d+\/dashboard/);
  });
});
