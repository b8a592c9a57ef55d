import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parleyInProcess as parley } from './cli-runner.js';

describe('parley data class (CLI)', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let appId: number;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-cli-data-'));
    env = { PARLEY_DATA_DIR: dataDir, PARLEY_LOG_LEVEL: 'warn' };
    appId = (JSON.parse((await parley(['app', 'create', '--name', 'DataApp', '--json'], env)).stdout) as { id: number }).id;
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('creates a class with typed and indexed fields and lists it, as JSON and as text', async () => {
    const created = await parley(
      ['data', 'class', 'create', '--app', String(appId), '--name', 'Note', '--field', 'title:String', '--field', 'score:Integer:indexed', '--field', 'tags:Array', '--permissions', '{"read":{"access":"owner","level":"class"}}', '--json'],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      name: 'Note',
      fields: [{ name: 'title', type: 'String', indexed: false }, { name: 'score', type: 'Integer', indexed: true }, { name: 'tags', type: 'Array', indexed: false }],
      permissions: { read: { access: 'owner', level: 'class' }, create: { access: 'open' } },
    });
    const listed = await parley(['data', 'class', 'list', '--app', String(appId), '--json'], env);
    expect((JSON.parse(listed.stdout) as { name: string }[]).map((item) => item.name)).toEqual(['Note']);
    const text = await parley(['data', 'class', 'list', '--app', String(appId)], env);
    expect(text.stdout).toBe('Note\ttitle:String score:Integer:indexed tags:Array\n');
  });

  it('refuses bad input with a clear message and a failing exit code, creating nothing', async () => {
    const runs = await Promise.all([
      parley(['data', 'class', 'create', '--app', String(appId), '--name', 'Bad', '--field', 'title'], env),
      parley(['data', 'class', 'create', '--app', String(appId), '--name', 'Bad', '--field', 'title:Text'], env),
      parley(['data', 'class', 'create', '--app', String(appId), '--name', 'Bad', '--permissions', '{nope'], env),
      parley(['data', 'class', 'create', '--app', String(appId), '--name', 'Note'], env),
      parley(['data', 'class', 'create', '--app', '999999', '--name', 'Elsewhere'], env),
    ]);
    expect(runs.map((run) => run.code)).toEqual([1, 1, 1, 1, 1]);
    expect(runs[0]?.stderr).toContain('must be name:Type or name:Type:indexed');
    expect(runs[1]?.stderr).toContain('must be one of Integer, Float, Boolean, String, Array, Location, Date, File');
    expect(runs[2]?.stderr).toContain('permissions');
    expect(runs[3]?.stderr).toContain('has already been taken');
    expect(runs[4]?.stderr).toContain('Application not found');
    const listed = await parley(['data', 'class', 'list', '--app', String(appId), '--json'], env);
    expect((JSON.parse(listed.stdout) as { name: string }[]).map((item) => item.name)).toEqual(['Note']);
  });

  it('deletes a class', async () => {
    const deleted = await parley(['data', 'class', 'delete', '--app', String(appId), '--name', 'Note'], env);
    expect(deleted.code).toBe(0);
    expect(JSON.parse((await parley(['data', 'class', 'list', '--app', String(appId), '--json'], env)).stdout)).toEqual([]);
    const again = await parley(['data', 'class', 'delete', '--app', String(appId), '--name', 'Note'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('DATA_CLASS_NOT_FOUND');
  });
});
