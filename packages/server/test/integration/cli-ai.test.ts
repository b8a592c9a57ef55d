import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parley } from './cli-runner.js';

const KEY = 'cli-SECRET-provider-key-4821';

describe('parley ai (CLI)', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let appId: number;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-cli-ai-'));
    env = { PARLEY_DATA_DIR: dataDir, PARLEY_LOG_LEVEL: 'warn', PARLEY_AI_SECRET: 'cli-seal-secret' };
    appId = (JSON.parse((await parley(['app', 'create', '--name', 'AiApp', '--json'], env)).stdout) as { id: number }).id;
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('sets, shows and clears an app provider, printing only the end of the key', async () => {
    const set = await parley(['ai', 'set', '--app', String(appId), '--provider', 'openai-compatible', '--model', 'llama3', '--base-url', 'http://127.0.0.1:11434/v1', '--api-key', KEY, '--user-requests-per-minute', '5', '--json'], env);
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toEqual({
      source: 'app', provider: 'openai-compatible', model: 'llama3', base_url: 'http://127.0.0.1:11434/v1', api_key: '…4821', api_key_encrypted: true, user_requests_per_minute: 5, app_requests_per_day: 1000,
    });
    const [shown, bad, cleared] = await Promise.all([
      parley(['ai', 'show', '--app', String(appId)], env),
      parley(['ai', 'set', '--app', String(appId), '--provider', 'openai-compatible', '--model', 'x'], env),
      parley(['config', 'check', '--json'], { ...env, PARLEY_AI_API_KEY: KEY, PARLEY_AI_PROVIDER: 'google' }),
    ]);
    expect(shown.stdout).toBe('source=app provider=openai-compatible model=llama3 base_url=http://127.0.0.1:11434/v1 api_key=…4821 (encrypted) user_requests_per_minute=5 app_requests_per_day=1000\n');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('base_url');
    expect((JSON.parse(cleared.stdout) as { config: unknown }).config).toMatchObject({ aiProvider: 'google', aiApiKey: '***', aiSecret: '***' });
    for (const run of [set, shown, bad, cleared]) expect(run.stdout + run.stderr).not.toContain(KEY);
    const clear = await parley(['ai', 'clear', '--app', String(appId)], env);
    expect(clear.stdout).toBe(`application ${appId} uses the server's AI settings\n`);
  }, 60_000);
});
