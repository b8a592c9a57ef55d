import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createServer, loadConfig } from '@parley/server';
import { rawRequest, sessionToken, startServer, type TestServer } from '@parley/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parleyInProcess as parley } from './cli-runner.js';

/**
 * `parley backup` while the server runs, `parley restore` into a fresh data folder, and a new server on
 * it reads the same messages and file back.
 */
describe('parley backup and restore', () => {
  let server: TestServer;
  let scratch: string;
  beforeAll(async () => {
    server = await startServer();
    scratch = await mkdtemp(path.join(os.tmpdir(), 'parley-backup-'));
  });
  afterAll(async () => {
    await server.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('backs up online, restores, and the restored server has the messages and files', async () => {
    const users = server.server.services.users;
    await users.signup(server.app.id, { login: 'backup-alice', password: 'password-a' });
    const bob = await users.signup(server.app.id, { login: 'backup-bob', password: 'password-b' });
    const token = await sessionToken(server.url, server.app, { login: 'backup-alice', password: 'password-a' });
    const dialog = (await rawRequest(server.url, '/chat/Dialog.json', { method: 'POST', token, body: { type: 3, occupants_ids: [bob.id] } })).json as { _id: string };
    for (const text of ['first', 'second']) {
      expect((await rawRequest(server.url, '/chat/Message.json', { method: 'POST', token, body: { chat_dialog_id: dialog._id, message: text } })).status).toBe(201);
    }
    const blobFile = path.join(server.server.config.dataDir, 'blobs', 'ab', 'abtestblob');
    await import('node:fs/promises').then(async (fs) => {
      await fs.mkdir(path.dirname(blobFile), { recursive: true });
      await writeFile(blobFile, 'file bytes');
    });

    const env = { PARLEY_DATA_DIR: server.server.config.dataDir, PARLEY_LOG_LEVEL: 'silent' };
    const target = path.join(scratch, 'backup');
    const backup = await parley(['backup', '--to', target, '--json'], env);
    expect(backup.code).toBe(0);
    expect(JSON.parse(backup.stdout)).toMatchObject({ format: 1, database: 'parley.sqlite', blobs: 'blobs' });
    const again = await parley(['backup', '--to', target], env);
    expect(again).toMatchObject({ code: 1, stderr: expect.stringMatching(/is not empty/) });

    const restoredDir = path.join(scratch, 'restored');
    const restoreEnv = { PARLEY_DATA_DIR: restoredDir, PARLEY_LOG_LEVEL: 'silent' };
    expect((await parley(['restore', '--from', scratch], restoreEnv)).stderr).toMatch(/holds no parley-backup\.json/);
    expect((await parley(['restore', '--from', target], restoreEnv)).code).toBe(0);
    expect((await parley(['restore', '--from', target], restoreEnv)).stderr).toMatch(/exists: stop the server and add --force/);

    const restored = await createServer(loadConfig({ port: '0', host: '127.0.0.1', dataDir: restoredDir, logLevel: 'silent', xmppPort: '0' }, {}));
    try {
      const { url } = await restored.listen();
      const again = await sessionToken(url, server.app, { login: 'backup-alice', password: 'password-a' });
      const history = (await rawRequest(url, `/chat/Message.json?chat_dialog_id=${dialog._id}&sort_asc=date_sent`, { token: again })).json as { items: { message: string }[] };
      expect(history.items.map((item) => item.message)).toEqual(['first', 'second']);
      expect(await readFile(path.join(restoredDir, 'blobs', 'ab', 'abtestblob'), 'utf8')).toBe('file bytes');
    } finally {
      await restored.close();
    }
  });

  it('refuses PostgreSQL with a pointer to pg_dump, changing nothing', async () => {
    const run = await parley(['backup', '--to', path.join(scratch, 'pg')], { PARLEY_DATABASE_URL: 'postgres://x@127.0.0.1:1/x' });
    expect(run).toMatchObject({ code: 1, stderr: expect.stringMatching(/use pg_dump/) });
  });
});
