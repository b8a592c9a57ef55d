/* eslint-disable @typescript-eslint/no-explicit-any -- page globals (window.ConnectyCube, session) are untyped */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { rawRequest } from '@parley/testkit';
import { conferenceFixture, expectGrowingVideo, type Attendee } from './conference-fixture.js';

/**
 * The seed's "Video Conferencing" chapter with the official connectycube 6.1.2 SDK in Chromium
 * (fake media, loopback) against Parley's gateway and a managed Janus.
 */

/** Joins with the official SDK; the page records remote streams, joins and leaves. */
async function officialJoin(page: Page, api: string, conference: string, appId: number, who: Attendee, room: string, asListener = false): Promise<void> {
  await page.evaluate(
    async ({ api, conference, appId, who, room, asListener }) => {
      const w = window as any;
      const CC = w.ConnectyCube;
      CC.init({ appId, token: who.token }, { endpoints: { api_url: api }, conference: { server: conference }, debug: { mode: 0 } });
      w.events = { joined: [] as number[], left: [] as number[], streams: [] as number[] };
      CC.videochatconference.onParticipantJoinedListener = (_s: unknown, userId: number) => w.events.joined.push(userId);
      CC.videochatconference.onParticipantLeftListener = (_s: unknown, userId: number) => w.events.left.push(userId);
      CC.videochatconference.onRemoteStreamListener = (_s: unknown, userId: number) => w.events.streams.push(userId);
      const session = CC.videochatconference.createNewSession();
      w.session = session;
      if (asListener) return session.joinAsListener(room, who.id, who.login);
      await session.getUserMedia({ audio: true, video: { width: 320, height: 240 } });
      return session.join(room, who.id, who.login);
    },
    { api, conference, appId, who, room, asListener },
  );
}

const events = (page: Page) => page.evaluate(() => (window as any).events) as Promise<{ joined: number[]; left: number[]; streams: number[] }>;

describe('video conferencing with the official SDK in Chromium', () => {
  const fx = conferenceFixture();
  const join = (page: Page, who: Attendee, room: string, asListener = false) => officialJoin(page, fx.server.url, fx.gatewayUrl, fx.server.app.id, who, room, asListener);

  it('3 publishers and 1 listener: remote video arrives and grows, and a leave reaches the others', async () => {
    const [host, ann, bob, lis] = await Promise.all(['host', 'ann', 'bob', 'lis'].map((p) => fx.attendee(`conf-${p}`))) as [Attendee, Attendee, Attendee, Attendee];
    const room = await fx.meeting(host, { attendees: [{ id: ann.id }, { id: bob.id }, { id: lis.id }] });
    const pages = await Promise.all([0, 1, 2, 3].map(() => fx.open('/official.html')));
    const [hostPage, annPage, bobPage, lisPage] = pages as [Page, Page, Page, Page];
    await join(hostPage, host, room);
    await join(annPage, ann, room);
    await join(bobPage, bob, room);
    await join(lisPage, lis, room, true);

    await Promise.all([expectGrowingVideo(hostPage, 2), expectGrowingVideo(annPage, 2), expectGrowingVideo(bobPage, 2), expectGrowingVideo(lisPage, 3)]);
    await expect.poll(async () => new Set((await events(lisPage)).streams)).toEqual(new Set([host.id, ann.id, bob.id]));
    // A listener publishes a data-only stream, so the others see it join too.
    await expect.poll(async () => new Set((await events(hostPage)).joined)).toEqual(new Set([ann.id, bob.id, lis.id]));
    const online = await lisPage.evaluate(() => (window as any).session.listOfOnlineParticipants());
    expect(new Set((online as { id: number }[]).map((p) => p.id))).toEqual(new Set([host.id, ann.id, bob.id, lis.id]));

    await bobPage.evaluate(() => (window as any).session.leave());
    for (const other of [hostPage, annPage, lisPage]) await expect.poll(async () => (await events(other)).left, { timeout: 15_000 }).toContain(bob.id);
    await Promise.all(pages.map((p) => p.context().close()));
  }, 90_000);

  it('refuses a user who is not invited, and an invalid token', async () => {
    const [host, stranger] = await Promise.all([fx.attendee('conf-h2'), fx.attendee('conf-x')]);
    const room = await fx.meeting(host, {});
    const page = await fx.open('/official.html');
    const refused = await join(page, stranger, room).then(() => 'joined', (error: unknown) => String(error));
    expect(refused).toMatch(/433/);
    const badToken = await join(page, { ...stranger, token: 'f'.repeat(40) }, room).then(() => 'joined', (error: unknown) => String(error));
    expect(badToken).toMatch(/403|Unauthorized/);
    await page.context().close();
  }, 90_000);

  it('records a meeting when record is switched on while it runs; the recording is listed and plays (§9)', async () => {
    const [host, ann] = await Promise.all([fx.attendee('rec-host'), fx.attendee('rec-ann')]);
    const room = await fx.meeting(host, { attendees: [{ id: ann.id }], record: false });
    const [hostPage, annPage] = (await Promise.all([fx.open('/official.html'), fx.open('/official.html')])) as [Page, Page];
    await join(hostPage, host, room);
    await join(annPage, ann, room);
    await Promise.all([expectGrowingVideo(hostPage, 1), expectGrowingVideo(annPage, 1)]);

    const switched = await rawRequest(fx.server.url, `/meetings/${room}.json`, { method: 'PUT', token: host.token, body: { record: true } });
    expect(switched.status).toBe(200);
    // Janus writes raw video for both publishers; wait for a few seconds' worth (no fixed sleep).
    const rawDir = path.join(fx.server.server.config.dataDir, 'recordings', room);
    const rawVideoBytes = async () => {
      const names = await readdir(rawDir).catch(() => [] as string[]);
      const sizes = await Promise.all(names.filter((n) => /-video-\d+\.mjr$/.test(n)).map(async (n) => (await stat(path.join(rawDir, n))).size));
      return sizes.length >= 2 ? Math.min(...sizes) : 0;
    };
    await expect.poll(rawVideoBytes, { timeout: 30_000, interval: 500 }).toBeGreaterThan(60_000);

    await hostPage.evaluate(() => (window as any).session.leave());
    await annPage.evaluate(() => (window as any).session.leave());
    const conference = fx.server.server.conference;
    if (!conference) throw new Error('conferencing is off');
    // What the idle sweeper does ten minutes after the last participant left.
    await conference.service.endRoom(room);
    await conference.recordings.idle();

    const listed = await rawRequest(fx.server.url, `/meetings/recordings/${room}.json`, { token: ann.token });
    expect(listed.status).toBe(200);
    const recordings = listed.json as { _id: string; room_id: string; participants_ids: number[]; participants_count: number; duration: number; size: number; download_url: string }[];
    expect(recordings.length).toBe(2);
    expect(new Set(recordings.flatMap((r) => r.participants_ids))).toEqual(new Set([host.id, ann.id]));
    for (const recording of recordings) {
      expect(recording).toMatchObject({ room_id: room, participants_count: 1 });
      expect(recording.duration).toBeGreaterThan(0);
      expect(recording.size).toBeGreaterThan(0);
      expect(recording.download_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/blobs\/[0-9a-f]+\?expires=\d+&signature=/);
    }
    // The file plays: a media probe reads back a duration.
    const download = await fetch(recordings[0]?.download_url ?? '');
    expect(download.status).toBe(200);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-rec-'));
    try {
      const file = path.join(dir, 'recording.webm');
      await writeFile(file, Buffer.from(await download.arrayBuffer()));
      const { stdout } = await promisify(execFile)('/usr/bin/ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'default=noprint_wrappers=1:nokey=1', file]);
      expect(Number.parseFloat(stdout)).toBeGreaterThan(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    // Only the host and attendees may list them.
    const stranger = await fx.attendee('rec-x');
    expect((await rawRequest(fx.server.url, `/meetings/recordings/${room}.json`, { token: stranger.token })).status).toBe(404);
    await Promise.all([hostPage, annPage].map((p) => p.context().close()));
  }, 90_000);
});
