import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginPlain, RawXmppClient, rawRequest, startServer, type TestServer } from '@parley/testkit';
import { parleyInProcess as parley } from './cli-runner.js';

/**
 * The ejabberdctl-like commands against a running server's data folder and admin API: every command
 * with --json and with bad input (one clear line, exit 1, nothing changed).
 */
describe('parley app / user / connections / status', () => {
  let server: TestServer;
  let env: Record<string, string>;
  const TOKEN = 'cli-admin-token-0123456789';
  const json = async <T>(args: string[], input?: string): Promise<T> => {
    const run = await parley([...args, '--json'], env, input === undefined ? {} : { input });
    if (run.code !== 0) throw new Error(`parley ${args.join(' ')} failed: ${run.stderr}`);
    return JSON.parse(run.stdout) as T;
  };
  const fails = async (args: string[], message: RegExp, input?: string) => {
    const run = await parley(args, env, input === undefined ? {} : { input });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
    return run;
  };

  beforeAll(async () => {
    server = await startServer({ config: { adminToken: TOKEN } });
    const port = new URL(server.url).port;
    env = { PARLEY_DATA_DIR: server.server.config.dataDir, PARLEY_PORT: port, PARLEY_ADMIN_TOKEN: TOKEN, PARLEY_LOG_LEVEL: 'warn', PARLEY_PASSWORD_HASH_COST: '10', PARLEY_XMPP_PORT: '0' };
  });
  afterAll(() => server.stop());

  it('app create refuses a duplicate name unless --allow-duplicate; show, set, rotate-secret, delete', async () => {
    const created = await json<{ id: number; settings: Record<string, boolean> }>(['app', 'create', '--name', 'CliShop', '--deny-session-without-user']);
    expect(created.settings).toEqual({ usersV1Enabled: true, denySessionWithoutUser: true, relaxedStartWith: false });
    const duplicate = await fails(['app', 'create', '--name', 'CliShop'], /name: is already used by another application/);
    expect(duplicate.stdout).toBe('');
    const jsonError = await parley(['app', 'create', '--name', 'CliShop', '--json'], env);
    expect(JSON.parse(jsonError.stderr)).toMatchObject({ error: { code: 'VALIDATION_FAILED', fields: { name: [expect.any(String)] } } });
    expect((await server.server.services.apps.list()).filter((app) => app.name === 'CliShop')).toHaveLength(1);
    expect((await json<{ id: number }>(['app', 'create', '--name', 'CliShop', '--allow-duplicate'])).id).toBeGreaterThan(created.id);

    const app = String(created.id);
    expect(await json(['app', 'show', '--app', app])).toMatchObject({ id: created.id, name: 'CliShop', authSecret: expect.any(String) });
    const text = await parley(['app', 'show', '--app', app], env);
    expect(text.stdout).toMatch(/deny-session-without-user\s+on/);
    const changed = await json<{ settings: Record<string, boolean> }>(['app', 'set', '--app', app, '--no-deny-session-without-user', '--relaxed-start-with']);
    expect(changed.settings).toEqual({ usersV1Enabled: true, denySessionWithoutUser: false, relaxedStartWith: true });
    await fails(['app', 'set', '--app', app], /nothing to change/);
    await fails(['app', 'set', '--app', 'abc', '--relaxed-start-with'], /--app must be a positive integer id/);
    await fails(['app', 'set', '--app', '999999', '--relaxed-start-with'], /Application not found/);
    const bogus = await parley(['app', 'set', '--app', app, '--bogus'], env);
    expect(bogus).toMatchObject({ code: 1, stderr: expect.stringMatching(/^error: unknown option '--bogus'\n/) });
    expect((await server.server.services.apps.get(created.id)).settings.relaxedStartWith).toBe(true);

    const before = (await server.server.services.apps.get(created.id)).authSecret;
    const rotated = await json<{ authSecret: string }>(['app', 'rotate-secret', '--app', app]);
    expect(rotated.authSecret).not.toBe(before);

    await fails(['app', 'delete', '--app', app], /add --yes to confirm/);
    expect(await server.server.services.apps.get(created.id)).toBeDefined();
    expect(await json(['app', 'delete', '--app', app, '--yes'])).toEqual({ deleted: created.id, liveConnections: 'closed by the running server' });
    await fails(['app', 'show', '--app', app], /Application not found/);
    expect((await json<{ id: number }[]>(['app', 'list'])).map((entry) => entry.id)).not.toContain(created.id);
  });

  it('user create/list/show/passwd/block/delete; passwords come from stdin, never required on the command line', async () => {
    const app = String(server.app.id);
    const created = await json<{ id: number }>(['user', 'create', '--app', app, '--login', 'cli-carol'], 'password-one\n');
    const user = String(created.id);
    expect(await json(['user', 'list', '--app', app, '--login', 'cli-car'])).toMatchObject({ total: 1, items: [{ id: created.id, login: 'cli-carol' }] });
    await fails(['user', 'list', '--app', app, '--limit', 'lots'], /--limit must be an integer/);
    expect(await json(['user', 'show', '--app', app, '--user', user])).toMatchObject({ id: created.id, blocked: false });
    await fails(['user', 'show', '--app', app, '--user', '999999'], /User not found/);

    const socket = await RawXmppClient.websocket(server.wsUrl);
    await loginPlain(socket, { domain: server.chatDomain, appId: server.app.id, userId: created.id, password: 'password-one' });
    await fails(['user', 'passwd', '--app', app, '--user', user], /password: is too short/, 'short\n');
    await fails(['user', 'passwd', '--app', app, '--user', user], /no password given/, '');
    const changed = await json(['user', 'passwd', '--app', app, '--user', user], 'password-two\n');
    expect(changed).toEqual({ appId: server.app.id, userId: created.id, passwordChanged: true, liveConnections: 'closed by the running server' });
    await socket.closed;
    const login = (password: string) =>
      rawRequest(server.url, '/session.json', { method: 'POST', body: { application_id: server.app.id, auth_key: server.app.authKey, user: { login: 'cli-carol', password } } });
    expect((await login('password-one')).status).toBe(401);
    expect((await login('password-two')).status).toBe(201);

    expect(await json(['user', 'block', '--app', app, '--user', user])).toMatchObject({ blocked: true });
    expect((await login('password-two')).status).toBe(401);
    expect(await json(['user', 'block', '--app', app, '--user', user, '--unblock'])).toMatchObject({ blocked: false });
    expect((await login('password-two')).status).toBe(201);

    await fails(['user', 'delete', '--app', app, '--user', user], /add --yes to confirm/);
    expect(await server.server.services.users.get(server.app.id, created.id)).toBeDefined();
    expect(await json(['user', 'delete', '--app', app, '--user', user, '--yes'])).toMatchObject({ deleted: created.id });
    await fails(['user', 'delete', '--app', app, '--user', user, '--yes'], /User not found/);
  });

  it('status and connections list/kick ask the running server', async () => {
    const status = await json<{ version: string; connections: { total: number }; database: { ok: boolean } }>(['status']);
    expect(status).toMatchObject({ version: expect.any(String), database: { ok: true } });
    expect((await parley(['status'], env)).stdout).toMatch(/connections: \d+ \(websocket \d+, tcp \d+\)/);

    const user = await server.server.services.users.signup(server.app.id, { login: 'cli-dave', password: 'password-d' });
    const socket = await RawXmppClient.websocket(server.wsUrl);
    await loginPlain(socket, { domain: server.chatDomain, appId: server.app.id, userId: user.id, password: 'password-d' });
    const listed = await json<{ id: string; userId: number }[]>(['connections', 'list', '--app', String(server.app.id), '--user', String(user.id)]);
    expect(listed).toMatchObject([{ userId: user.id, transport: 'websocket' }]);
    expect((await json<unknown[]>(['connections', 'list'])).length).toBeGreaterThanOrEqual(1);
    await fails(['connections', 'kick', '--app', String(server.app.id)], /give --user or --id/);
    await fails(['connections', 'list', '--user', '1'], /--user needs --app/);
    expect(server.server.xmpp.router.sessionsOf(server.app.id, user.id)).toHaveLength(1);
    expect(await json(['connections', 'kick', '--app', String(server.app.id), '--user', String(user.id)])).toEqual({ kicked: 1 });
    await socket.closed;

    const wrongToken = await parley(['status'], { ...env, PARLEY_ADMIN_TOKEN: 'wrong' });
    expect(wrongToken.stderr).toMatch(/refused the admin token/);
    const noServer = await parley(['connections', 'list'], { ...env, PARLEY_PORT: '1' });
    expect(noServer.stderr).toMatch(/^parley: no Parley server answers at http:\/\/127\.0\.0\.1:1 /);
  });
});
