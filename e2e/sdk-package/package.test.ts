import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startServer, type TestServer } from '@parley/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../..', import.meta.url));
const sdkFolder = path.join(repo, 'packages/sdk');

/**
 * @parley/sdk as an app installs it: built (`npm run build`), packed (`npm pack`), the tarball unpacked
 * into a temporary app's node_modules, then the seed's "Send first chat message" flow runs with plain
 * `node` (no chat.websocket option: the Node entry falls back to `ws`), and a TypeScript consumer
 * compiles with `tsc --strict`.
 *
 * No registry is reachable here, so the tarball's two dependencies (@xmpp/client, ws) are not
 * downloaded: the app lives inside the repository and Node finds them in its node_modules.
 */
describe('@parley/sdk package', () => {
  let server: TestServer;
  let app: string;

  beforeAll(async () => {
    server = await startServer();
    await run('npm', ['run', 'build'], { cwd: sdkFolder });
    app = await mkdtemp(path.join(repo, '.sdk-pack-'));
    await run('npm', ['pack', '--ignore-scripts', '--pack-destination', app], { cwd: sdkFolder });
    const tarball = (await readdir(app)).find((file) => file.endsWith('.tgz'));
    if (!tarball) throw new Error('npm pack made no tarball');
    const target = path.join(app, 'node_modules/@parley/sdk');
    await mkdir(target, { recursive: true });
    await run('tar', ['-xzf', path.join(app, tarball), '-C', target, '--strip-components=1']);
    await writeFile(path.join(app, 'package.json'), JSON.stringify({ name: 'sdk-consumer', private: true, type: 'module', dependencies: { '@parley/sdk': `file:${tarball}` } }));
  }, 240_000);
  afterAll(async () => {
    await server?.stop();
    if (app) await rm(app, { recursive: true, force: true });
  });

  it('ships only dist/ with ESM, the Node entry, a browser bundle and declarations', async () => {
    const files = (await readdir(path.join(app, 'node_modules/@parley/sdk'), { recursive: true })).map(String).sort();
    expect(files).toEqual(expect.arrayContaining(['README.md', 'package.json', 'dist/index.js', 'dist/node.js', 'dist/parley-sdk.browser.js', 'dist/types/index.d.ts', 'dist/types/node.d.ts']));
    expect(files.some((file) => file.startsWith('src/'))).toBe(false);
  });

  it('names neither @parley/protocol nor TypeBox: the wire types it reuses are inlined into its declarations, type-only', async () => {
    const folder = path.join(app, 'node_modules/@parley/sdk');
    const files = (await readdir(folder, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
    const offenders: string[] = [];
    for (const file of files) {
      const text = await readFile(path.join(file.parentPath, file.name), 'utf8');
      // `TypeBox.Kind` survives minification: it would mean the schemas' runtime got bundled.
      if (/@parley\/protocol|@sinclair\/typebox|TypeBox\.Kind/.test(text)) offenders.push(path.relative(folder, path.join(file.parentPath, file.name)));
    }
    expect(offenders).toEqual([]);
    // The declarations do carry the protocol's shapes, under the SDK's documented names.
    const types = await readFile(path.join(folder, 'dist/types/index.d.ts'), 'utf8');
    expect(types).toMatch(/interface UserWire \{/);
    expect(types).toMatch(/type User = UserWire;/);
  });

  it("runs the seed's 'Send first chat message' with plain node", async () => {
    await writeFile(
      path.join(app, 'first-message.mjs'),
      `import ConnectyCube, { ConnectyCube as Client } from '@parley/sdk';
const [url, appId, authKey] = process.argv.slice(2);
const where = import.meta.resolve('@parley/sdk');
const endpoints = { api_url: url, chat: 'localhost', chat_url: url.replace('http', 'ws') + '/ws' };

// The opponent, with its own instance.
const opponent = new Client();
opponent.init({ appId: Number(appId), authKey }, { endpoints });
const opponentSession = await opponent.createSession({ login: 'opponent56', password: 'supersecurepwd' });
await opponent.chat.connect({ userId: opponentSession.user_id, password: 'supersecurepwd' });
const received = new Promise((resolve) => { opponent.chat.onMessageListener = (userId, message) => resolve({ userId, body: message.body }); });

// Step 1: Initialize SDK (plus this server's endpoints).
const CREDENTIALS = { appId: Number(appId), authKey };
ConnectyCube.init(CREDENTIALS, { endpoints });
// Step 2: Create and Authorise User.
const userCredentials = { login: 'marvin18', password: 'supersecurepwd' };
const session = await ConnectyCube.createSession(userCredentials);
// Step 3: Connect User to chat.
await ConnectyCube.chat.connect({ userId: session.user_id, password: 'supersecurepwd' });
// Step 4: Create 1-1 chat.
const dialog = await ConnectyCube.chat.dialog.create({ type: 3, occupants_ids: [opponentSession.user_id] });
// Step 5: Send / Receive chat messages.
const message = { type: dialog.type === 3 ? 'chat' : 'groupchat', body: 'How are you today?', extension: { save_to_history: 1, dialog_id: dialog._id } };
message.id = ConnectyCube.chat.send(opponentSession.user_id, message);
const got = await received;
console.log(JSON.stringify({ where, sender: session.user_id, ...got }));
ConnectyCube.chat.disconnect();
opponent.chat.disconnect();
process.exit(0);
`,
    );
    const { stdout } = await run(process.execPath, ['first-message.mjs', server.url, String(server.app.id), server.app.authKey], { cwd: app, timeout: 30_000 });
    const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { where: string; sender: number; userId: number; body: string };
    expect(result.where).toBe(`file://${path.join(app, 'node_modules/@parley/sdk/dist/node.js')}`);
    expect(result).toMatchObject({ userId: result.sender, body: 'How are you today?' });
  });

  it('compiles a TypeScript consumer with tsc --strict', async () => {
    await writeFile(
      path.join(app, 'consumer.ts'),
      `import ConnectyCube, { ConnectyCube as Client, type ChatMessage, type Credentials, type Dialog, type Message, type Meeting } from '@parley/sdk';
const credentials: Credentials = { appId: 1, authKey: 'key' };
ConnectyCube.init(credentials, { endpoints: { api_url: 'http://127.0.0.1:8080', chat: 'localhost' } });
const other: Client = new Client();
other.chat.onMessageListener = (userId, message) => console.log(userId, message.body);
const draft: ChatMessage | undefined = undefined;
console.log(draft);
export async function firstMessage(): Promise<number | null> {
  const session = await ConnectyCube.createSession({ login: 'marvin18', password: 'supersecurepwd' });
  return session.user_id;
}
export async function lastText(dialog: Dialog): Promise<string | null> {
  const page = await ConnectyCube.chat.message.list({ chat_dialog_id: dialog._id, limit: 1 });
  const last: Message | undefined = page.items[0];
  return last?.message ?? dialog.last_message;
}
export const reschedule = (meeting: Meeting) => ConnectyCube.meeting.update(meeting._id, { ...meeting, name: 'moved' });
`,
    );
    await writeFile(
      path.join(app, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2023', 'dom'], types: [], skipLibCheck: false }, files: ['consumer.ts'] }),
    );
    const tsc = path.join(repo, 'node_modules/typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app }).then(
      () => ({ code: 0, output: '' }),
      (error: { stdout: string; code: number }) => ({ code: error.code, output: error.stdout }),
    );
    expect(result).toEqual({ code: 0, output: '' });
  });
});
