import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parley } from './cli-runner.js';

describe('parley push (CLI)', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let appId: number;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-cli-push-'));
    env = { PARLEY_DATA_DIR: dataDir, PARLEY_LOG_LEVEL: 'warn' };
    appId = (JSON.parse((await parley(['app', 'create', '--name', 'PushApp', '--json'], env)).stdout) as { id: number }).id;
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('sets APNs credentials from a .p8 file, the template and the automatic pushes, and shows secrets only as fingerprints', async () => {
    const p8 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const keyFile = path.join(dataDir, 'AuthKey.p8');
    await writeFile(keyFile, p8);
    const set = await parley(
      ['push', 'set', '--app', String(appId), '--apns-key-file', keyFile, '--apns-key-id', 'ABCDE12345', '--apns-team-id', 'TEAM123456', '--apns-bundle-id', 'com.example.app', '--chat-alert-template', '%{sender_name}: %{message_text}', '--contact-joined', 'on', '--call-pushes', 'on'],
      env,
    );
    expect(set.code, set.stderr).toBe(0);
    const shown = await parley(['push', 'show', '--app', String(appId)], env);
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ apns: { key_id: 'ABCDE12345', team_id: 'TEAM123456', bundle_id: 'com.example.app', private_key: expect.stringMatching(/^sha256:/) }, contact_joined: true, call_pushes: true, vapid: { public_key: expect.any(String) } });
    expect(shown.stdout).not.toContain(p8.split('\n')[1] as string);
    const bad = await parley(['push', 'set', '--app', String(appId), '--contact-joined', 'maybe'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('contact_joined');
  });
});
