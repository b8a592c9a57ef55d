/* eslint-disable @typescript-eslint/no-explicit-any -- page globals (window.ConnectyCube, session) are untyped */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
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
  });

  it('refuses a user who is not invited, and an invalid token', async () => {
    const [host, stranger] = await Promise.all([fx.attendee('conf-h2'), fx.attendee('conf-x')]);
    const room = await fx.meeting(host, {});
    const page = await fx.open('/official.html');
    const refused = await join(page, stranger, room).then(() => 'joined', (error: unknown) => String(error));
    expect(refused).toMatch(/433/);
    const badToken = await join(page, { ...stranger, token: 'f'.repeat(40) }, room).then(() => 'joined', (error: unknown) => String(error));
    expect(badToken).toMatch(/403|Unauthorized/);
    await page.context().close();
  });
});
