import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, rawRequest, sessionToken, startServer, xml, type CallPushNotifier, type Element, type IncomingCallNotice, type RawXmppClient, type TestServer } from '@parley/testkit';
import { XmppFixture } from './xmpp-helpers.js';

/**
 * P2P call signalling (realtime.md §12) over raw XMPP and the REST reject (rest.md §10.1): signals reach
 * every connection of the callee verbatim, never the sender, never storage; blocks, other applications
 * and malformed signals are refused; an offline callee is handed to the call-push port once per call.
 */
const PRIVACY = 'jabber:iq:privacy';
const SDP = 'v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\n';

class RecordingCallPush implements CallPushNotifier {
  readonly notices: IncomingCallNotice[] = [];
  async notifyIncomingCall(notice: IncomingCallNotice): Promise<void> {
    this.notices.push(notice);
  }
}

/** A signal as the official SDK writes it (children in its order; sdpMLineIndex 0 as an empty element). */
function signal(to: string, signalType: string, sessionId: string, callerId: number, opponents: number[], extra: Element[] = []): Element {
  return xml(
    'message',
    { xmlns: 'jabber:client', to, type: 'headline', id: `s${Math.random().toString(16).slice(2, 14)}` },
    xml(
      'extraParams',
      { xmlns: 'jabber:client' },
      xml('userInfo', {}, xml('name', {}, 'Alice')),
      xml('sessionID', {}, sessionId),
      xml('callType', {}, '1'),
      xml('callerID', {}, String(callerId)),
      xml('opponentsIDs', {}, ...opponents.map((id) => xml('opponentID', {}, String(id)))),
      ...extra,
      xml('moduleIdentifier', {}, 'WebRTCVideoChat'),
      xml('signalType', {}, signalType),
      xml('platform', {}, 'web'),
    ),
  );
}

const isSignal = (element: Element) => element.name === 'message' && element.getChild('extraParams')?.getChildText('moduleIdentifier') === 'WebRTCVideoChat';
const signalTypeOf = (element: Element) => element.getChild('extraParams')?.getChildText('signalType');
const errorCondition = (element: Element) => element.getChild('error')?.getChildElements().find((child) => child.name !== 'text')?.name;

describe.each(databaseKinds)('P2P call signalling on %s', (db) => {
  let server: TestServer;
  const callPush = new RecordingCallPush();
  const fixture = new XmppFixture(() => server);
  let sessions = 0;
  const newSessionId = () => `1f0c5d8e-7b2a-4c3d-9e8f-${String((sessions += 1)).padStart(12, '0')}`;

  beforeAll(async () => {
    server = await startServer({ db, overrides: { callPush } });
  });
  afterAll(async () => {
    await fixture.close();
    await server.stop();
  });

  type Online = { raw: RawXmppClient; jid: string; bare: string; id: number; login: string; password: string; appId: number };

  async function connect(user: { id: number; login: string; password: string; appId: number }): Promise<Online> {
    const { raw, jid } = await fixture.loggedIn('websocket', user);
    raw.send(xml('presence'));
    raw.send(xml('iq', { xmlns: 'jabber:client', type: 'get', id: 'p0', to: server.chatDomain }, xml('ping', { xmlns: 'urn:xmpp:ping' })));
    await raw.next((element) => element.name === 'iq' && element.attrs.id === 'p0');
    return { id: user.id, login: user.login, password: user.password, appId: user.appId, raw, jid, bare: jid.split('/')[0]! };
  }
  const online = async (appId?: number) => connect(await fixture.newUser('secret-pwd', appId));

  /** `from` sends a plain system message to `to`: once it arrives, everything sent before it was routed. */
  async function barrier(from: Online, to: Online): Promise<Element> {
    const id = `b${Math.random().toString(16).slice(2)}`;
    from.raw.send(xml('message', { xmlns: 'jabber:client', to: to.bare, type: 'headline', id }, xml('extraParams', { xmlns: 'jabber:client' }, xml('moduleIdentifier', {}, 'SystemNotifications'))));
    return to.raw.next((element) => element.name === 'message');
  }

  it('routes every signal type verbatim to every connection of the callee, never back to the sender', async () => {
    const alice = await online();
    const aliceOther = await connect(alice);
    const bob = await online();
    const bobPhone = await connect(bob);
    const sessionId = newSessionId();
    const candidates = xml('iceCandidates', {}, xml('iceCandidate', {}, xml('sdpMLineIndex'), xml('sdpMid', {}, '0'), xml('candidate', {}, 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host')));
    const sent = [
      signal(bob.bare, 'call', sessionId, alice.id, [bob.id], [xml('sdp', {}, SDP)]),
      signal(bob.bare, 'iceCandidates', sessionId, alice.id, [bob.id], [candidates]),
      signal(bob.bare, 'update', sessionId, alice.id, [bob.id], [xml('param', {}, 'mute')]),
      signal(bob.bare, 'iceRestart', sessionId, alice.id, [bob.id], [xml('sdp', {}, SDP)]),
      signal(bob.bare, 'hangUp', sessionId, alice.id, [bob.id]),
    ];
    for (const stanza of sent) alice.raw.send(stanza);
    for (const device of [bob, bobPhone]) {
      for (const original of sent) {
        const got = await device.raw.next(isSignal);
        expect(signalTypeOf(got)).toBe(signalTypeOf(original));
        expect(got.attrs.type).toBe('headline');
        expect(got.attrs.from).toBe(alice.jid);
        expect(got.attrs.to).toBe(device.jid);
        expect(got.attrs.id).toBe(original.attrs.id);
        expect(got.getChild('delay')).toBeUndefined();
        expect(got.getChild('extraParams')!.toString()).toBe(original.getChild('extraParams')!.toString());
      }
    }
    expect(bob.raw.received.find(isSignal)!.getChild('extraParams')!.getChildText('sdp')).toBe(SDP);
    // The callee answers: accept to the caller's one connection (full JID), reject to the bare JID.
    bob.raw.send(signal(alice.jid, 'accept', sessionId, alice.id, [bob.id], [xml('sdp', {}, SDP)]));
    bobPhone.raw.send(signal(alice.bare, 'reject', sessionId, alice.id, [bob.id], [xml('busy', {}, 'true')]));
    expect(signalTypeOf(await alice.raw.next(isSignal))).toBe('accept');
    expect(signalTypeOf(await alice.raw.next(isSignal))).toBe('reject');
    expect(signalTypeOf(await aliceOther.raw.next(isSignal))).toBe('reject');
    // Barriers: nothing else reached the caller's other connection (no accept, no carbons) or bob (no echo).
    await barrier(bob, aliceOther);
    await barrier(alice, bob);
    expect(aliceOther.raw.received.filter(isSignal).map(signalTypeOf)).toEqual(['reject']);
    expect(bob.raw.received.filter(isSignal).map(signalTypeOf)).toEqual(sent.map(signalTypeOf));
  });

  it('never stores or queues signals: a callee who connects later gets none of them', async () => {
    const alice = await online();
    const bob = await fixture.newUser();
    alice.raw.send(signal(`${bob.id}-${bob.appId}@${server.chatDomain}`, 'iceCandidates', newSessionId(), alice.id, [bob.id], [xml('iceCandidates')]));
    alice.raw.send(signal(`${bob.id}-${bob.appId}@${server.chatDomain}`, 'hangUp', newSessionId(), alice.id, [bob.id]));
    await barrier(alice, await online());
    const later = await connect(bob);
    const first = await barrier(alice, later);
    expect(isSignal(first)).toBe(false);
    expect(later.raw.received.filter(isSignal)).toHaveLength(0);
    const token = await sessionToken(server.url, server.app, bob);
    const dialogs = await rawRequest(server.url, '/chat/Dialog.json', { token });
    expect((dialogs.json as { items: unknown[] }).items).toHaveLength(0);
  });

  it('hands a call to an offline callee to the call-push port once per call session', async () => {
    const alice = await online();
    const bob = await fixture.newUser();
    const before = callPush.notices.length;
    const sessionId = newSessionId();
    const to = `${bob.id}-${bob.appId}@${server.chatDomain}`;
    // The SDK re-sends `call` every 5 s while nobody answers.
    for (let i = 0; i < 3; i += 1) alice.raw.send(signal(to, 'call', sessionId, alice.id, [bob.id], [xml('sdp', {}, SDP)]));
    alice.raw.send(signal(to, 'hangUp', sessionId, alice.id, [bob.id]));
    await barrier(alice, await online());
    expect(callPush.notices.slice(before)).toEqual([{ appId: server.app.id, callerId: alice.id, calleeId: bob.id, sessionId, callType: 1, opponentsIds: [alice.id, bob.id], userInfo: { name: 'Alice' } }]);
    // An online callee is rung over XMPP only.
    const carol = await online();
    alice.raw.send(signal(carol.bare, 'call', newSessionId(), alice.id, [carol.id], [xml('sdp', {}, SDP)]));
    await carol.raw.next(isSignal);
    expect(callPush.notices).toHaveLength(before + 1);
  });

  it('drops signals across a privacy-list block silently, both ways', async () => {
    const alice = await online();
    const bob = await online();
    bob.raw.send(xml('iq', { xmlns: 'jabber:client', type: 'set', id: 'l1' }, xml('query', { xmlns: PRIVACY }, xml('list', { name: 'no-alice' }, xml('item', { type: 'jid', value: alice.bare, action: 'deny', order: '1' })))));
    await bob.raw.next((element) => element.attrs.id === 'l1');
    bob.raw.send(xml('iq', { xmlns: 'jabber:client', type: 'set', id: 'l2' }, xml('query', { xmlns: PRIVACY }, xml('default', { name: 'no-alice' }))));
    await bob.raw.next((element) => element.attrs.id === 'l2');
    const before = callPush.notices.length;
    alice.raw.send(signal(bob.bare, 'call', newSessionId(), alice.id, [bob.id], [xml('sdp', {}, SDP)]));
    bob.raw.send(signal(alice.bare, 'call', newSessionId(), bob.id, [alice.id], [xml('sdp', {}, SDP)]));
    const carol = await online();
    await barrier(carol, bob);
    await barrier(carol, alice);
    expect(bob.raw.received.filter(isSignal)).toHaveLength(0);
    expect(alice.raw.received.filter(isSignal)).toHaveLength(0);
    expect(alice.raw.received.filter((element) => element.attrs.type === 'error')).toHaveLength(0);
    expect(callPush.notices).toHaveLength(before);
  });

  it('refuses other applications, rooms, oneself and malformed signals with a clear error, routing nothing', async () => {
    const alice = await online();
    const bob = await online();
    const otherApp = await server.createApp(`calls-other-${db}`);
    const stranger = await online(otherApp.id);
    const cases: [Element, string][] = [
      [signal(stranger.bare, 'call', newSessionId(), alice.id, [stranger.id], [xml('sdp', {}, SDP)]), 'item-not-found'],
      [signal(`${server.app.id}_6744fa101a2b3c04d5000000@muc.${server.chatDomain}`, 'call', newSessionId(), alice.id, [bob.id], [xml('sdp', {}, SDP)]), 'bad-request'],
      [signal(alice.bare, 'call', newSessionId(), alice.id, [bob.id], [xml('sdp', {}, SDP)]), 'bad-request'],
      [signal(bob.bare, 'ring', newSessionId(), alice.id, [bob.id]), 'bad-request'],
      [signal(bob.bare, 'call', newSessionId(), alice.id, [bob.id]), 'bad-request'],
      [signal(bob.bare, 'hangUp', '', alice.id, [bob.id]), 'bad-request'],
      [signal(bob.bare, 'hangUp', 'x'.repeat(200), alice.id, [bob.id]), 'bad-request'],
      [signal(bob.bare, 'iceCandidates', newSessionId(), alice.id, [bob.id]), 'bad-request'],
    ];
    for (const [stanza, condition] of cases) {
      alice.raw.send(stanza);
      const reply = await alice.raw.next((element) => element.attrs.id === stanza.attrs.id);
      expect(reply.attrs.type).toBe('error');
      expect(errorCondition(reply)).toBe(condition);
      if (condition === 'bad-request' && signalTypeOf(stanza) !== 'call') expect(reply.getChild('error')!.getChildText('text')).toMatch(/Malformed call signal: (signalType|sessionID|iceCandidates)/);
    }
    await barrier(alice, bob);
    await barrier(await online(otherApp.id), stranger);
    expect(bob.raw.received.filter(isSignal)).toHaveLength(0);
    expect(stranger.raw.received.filter(isSignal)).toHaveLength(0);
  });

  describe('POST /calls/reject.json', () => {
    it('delivers the reject signal from the callee to the caller', async () => {
      const alice = await online();
      const bob = await fixture.newUser();
      const token = await sessionToken(server.url, server.app, bob);
      const sessionId = newSessionId();
      const response = await rawRequest(server.url, '/calls/reject.json', { method: 'POST', token, body: { sessionID: sessionId, recipientId: alice.id, platform: 'ios', userInfo: { busy: true } } });
      expect(response.status).toBe(200);
      expect(response.json).toEqual({});
      const got = await alice.raw.next(isSignal);
      expect(got.attrs.type).toBe('headline');
      expect(got.attrs.from).toBe(`${bob.id}-${bob.appId}@${server.chatDomain}`);
      expect(got.getChild('extraParams')!.toString()).toBe(
        `<extraParams xmlns="jabber:client"><moduleIdentifier>WebRTCVideoChat</moduleIdentifier><signalType>reject</signalType><sessionID>${sessionId}</sessionID><platform>ios</platform><userInfo><busy>true</busy></userInfo></extraParams>`,
      );
    });

    it('answers bad input with 422 and authorisation failures with 401/403, delivering nothing', async () => {
      const alice = await online();
      const bob = await fixture.newUser();
      const token = await sessionToken(server.url, server.app, bob);
      const appToken = await sessionToken(server.url, server.app);
      const otherApp = await server.createApp(`reject-other-${db}`);
      const stranger = await fixture.newUser('secret-pwd', otherApp.id);
      const strangerToken = await sessionToken(server.url, otherApp, stranger);
      const good = { sessionID: newSessionId(), recipientId: alice.id, platform: 'web' };
      const bad: [Record<string, unknown> | string, number, RegExp][] = [
        [{ recipientId: alice.id }, 422, /sessionID/],
        [{ sessionID: good.sessionID }, 422, /recipientId/],
        [{ ...good, recipientId: 'alice' }, 422, /recipientId/],
        [{ ...good, recipientId: 999_999_999 }, 422, /recipientId/],
        [{ ...good, sessionID: 'x'.repeat(200) }, 422, /sessionID/],
        [{ ...good, platform: '<web/>' }, 422, /platform/],
        [{ ...good, userInfo: 'busy' }, 422, /userInfo/],
        [{ ...good, userInfo: { 'bad key': 1 } }, 422, /userInfo/],
        ['{"sessionID":', 400, /./],
      ];
      for (const [body, status, message] of bad) {
        const response = await rawRequest(server.url, '/calls/reject.json', { method: 'POST', token, body });
        expect(response.status, JSON.stringify(body)).toBe(status);
        expect(response.text).toMatch(message);
      }
      expect((await rawRequest(server.url, '/calls/reject.json', { method: 'POST', body: good })).status).toBe(401);
      expect((await rawRequest(server.url, '/calls/reject.json', { method: 'POST', token: 'nope', body: good })).status).toBe(401);
      expect((await rawRequest(server.url, '/calls/reject.json', { method: 'POST', token: appToken, body: good })).status).toBe(403);
      // Another application's user cannot reach alice.
      expect((await rawRequest(server.url, '/calls/reject.json', { method: 'POST', token: strangerToken, body: good })).status).toBe(422);
      await barrier(await online(), alice);
      expect(alice.raw.received.filter(isSignal)).toHaveLength(0);
    });
  });
});
