/**
 * Conferencing benchmark: Chromium pages with fake media publish into one meeting room through
 * Parley's gateway and a managed Janus (media on loopback); everyone receives everyone.
 *
 *   npx tsx bench/conference.ts [--publishers N] [--seconds S] [--joins J]
 *
 * Prints: forwarded tracks (audio + video received by all pages), packet loss over the window, Janus
 * CPU (from /proc) and the tracks it forwards per core, the gateway's (Parley process) share of the
 * CPU Janus + Parley used, and join → first decoded remote video frame (p50/p95 over J listener
 * joins). Real browsers are not synthetic publishers: they also decode everything they receive, so on
 * a small machine the browsers, not Janus, set the limit. Numbers are for this machine under its load.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { rawRequest, sessionToken, startServer } from '@parley/testkit';
import { conferenceScripts, launchConferenceChromium, peerConnectionProbe, serveStatic } from '@parley/testkit/browser-conference';

/* eslint-disable @typescript-eslint/no-explicit-any -- page globals are untyped */

function arg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}

const publishers = arg('publishers', 4);
const seconds = arg('seconds', 10);
const joins = arg('joins', 5);
const TICKS = 100; // /proc clock ticks per second on Linux

async function procCpuSeconds(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

const selfCpuSeconds = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};

async function rtpTotals(page: Page): Promise<{ tracks: number; received: number; lost: number }> {
  return page.evaluate(async () => {
    let tracks = 0;
    let received = 0;
    let lost = 0;
    for (const pc of (window as any).__pcs as RTCPeerConnection[]) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((s: any) => {
        if (s.type !== 'inbound-rtp') return;
        if (s.bytesReceived > 0) tracks += 1;
        received += s.packetsReceived ?? 0;
        lost += Math.max(0, s.packetsLost ?? 0);
      });
    }
    return { tracks, received, lost };
  });
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};

async function main(): Promise<void> {
  const server = await startServer({ config: { conference: 'managed', janusIceInterfaces: 'lo', janusRtpPorts: '45000-46999', conferencePublishers: '32' } });
  const site = await serveStatic({ ...conferenceScripts, '/probe.js': { body: peerConnectionProbe, type: 'text/javascript' }, '/p.html': { body: '<script src="/probe.js"></script><script src="/adapter.js"></script><script src="/connectycube.min.js"></script>', type: 'text/html' } });
  const browser = await launchConferenceChromium();
  try {
    const janusPid = server.server.conference?.janus?.pid;
    if (!janusPid) throw new Error('managed Janus is not running');
    const people = await Promise.all(Array.from({ length: publishers + joins }, async (_, i) => {
      const login = `bench-${Date.now().toString(36)}-${i}`;
      const token = await sessionToken(server.url, server.app, { login, password: 'password123' });
      const me = await rawRequest(server.url, '/session.json', { token });
      return { login, token, id: (me.json as { session: { user_id: number } }).session.user_id };
    }));
    const host = people[0] as (typeof people)[number];
    const created = await rawRequest(server.url, '/meetings.json', { method: 'POST', token: host.token, body: { name: 'bench', start_date: 1, end_date: 2, public: true } });
    const room = (created.json as { _id: string })._id;
    const conference = `${server.url.replace(/^http/, 'ws')}/conference`;
    const join = async (page: Page, who: (typeof people)[number], listener: boolean): Promise<number> =>
      page.evaluate(async ({ who, api, conference, appId, room, listener }) => {
        const CC = (window as any).ConnectyCube;
        CC.init({ appId, token: who.token }, { endpoints: { api_url: api }, conference: { server: conference }, debug: { mode: 0 } });
        const session = CC.videochatconference.createNewSession();
        (window as any).session = session;
        if (!listener) await session.getUserMedia({ audio: true, video: { width: 320, height: 240, frameRate: 15 } });
        const started = performance.now();
        await (listener ? session.joinAsListener(room, who.id, who.login) : session.join(room, who.id, who.login));
        for (;;) {
          for (const pc of (window as any).__pcs as RTCPeerConnection[]) {
            let decoded = 0;
            (await pc.getStats()).forEach((s: any) => { if (s.type === 'inbound-rtp' && s.kind === 'video') decoded += s.framesDecoded ?? 0; });
            if (decoded > 0) return performance.now() - started;
          }
          await new Promise((r) => setTimeout(r, 20));
        }
      }, { who, api: server.url, conference, appId: server.app.id, room, listener });

    const pages: Page[] = [];
    for (const who of people.slice(0, publishers)) {
      const page = await browser.newPage();
      await page.goto(`${site.url}/p.html`);
      pages.push(page);
      if (pages.length === 1) await page.evaluate(async ({ who, api, conference, appId, room }) => {
        const CC = (window as any).ConnectyCube;
        CC.init({ appId, token: who.token }, { endpoints: { api_url: api }, conference: { server: conference }, debug: { mode: 0 } });
        const session = CC.videochatconference.createNewSession();
        await session.getUserMedia({ audio: true, video: { width: 320, height: 240, frameRate: 15 } });
        await session.join(room, who.id, who.login);
      }, { who, api: server.url, conference, appId: server.app.id, room });
      else await join(page, who, false);
    }
    const expected = publishers * (publishers - 1) * 2;
    process.stderr.write(`${publishers} publishers joined; waiting for ${expected} forwarded tracks\n`);
    for (let waited = 0; waited < 60; waited += 1) {
      const totals = await Promise.all(pages.map(rtpTotals));
      if (totals.reduce((n, t) => n + t.tracks, 0) >= expected) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const before = await Promise.all(pages.map(rtpTotals));
    const janus0 = await procCpuSeconds(janusPid);
    const self0 = selfCpuSeconds();
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const after = await Promise.all(pages.map(rtpTotals));
    const wall = (Date.now() - t0) / 1000;
    const janusCpu = (await procCpuSeconds(janusPid)) - janus0;
    const selfCpu = selfCpuSeconds() - self0;
    const tracks = after.reduce((n, t) => n + t.tracks, 0);
    const received = after.reduce((n, t) => n + t.received, 0) - before.reduce((n, t) => n + t.received, 0);
    const lost = after.reduce((n, t) => n + t.lost, 0) - before.reduce((n, t) => n + t.lost, 0);
    const janusCores = janusCpu / wall;

    const joinTimes: number[] = [];
    for (const who of people.slice(publishers)) {
      const page = await browser.newPage();
      await page.goto(`${site.url}/p.html`);
      joinTimes.push(await join(page, who, true));
      await page.close();
    }
    const result = {
      publishers,
      forwardedTracks: tracks,
      expectedTracks: expected,
      lossPercent: Number(((lost / Math.max(1, lost + received)) * 100).toFixed(3)),
      janusCores: Number(janusCores.toFixed(3)),
      tracksPerJanusCore: Number((tracks / Math.max(janusCores, 1e-6)).toFixed(1)),
      gatewaySharePercent: Number(((selfCpu / Math.max(selfCpu + janusCpu, 1e-9)) * 100).toFixed(2)),
      joinToFirstFrameMs: { p50: Math.round(percentile(joinTimes, 50)), p95: Math.round(percentile(joinTimes, 95)), samples: joinTimes.length },
    };
    process.stdout.write(`${[
      `forwarded tracks        ${tracks} of ${expected} (audio + video, ${publishers} publishers, everyone receives everyone)`,
      `packet loss             ${result.lossPercent} % over ${wall.toFixed(1)} s`,
      `janus CPU               ${result.janusCores} cores → ${result.tracksPerJanusCore} forwarded tracks per core`,
      `gateway share of CPU    ${result.gatewaySharePercent} % (Parley process incl. this driver, vs Janus)`,
      `join → first frame      p50 ${result.joinToFirstFrameMs.p50} ms, p95 ${result.joinToFirstFrameMs.p95} ms (${joinTimes.length} listener joins)`,
    ].join('\n')}\n${JSON.stringify(result)}\n`);
  } finally {
    await browser.close();
    await site.close();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
