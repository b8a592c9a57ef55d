import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, sessionToken, startServer, type TestServer } from '@parley/testkit';
import { JanusTestClient } from './janus-client.js';

/**
 * The conference gateway on the wire (realtime.md §13) against a managed Janus: token checks on every
 * request, meeting membership, the SDK 6.1.2 rewrites, requests a client may not make, hostile frames
 * closing only their sender, and the client's Janus session destroyed when it goes away.
 */
describe('conference gateway', () => {
  let server: TestServer;
  let gateway: string;
  const users: Record<string, { id: number; token: string }> = {};
  let meetingId: string;
  let offsetMs = 0;

  const user = async (login: string, app = server.app) => {
    const token = await sessionToken(server.url, app, { login, password: 'password123' });
    const me = await rawRequest(server.url, '/session.json', { token });
    return { id: (me.json as { session: { user_id: number } }).session.user_id, token };
  };

  beforeAll(async () => {
    server = await startServer({ clock: () => Date.now() + offsetMs, config: { conference: 'managed', janusIceInterfaces: 'lo', janusRtpPorts: '42000-42999' } });
    gateway = `${server.url.replace(/^http/, 'ws')}/conference`;
    for (const name of ['host', 'guest', 'stranger']) users[name] = await user(`gw-${name}`);
    const created = await rawRequest(server.url, '/meetings.json', {
      method: 'POST',
      token: users.host?.token,
      body: { name: 'Gateway', start_date: 1, end_date: 2, attendees: [{ id: users.guest?.id }] },
    });
    meetingId = (created.json as { _id: string })._id;
  }, 60_000);
  afterAll(() => server?.stop());

  async function session(who: { token: string }) {
    const client = await JanusTestClient.open(gateway);
    const created = await client.request({ janus: 'create', token: who.token });
    expect(created).toMatchObject({ janus: 'success', data: { id: expect.any(Number) } });
    const sessionId = created.data.id as number;
    const attached = await client.request({ janus: 'attach', plugin: 'janus.plugin.videoroom', token: who.token, session_id: sessionId });
    expect(attached.janus).toBe('success');
    return { client, sessionId, handleId: attached.data.id as number, token: who.token };
  }

  it('refuses an unknown or missing token on create, and requests before a session', async () => {
    const client = await JanusTestClient.open(gateway);
    const unauthorized = { code: 403, reason: 'Unauthorized request (wrong or missing secret/token)' };
    expect(await client.request({ janus: 'create', token: 'nope' })).toMatchObject({ janus: 'error', error: unauthorized });
    expect(await client.request({ janus: 'create' })).toMatchObject({ janus: 'error', error: unauthorized });
    expect(await client.request({ janus: 'attach', plugin: 'janus.plugin.videoroom', session_id: 1 })).toMatchObject({ janus: 'error', error: unauthorized });
    client.close();
  });

  it('joins the host and an attendee as publishers; ids reach the SDK as numbers (§13.6)', async () => {
    const host = await session(users.host as { token: string });
    const joined = await host.client.event({
      janus: 'message', token: host.token, session_id: host.sessionId, handle_id: host.handleId,
      body: { request: 'join', room: meetingId, ptype: 'publisher', id: users.host?.id, display: 'Host' },
    });
    expect(joined.first.janus).toBe('ack');
    expect(joined.event?.plugindata.data).toMatchObject({ videoroom: 'joined', room: meetingId, id: users.host?.id, publishers: [] });
    // The room is open: the live overview's conference gauge counts it.
    expect((await rawRequest(server.url, '/metrics')).text).toMatch(/^parley_conference_rooms_active{node="[^"]+"} 1$/m);

    const guest = await session(users.guest as { token: string });
    const listed = await guest.client.request({
      janus: 'message', token: guest.token, session_id: guest.sessionId, handle_id: guest.handleId, body: { request: 'listparticipants', room: meetingId },
    });
    expect(listed.plugindata.data.participants).toEqual([expect.objectContaining({ id: users.host?.id })]);
    // A keepalive is forwarded and acknowledged.
    expect(await guest.client.request({ janus: 'keepalive', token: guest.token, session_id: guest.sessionId })).toMatchObject({ janus: 'ack' });

    // The legacy listener join becomes a subscriber join; without a published stream Janus says so.
    const listener = await guest.client.request({ janus: 'attach', plugin: 'janus.plugin.videoroom', token: guest.token, session_id: guest.sessionId });
    const subscribed = await guest.client.event({
      janus: 'message', token: guest.token, session_id: guest.sessionId, handle_id: listener.data.id,
      body: { request: 'join', room: meetingId, ptype: 'listener', feed: users.host?.id },
    });
    expect(subscribed.event?.plugindata.data.error_code).not.toBe(430);

    // The host leaves by closing the socket: its Janus session is destroyed and it leaves the room.
    host.client.close();
    await expect.poll(async () => (await server.server.conference?.sfu.participants(meetingId))?.length, { timeout: 10_000 }).toBe(0);
    guest.client.close();
  });

  it('refuses users who may not join, and a publisher id that is not the caller (§13.5)', async () => {
    const stranger = await session(users.stranger as { token: string });
    const refused = await stranger.client.event({
      janus: 'message', token: stranger.token, session_id: stranger.sessionId, handle_id: stranger.handleId,
      body: { request: 'join', room: meetingId, ptype: 'publisher', id: users.stranger?.id, display: 'S' },
    });
    expect(refused.first).toMatchObject({ janus: 'error', error: { code: 433 } });
    const listing = await stranger.client.request({
      janus: 'message', token: stranger.token, session_id: stranger.sessionId, handle_id: stranger.handleId, body: { request: 'listparticipants', room: meetingId },
    });
    expect(listing).toMatchObject({ janus: 'error', error: { code: 433 } });

    const guest = await session(users.guest as { token: string });
    const impostor = await guest.client.event({
      janus: 'message', token: guest.token, session_id: guest.sessionId, handle_id: guest.handleId,
      body: { request: 'join', room: meetingId, ptype: 'publisher', id: users.host?.id, display: 'Host?' },
    });
    expect(impostor.first).toMatchObject({ janus: 'error', error: { code: 433 } });
    // Another user's token on this connection.
    const swapped = await guest.client.request({ janus: 'keepalive', token: users.stranger?.token, session_id: guest.sessionId });
    expect(swapped).toMatchObject({ janus: 'error', error: { code: 403 } });

    const appB = await server.createApp('gw-app-b');
    const mallory = await user('gw-mallory', appB);
    const outsider = await session(mallory);
    const crossApp = await outsider.client.event({
      janus: 'message', token: mallory.token, session_id: outsider.sessionId, handle_id: outsider.handleId,
      body: { request: 'join', room: meetingId, ptype: 'publisher', id: mallory.id, display: 'M' },
    });
    expect(crossApp.first).toMatchObject({ janus: 'error', error: { code: 433 } });
    for (const c of [stranger, guest, outsider]) c.client.close();
  });

  it('refuses room management, other clients’ sessions and unknown verbs', async () => {
    const host = await session(users.host as { token: string });
    const other = await session(users.guest as { token: string });
    const message = (body: object) => ({ janus: 'message', token: host.token, session_id: host.sessionId, handle_id: host.handleId, body });
    for (const request of ['destroy', 'create', 'kick', 'enable_recording', 'edit', 'rtp_forward', 'list']) {
      expect(await host.client.request(message({ request, room: meetingId, id: String(users.guest?.id) }))).toMatchObject({ janus: 'error', error: { code: 403 } });
    }
    expect(await host.client.request({ janus: 'claim', token: host.token, session_id: other.sessionId })).toMatchObject({ janus: 'error', error: { code: 403 } });
    expect(await host.client.request({ janus: 'keepalive', token: host.token, session_id: other.sessionId })).toMatchObject({ janus: 'error', error: { code: 458 } });
    expect(await host.client.request({ ...message({ request: 'listparticipants', room: meetingId }), handle_id: other.handleId })).toMatchObject({ janus: 'error', error: { code: 459 } });
    expect(await host.client.request({ janus: 'attach', plugin: 'janus.plugin.echotest', token: host.token, session_id: host.sessionId })).toMatchObject({ janus: 'error', error: { code: 460 } });
    // One connection holds a bounded number of Janus sessions.
    for (let i = 0; i < 3; i += 1) expect((await host.client.request({ janus: 'create', token: host.token })).janus).toBe('success');
    expect(await host.client.request({ janus: 'create', token: host.token })).toMatchObject({ janus: 'error', error: { code: 403 } });
    host.client.close();
    other.client.close();
  });

  it('closes a client that sends a hostile frame, and only that client', async () => {
    const bystander = await session(users.guest as { token: string });
    for (const hostile of ['not json', '[1,2]', '{"janus":5}', JSON.stringify({ janus: 'create', transaction: 'x'.repeat(100) }), Buffer.from([1, 2, 3])]) {
      const client = await JanusTestClient.open(gateway);
      client.send(hostile);
      expect((await client.closed).code).toBe(1008);
    }
    const huge = await JanusTestClient.open(gateway);
    huge.send(JSON.stringify({ janus: 'keepalive', transaction: 't', pad: 'x'.repeat(300 * 1024) }));
    expect((await huge.closed).code).toBe(1009);
    expect(await bystander.client.request({ janus: 'keepalive', token: bystander.token, session_id: bystander.sessionId })).toMatchObject({ janus: 'ack' });
    bystander.client.close();
  });

  it('needs the janus-protocol subprotocol', async () => {
    await expect(JanusTestClient.open(gateway, 'xmpp')).rejects.toThrow();
  });

  const joinAsHost = async (room: string) => {
    const host = await session(users.host as { token: string });
    const joined = await host.client.event({
      janus: 'message', token: host.token, session_id: host.sessionId, handle_id: host.handleId,
      body: { request: 'join', room, ptype: 'publisher', id: users.host?.id, display: 'Host' },
    });
    expect(joined.event?.plugindata.data.videoroom, JSON.stringify(joined)).toBe('joined');
    return host;
  };
  const newMeeting = async () => {
    const created = await rawRequest(server.url, '/meetings.json', { method: 'POST', token: users.host?.token, body: { name: 'Lifecycle', start_date: 1, end_date: 2 } });
    return (created.json as { _id: string })._id;
  };

  it('destroys a room ten minutes after it emptied, and when its meeting is deleted (§13.7)', async () => {
    const conference = server.server.conference;
    if (!conference) throw new Error('conferencing is off');
    const idle = await newMeeting();
    const host = await joinAsHost(idle);
    expect(conference.service.activeRooms()).toContain(idle);
    await conference.service.sweepIdleRooms();
    expect(conference.service.activeRooms()).toContain(idle);
    host.client.close();
    await expect.poll(async () => (await conference.sfu.participants(idle)).length).toBe(0);
    await conference.service.sweepIdleRooms();
    offsetMs += 9 * 60 * 1000;
    await conference.service.sweepIdleRooms();
    expect(conference.service.activeRooms()).toContain(idle);
    offsetMs += 60 * 1000;
    await conference.service.sweepIdleRooms();
    expect(conference.service.activeRooms()).not.toContain(idle);

    const deleted = await newMeeting();
    const again = await joinAsHost(deleted);
    expect((await rawRequest(server.url, `/meetings/${deleted}.json`, { method: 'DELETE', token: users.host?.token })).status).toBe(200);
    await expect.poll(() => conference.service.activeRooms().includes(deleted)).toBe(false);
    // The room is gone: the participant was removed with it.
    await expect.poll(async () => (await conference.sfu.participants(deleted)).length).toBe(0);
    again.client.close();
  });

  it('restarts Janus when it dies; clients reconnect and rooms are created again', async () => {
    const janus = server.server.conference?.janus;
    if (!janus?.pid) throw new Error('managed Janus is not running');
    const before = janus.pid;
    const host = await joinAsHost(meetingId);
    process.kill(before, 'SIGKILL');
    expect((await host.client.closed).code).toBe(1011);
    await expect.poll(() => janus.pid !== before, { timeout: 15_000 }).toBe(true);
    await janus.ready();
    const back = await joinAsHost(meetingId);
    back.client.close();
  });
});
