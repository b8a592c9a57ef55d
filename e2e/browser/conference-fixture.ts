import type { Browser, Page } from 'playwright-core';
import { bundleParleySdk, conferenceScripts, launchConferenceChromium, peerConnectionProbe, serveStatic, type StaticSite } from '@parley/testkit/browser-conference';
import { rawRequest, sessionToken, startServer, type TestServer } from '@parley/testkit';
import { afterAll, beforeAll } from 'vitest';

/** A conference participant as the tests see it. */
export interface Attendee {
  id: number;
  login: string;
  token: string;
}

const page = (scripts: string[]) => ({
  body: `<!doctype html><meta charset="utf-8"><title>conference</title>${scripts.map((src) => `<script src="${src}"></script>`).join('')}`,
  type: 'text/html; charset=utf-8',
});

/**
 * One Parley server with managed Janus (media on loopback), one static site with the SDK pages, one
 * Chromium for the whole file; everything is stopped after the file.
 */
export function conferenceFixture(extraFiles: Record<string, string | { body: string; type: string }> = {}) {
  let server: TestServer | undefined;
  let site: StaticSite | undefined;
  let browser: Browser | undefined;
  let serial = 0;
  beforeAll(async () => {
    server = await startServer({ config: { conference: 'managed', janusIceInterfaces: 'lo', janusRtpPorts: '43000-44999' } });
    site = await serveStatic({
      ...conferenceScripts,
      '/probe.js': { body: peerConnectionProbe, type: 'text/javascript' },
      '/official.html': page(['/probe.js', '/adapter.js', '/connectycube.min.js']),
      '/parley.js': { body: await bundleParleySdk(), type: 'text/javascript' },
      '/parley.html': page(['/probe.js', '/parley.js']),
      ...extraFiles,
    });
    browser = await launchConferenceChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await server?.stop();
  });
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the conference fixture has not started');
    return value;
  };
  return {
    get server() {
      return need(server);
    },
    get gatewayUrl() {
      return `${need(server).url.replace(/^http/, 'ws')}/conference`;
    },
    async attendee(prefix: string): Promise<Attendee> {
      const login = `${prefix}${Date.now().toString(36)}${(serial += 1)}`;
      const token = await sessionToken(need(server).url, need(server).app, { login, password: 'password123' });
      const me = await rawRequest(need(server).url, '/session.json', { token });
      return { id: (me.json as { session: { user_id: number } }).session.user_id, login, token };
    },
    async meeting(host: Attendee, body: Record<string, unknown>): Promise<string> {
      const created = await rawRequest(need(server).url, '/meetings.json', { method: 'POST', token: host.token, body: { name: 'Conference', start_date: 1, end_date: 2, ...body } });
      if (created.status !== 201) throw new Error(`meeting: ${created.status} ${created.text}`);
      return (created.json as { _id: string })._id;
    },
    /** A new page (own browsing context) at `path` of the static site. */
    async open(path: string): Promise<Page> {
      const context = await need(browser).newContext();
      const opened = await context.newPage();
      opened.on('pageerror', (error) => process.stderr.write(`[page] ${error.message}\n`));
      await opened.goto(`${need(site).url}${path}`);
      return opened;
    },
  };
}

/** Waits until the page receives video bytes from at least `streams` remote streams and they grow. */
export async function expectGrowingVideo(target: Page, streams: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let first: Record<string, number> | undefined;
  for (;;) {
    const now = (await target.evaluate('window.__inboundVideo()')) as Record<string, number>;
    const flowing = Object.values(now).filter((bytes) => bytes > 0).length;
    if (first === undefined && flowing >= streams) first = now;
    else if (first !== undefined) {
      const grown = Object.entries(now).filter(([ssrc, bytes]) => bytes > (first?.[ssrc] ?? Number.POSITIVE_INFINITY)).length;
      if (grown >= streams) return;
    }
    if (Date.now() > deadline) throw new Error(`expected ${streams} growing remote video streams, saw ${JSON.stringify(now)}`);
    await target.waitForTimeout(250);
  }
}
