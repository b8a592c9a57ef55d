import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { conferenceFixture, expectGrowingVideo, type Attendee } from './conference-fixture.js';
import { joinConference, sessionCall, userEvents, type JoinTarget } from './conference-sdk-helpers.js';

/**
 * Official SDK pages and @parley/sdk pages in one conference, and a room of 12 publishers (the
 * documented maximum), in Chromium with fake media against the gateway and a managed Janus.
 */
/** The requests a page sent: verb, and for plugin messages the request with its body keys (values vary). */
async function janusShapes(page: Page): Promise<string[]> {
  const sent = (await page.evaluate(() => (window as any).__sent)) as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  const shapes = sent.map((m) => {
    const keys = Object.keys(m).filter((k) => k !== 'body' && k !== 'jsep' && k !== 'candidate').sort().join(',');
    if (m.janus === 'trickle') return `trickle ${keys} candidate:${Object.keys(m.candidate ?? {}).sort().join(',')}`;
    if (m.janus !== 'message') return `${m.janus} ${keys}`;
    const body = m.body ?? {};
    return `message ${keys} ${body.request} {${Object.keys(body).sort().join(',')}} ${body.ptype ?? ''} jsep:${m.jsep?.type ?? '-'}`;
  });
  return [...new Set(shapes)].sort();
}

describe('video conferencing across both SDKs in Chromium', () => {
  const fx = conferenceFixture();
  const target = (room: string): JoinTarget => ({ api: fx.server.url, conference: fx.gatewayUrl, appId: fx.server.app.id, room });

  it('official and @parley/sdk pages see each other: media grows, controls work, leave settles and reaches the others', async () => {
    const [host, ann, bob, lis] = (await Promise.all(['host', 'ann', 'bob', 'lis'].map((p) => fx.attendee(`mix-${p}`)))) as [Attendee, Attendee, Attendee, Attendee];
    const room = await fx.meeting(host, { attendees: [{ id: ann.id }, { id: bob.id }, { id: lis.id }] });
    const hostPage = await fx.open('/official.html');
    const annPage = await fx.open('/parley.html');
    const bobPage = await fx.open('/official.html');
    const lisPage = await fx.open('/parley.html');
    await joinConference(hostPage, target(room), host);
    await joinConference(annPage, target(room), ann);
    await joinConference(bobPage, target(room), bob);
    await joinConference(lisPage, target(room), lis, { listener: true });

    await Promise.all([expectGrowingVideo(hostPage, 2), expectGrowingVideo(annPage, 2), expectGrowingVideo(bobPage, 2), expectGrowingVideo(lisPage, 3)]);
    await expect.poll(async () => new Set((await userEvents(lisPage, lis.id)).streams)).toEqual(new Set([host.id, ann.id, bob.id]));
    await expect.poll(async () => new Set((await userEvents(annPage, ann.id)).joined)).toEqual(new Set([host.id, bob.id, lis.id]));
    const online = (await sessionCall(annPage, ann.id, 'listOfOnlineParticipants')) as { id: number }[];
    expect(new Set(online.map((p) => p.id))).toEqual(new Set([host.id, ann.id, bob.id, lis.id]));

    // Both SDKs speak the same Janus requests (realtime.md §13.3): verbs, plugin bodies, token on each.
    await sessionCall(hostPage, host.id, 'listOfOnlineParticipants');
    expect(await janusShapes(annPage)).toEqual(await janusShapes(hostPage));
    for (const page of [hostPage, annPage]) expect(await page.evaluate(() => (window as any).__sent.every((m: any) => typeof m.token === 'string' && m.token.length > 0))).toBe(true); // eslint-disable-line @typescript-eslint/no-explicit-any

    // The chapter's other calls, on both SDKs: current room, attaching a stream, listing devices.
    for (const [page, id] of [[hostPage, host.id], [annPage, ann.id]] as [Page, number][]) {
      const checks = await page.evaluate(async (userId) => {
        const w = window as any; // eslint-disable-line @typescript-eslint/no-explicit-any
        const state = w.users[userId];
        const video = document.createElement('video');
        video.id = `local-${userId}`;
        document.body.append(video);
        state.session.attachMediaStream(video.id, state.session.localStream, { muted: true, mirror: true });
        const conf = (w.ParleyConnectyCube ? state.cube : w.ConnectyCube).videochatconference;
        const cameras = await conf.getMediaDevices(conf.DeviceInputType.VIDEO);
        return { room: state.session.currentRoomId, attached: video.srcObject === state.session.localStream, muted: video.muted, cameras: cameras.length };
      }, id);
      expect(checks).toEqual({ room, attached: true, muted: true, cameras: expect.any(Number) });
      expect(checks.cameras).toBeGreaterThan(0);
    }

    // @parley/sdk controls: mute state, remote bitrate and mic level from real stats, device switch.
    expect(await sessionCall(annPage, ann.id, 'isAudioMuted')).toBe(false);
    await sessionCall(annPage, ann.id, 'muteAudio');
    expect(await sessionCall(annPage, ann.id, 'isAudioMuted')).toBe(true);
    await sessionCall(annPage, ann.id, 'unmuteVideo');
    expect(await sessionCall(annPage, ann.id, 'isVideoMuted')).toBe(false);
    await expect.poll(async () => Number.parseInt(String(await sessionCall(lisPage, lis.id, 'getRemoteUserBitrate', host.id)), 10), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(typeof (await sessionCall(lisPage, lis.id, 'getRemoteUserVolume', host.id))).toBe('number');
    const cameras = (await annPage.evaluate(() => (window as any).users && navigator.mediaDevices.enumerateDevices().then((d) => d.filter((x) => x.kind === 'videoinput').map((x) => x.deviceId)))) as string[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(cameras.length).toBeGreaterThan(0);
    await sessionCall(annPage, ann.id, 'switchMediaTracks', { video: cameras[0] });
    await expectGrowingVideo(hostPage, 2);
    // Screen sharing on both SDKs: the screen replaces the camera in what is sent, media keeps flowing.
    for (const [page, id] of [[annPage, ann.id], [hostPage, host.id]] as [Page, number][]) {
      await sessionCall(page, id, 'getDisplayMedia', { video: { width: 320, height: 240, frameRate: { ideal: 10, max: 15 } }, audio: false });
      const label = await page.evaluate((userId) => (window as any).users[userId].session.localStream.getVideoTracks()[0]?.label, id); // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(label).toMatch(/^screen/);
    }
    await expectGrowingVideo(lisPage, 3);

    // @parley/sdk's leave resolves once the server has let go; the others hear of it.
    await sessionCall(annPage, ann.id, 'leave');
    for (const [page, id] of [[hostPage, host.id], [bobPage, bob.id], [lisPage, lis.id]] as [Page, number][]) {
      await expect.poll(async () => (await userEvents(page, id)).left, { timeout: 15_000 }).toContain(ann.id);
    }
    await expect.poll(async () => (await fx.server.server.conference?.sfu.participants(room))?.some((p) => p.id === String(ann.id))).toBe(false);
    for (const page of [hostPage, annPage, bobPage, lisPage]) await page.context().close();
  }, 90_000);

  it('a room of 12 publishers: a 12th joining receives all 11 others', async () => {
    const people = await Promise.all(Array.from({ length: 12 }, (_, i) => fx.attendee(`twelve-${i}-`)));
    const [host, ...others] = people as [Attendee, ...Attendee[]];
    const room = await fx.meeting(host, { attendees: others.map((o) => ({ id: o.id })) });
    // Eleven @parley/sdk publishers in three pages, small video to keep the machine's load low.
    const pages = await Promise.all([0, 1, 2].map(() => fx.open('/parley.html')));
    const small = { width: 160, height: 120, frameRate: 10 };
    for (const [index, person] of others.entries()) await joinConference(pages[index % 3] as Page, target(room), person, { video: small });
    const hostPage = await fx.open('/official.html');
    await joinConference(hostPage, target(room), host, { video: small });
    await expectGrowingVideo(hostPage, 11, 60_000);
    const online = (await sessionCall(hostPage, host.id, 'listOfOnlineParticipants')) as { id: number; publisher: boolean }[];
    expect(online.filter((p) => p.publisher)).toHaveLength(12);
    for (const page of [...pages, hostPage]) await page.context().close();
  }, 180_000);
});
