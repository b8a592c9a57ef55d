import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { selfSignedCertificate } from '@parley/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parleyInProcess as parley } from './cli-runner.js';

/**
 * Start-up and configuration that tell the truth: help lists commands first, `.env` is read with
 * flags > environment > .env, `config check` checks and masks secrets, and known start-up failures are
 * one line naming the option and the fix.
 */
describe('parley start-up and config checks', () => {
  let folder: string;
  let env: Record<string, string>;
  let busy: Server;
  let busyPort: number;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'parley-startup-'));
    env = { PARLEY_DATA_DIR: path.join(folder, 'data'), PARLEY_LOG_LEVEL: 'silent', PARLEY_XMPP_PORT: '0', PARLEY_PORT: '0' };
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    busyPort = (busy.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => busy.close(resolve));
    await rm(folder, { recursive: true, force: true });
  });

  it('--help lists the commands first, each with one line, then the config flags grouped; --version prints it', async () => {
    const help = (await parley(['--help'], env)).stdout;
    const commands = help.indexOf('Commands:');
    expect(commands).toBeGreaterThan(0);
    expect(help.indexOf('Configuration: Server')).toBeGreaterThan(commands);
    for (const command of ['serve', 'status', 'config check', 'app set', 'user passwd', 'connections kick']) expect(help).toMatch(new RegExp(`\\n {2,}${command} +\\S`));
    expect(help).toContain('flags > environment variables > .env');
    expect((await parley(['--version'], env)).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('reads .env in the working folder: flags > environment > .env', async () => {
    await writeFile(path.join(folder, '.env'), '# comment\nPARLEY_SESSION_TTL=45m\nPARLEY_CHAT_DOMAIN="from-dotenv.example"\nexport PARLEY_GUEST_SESSION_TTL=2h\n');
    const check = async (args: string[], extra: Record<string, string> = {}) =>
      (JSON.parse((await parley(['config', 'check', '--json', ...args], { ...env, ...extra }, { cwd: folder })).stdout) as { config: Record<string, unknown> }).config;
    expect(await check([])).toMatchObject({ sessionTtl: 2700, chatDomain: 'from-dotenv.example', guestSessionTtl: 7200 });
    expect(await check([], { PARLEY_SESSION_TTL: '1h' })).toMatchObject({ sessionTtl: 3600, chatDomain: 'from-dotenv.example' });
    expect(await check(['--session-ttl', '10m'], { PARLEY_SESSION_TTL: '1h' })).toMatchObject({ sessionTtl: 600 });
    await rm(path.join(folder, '.env'));
  });

  it('config check masks every secret and checks TLS files, ports and the database', async () => {
    const secrets = { PARLEY_ADMIN_TOKEN: 'super-secret-admin', PARLEY_METRICS_TOKEN: 'metrics-secret' };
    const ok = await parley(['config', 'check', '--json'], { ...env, ...secrets });
    expect(ok.code).toBe(0);
    expect(ok.stdout).not.toContain('super-secret-admin');
    expect(ok.stdout).not.toContain('metrics-secret');
    const report = JSON.parse(ok.stdout) as { ok: boolean; checks: { name: string; ok: boolean }[]; config: Record<string, unknown> };
    expect(report).toMatchObject({ ok: true, config: { adminToken: '***', metricsToken: '***' } });
    expect(report.checks.map((check) => check.name)).toEqual(['xmpp tls', 'http port', 'xmpp tcp port', 'metrics port', 'database']);
    const text = await parley(['config', 'check'], { ...env, ...secrets, PARLEY_DATABASE_URL: 'postgres://parley:db-password@127.0.0.1:1/none' });
    expect(text.stdout + text.stderr).not.toMatch(/super-secret-admin|db-password/);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/FAIL {2}database +the PostgreSQL database at postgres:\/\/parley:\*\*\*@127\.0\.0\.1:1\/none cannot be used/);
    expect(text.stderr).toBe('parley: configuration check failed: database\n');

    const cert = selfSignedCertificate('localhost');
    const other = selfSignedCertificate('localhost');
    const tls = async (extra: Record<string, string>) => JSON.parse((await parley(['config', 'check', '--json'], { ...env, ...extra })).stdout) as { checks: { name: string; ok: boolean; detail: string }[] };
    expect((await tls({ PARLEY_XMPP_TLS_CERT: cert.certFile, PARLEY_XMPP_TLS_KEY: cert.keyFile })).checks[0]).toMatchObject({ ok: true, detail: 'certificate and key readable and matching' });
    expect((await tls({ PARLEY_XMPP_TLS_CERT: cert.certFile, PARLEY_XMPP_TLS_KEY: other.keyFile })).checks[0]).toMatchObject({ ok: false, detail: expect.stringMatching(/do not form a usable pair/) });
    expect((await tls({ PARLEY_XMPP_TLS_CERT: cert.certFile })).checks[0]).toMatchObject({ ok: false, detail: expect.stringMatching(/PARLEY_XMPP_TLS_CERT is set but PARLEY_XMPP_TLS_KEY \(--xmpp-tls-key\) is not/) });
    expect((await tls({ PARLEY_PORT: String(busyPort) })).checks[1]).toMatchObject({ ok: false, detail: expect.stringMatching(new RegExp(`port ${busyPort} .*already in use \\(PARLEY_PORT`)) });
  });

  it('serve fails with one line for a port in use, a missing TLS file, an unreachable database', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ PARLEY_PORT: String(busyPort) }, new RegExp(`^parley: port ${busyPort} on 127\\.0\\.0\\.1 is already in use \\(PARLEY_PORT \\(--port\\)\\): stop the other process or choose another port\\n$`)],
      [{ PARLEY_XMPP_PORT: String(busyPort) }, /^parley: port \d+ on 127\.0\.0\.1 is already in use \(PARLEY_XMPP_PORT \(--xmpp-port\)\)/],
      [{ PARLEY_XMPP_TLS_CERT: '/nonexistent/cert.pem', PARLEY_XMPP_TLS_KEY: '/nonexistent/key.pem' }, /^parley: PARLEY_XMPP_TLS_CERT \(--xmpp-tls-cert\) = "\/nonexistent\/cert\.pem" cannot be read \(ENOENT\): fix the path/],
      [{ PARLEY_DATABASE_URL: 'postgres://parley:pw@127.0.0.1:1/none' }, /^parley: the PostgreSQL database at postgres:\/\/parley:\*\*\*@127\.0\.0\.1:1\/none cannot be used \(ECONNREFUSED/],
    ];
    for (const [extra, message] of cases) {
      const run = await parley(['serve'], { ...env, ...extra });
      expect(run.code).toBe(1);
      expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
      expect(run.stderr).toMatch(message);
    }
  });
});
