import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createServer, loadConfig, type ParleyServer } from '@parley/server';
import { loginPlain, rawRequest, RawXmppClient } from '@parley/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Operators' log lines: one per request with its id, connection open/close and stream errors with the stream id, auth failures without secrets. */
describe('structured logs', () => {
  let server: ParleyServer;
  let url: string;
  let dataDir: string;
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-logs-'));
    const config = loadConfig({ port: '0', host: '127.0.0.1', dataDir, logLevel: 'info', passwordHashCost: '10', xmppPort: '0' }, {});
    server = await createServer(config, { logger: pino({ level: 'info' }, sink) });
    url = (await server.listen()).url;
  });
  afterAll(async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('logs requests, auth failures without the secret, and connection open/close with the stream id', async () => {
    const { app } = await server.services.apps.ensureDefault();
    const user = await server.services.users.signup(app.id, { login: 'logged-user', password: 'right-password' });
    const refused = await rawRequest(url, '/session.json?probe=secret-in-query', { method: 'POST', body: { application_id: app.id, auth_key: app.authKey, user: { login: 'logged-user', password: 'wrong-secret-password' } } });
    expect(refused.status).toBe(401);
    const requestId = refused.headers.get('x-request-id');

    const client = await RawXmppClient.websocket(url.replace('http', 'ws') + '/ws');
    await expect(loginPlain(client, { domain: 'localhost', appId: app.id, userId: user.id, password: 'another-wrong-secret' })).rejects.toThrow(/not-authorized/);
    await client.closed;
    const good = await RawXmppClient.websocket(url.replace('http', 'ws') + '/ws');
    await loginPlain(good, { domain: 'localhost', appId: app.id, userId: user.id, password: 'right-password' });
    good.send('<iq type="get" id="x"><bad');
    good.send('/></iq><<<');
    await good.closed;
    await expect.poll(() => lines.filter((line) => line.msg === 'connection closed').length).toBeGreaterThanOrEqual(2);

    const text = JSON.stringify(lines);
    expect(text).not.toMatch(/wrong-secret-password|another-wrong-secret|right-password|secret-in-query/);
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'request', method: 'POST', url: '/session.json', status: 401, reqId: requestId }));
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'auth failed', code: 'INVALID_PASSWORD', reqId: requestId }));
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'auth failed', reason: 'not-authorized', stream: expect.any(String) }));
    const opened = lines.filter((line) => line.msg === 'connection open');
    expect(opened).toHaveLength(2);
    expect(opened[1]).toMatchObject({ transport: 'websocket', stream: expect.any(String) });
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'connection closed', stream: opened[1]?.stream, appId: app.id, userId: user.id }));
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'stream error', stream: opened[1]?.stream, condition: expect.any(String) }));
  });
});
