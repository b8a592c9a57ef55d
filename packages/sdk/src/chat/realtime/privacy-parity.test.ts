// Parity with the official SDK 6.1.2 for last activity (realtime.md §9) and privacy lists (§10): the
// same calls write the same bytes, the same replies resolve to the same values (or reject with the
// same `{code, info}`), and the same pushes reach the same listener. Generated ids are masked.
import { describe, expect, it } from 'vitest';
import type { ConnectyCube } from '../../connectycube.js';
import type { FakeXmppServer } from '../../testing/fake-xmpp-websocket.js';
import { PARITY_APP_ID, PARITY_DOMAIN, realtimePairSuite } from '../../testing/realtime-parity.js';
import type { ChatService } from '../index.js';
import { parseXml } from './xml.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the official chat object is driven through its runtime surface */

const APP_ID = PARITY_APP_ID;
const DOMAIN = PARITY_DOMAIN;
const PEER = `9-${APP_ID}@${DOMAIN}`;
const MUC = `muc.${DOMAIN}`;

type Chat = ChatService;

const OUTGOING: Array<[string, (chat: Chat) => Promise<unknown> | void]> = [
  ['last activity by user id', (c) => c.getLastUserActivity(9)],
  ['last activity by JID', (c) => c.getLastUserActivity(PEER)],
  ['subscribe to last activity', (c) => c.subscribeToUserLastActivityStatus(9)],
  ['unsubscribe from last activity', (c) => c.unsubscribeFromUserLastActivityStatus(9)],
  [
    'privacy create: one-way, mutual, allow, duplicates, unordered ids',
    (c) =>
      c.privacylist.create({
        name: 'my & <list>',
        items: [
          { user_id: 48, action: 'deny', mutualBlock: true },
          { user_id: 34, action: 'deny' },
          { user_id: 18, action: 'allow', mutualBlock: true },
          { user_id: '34', action: 'deny', mutualBlock: false },
          { user_id: 7, action: 'deny', mutualBlock: false },
        ],
      }),
  ],
  ['privacy create, empty', (c) => c.privacylist.create({ name: 'empty', items: [] })],
  ['privacy getList', (c) => c.privacylist.getList('myList')],
  ['privacy getNames', (c) => c.privacylist.getNames()],
  ['privacy delete', (c) => c.privacylist.delete('myList')],
  ['privacy delete without a name', (c) => c.privacylist.delete('')],
  ['privacy setAsDefault', (c) => c.privacylist.setAsDefault('myList')],
  ['privacy decline default', (c) => c.privacylist.setAsDefault(null)],
];

/** Reply bodies (the part after the `<iq …>` start tag) for calls that wait for one. */
const REPLIES: Array<[string, (c: Chat) => Promise<unknown>, string]> = [
  ['last activity online', (c) => c.getLastUserActivity(9), `type="result" from="${PEER}"><query xmlns="jabber:iq:last" seconds="0"/>`],
  ['last activity offline', (c) => c.getLastUserActivity(9), `type="result" from="${PEER}"><query xmlns="jabber:iq:last" seconds="125"/>`],
  ['last activity never connected', (c) => c.getLastUserActivity(9), `type="error" from="${PEER}"><error code="404" type="cancel"><item-not-found xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/><text xmlns="urn:ietf:params:xml:ns:xmpp-stanzas">never</text></error>`],
  ['last activity blocked', (c) => c.getLastUserActivity(9), `type="error" from="${PEER}"><error code="403" type="auth"><forbidden xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error>`],
  [
    'getList with MUC items',
    (c) => c.privacylist.getList('myList'),
    `type="result"><query xmlns="jabber:iq:privacy"><list name="myList"><item type="jid" value="34-${APP_ID}@${DOMAIN}" action="deny" order="1"><message/><presence-in/><presence-out/><iq/></item><item type="jid" value="${MUC}/34" action="deny" order="2"><message/><presence-in/><presence-out/><iq/></item><item type="jid" value="48-${APP_ID}@${DOMAIN}" action="deny" order="3"/><item type="jid" value="${MUC}/48" action="deny" order="4"/><item type="jid" value="18-${APP_ID}@${DOMAIN}" action="allow" order="5"/><item type="jid" value="${MUC}/18" action="allow" order="6"/></list></query>`,
  ],
  ['getList of an unknown list', (c) => c.privacylist.getList('nope'), `type="error"><error code="404" type="cancel"><item-not-found xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error>`],
  ['getNames with default', (c) => c.privacylist.getNames(), `type="result"><query xmlns="jabber:iq:privacy"><default name="myList"/><list name="myList"/><list name="blockedusers"/></query>`],
  ['getNames with active, no lists', (c) => c.privacylist.getNames(), `type="result"><query xmlns="jabber:iq:privacy"><active name="a"/></query>`],
  ['getNames error', (c) => c.privacylist.getNames(), `type="error"><error code="500" type="wait"><resource-constraint xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error>`],
  ['create ok', (c) => c.privacylist.create({ name: 'l', items: [{ user_id: 3, action: 'deny' }] }), `type="result"/`],
  ['create error', (c) => c.privacylist.create({ name: 'l', items: [{ user_id: 3, action: 'deny' }] }), `type="error"><error code="400" type="modify"><bad-request xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/><text xmlns="urn:ietf:params:xml:ns:xmpp-stanzas">bad</text></error>`],
  ['delete unknown', (c) => c.privacylist.delete('nope'), `type="error"><error code="404" type="cancel"><item-not-found xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error>`],
  ['setAsDefault ok', (c) => c.privacylist.setAsDefault('l'), `type="result"/`],
  ['setAsDefault unknown', (c) => c.privacylist.setAsDefault('nope'), `type="error"><error code="404" type="cancel"><item-not-found xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error>`],
];

function mask(text: string): string {
  return text.replace(/"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}(:[a-zA-Z_]+)?"/g, '"UUID$1"');
}

let server: FakeXmppServer;
let ours: ConnectyCube;
let own = '';
let official: any;
const { oursWrites, officialWrites } = realtimePairSuite((pair) => ({ server, ours, own, official } = pair));

/** How a promise settled, as comparable data. */
async function settled(promise: Promise<unknown>): Promise<unknown> {
  try {
    return { resolved: await promise };
  } catch (error) {
    return { rejected: error };
  }
}

const quiet = (result: Promise<unknown> | void) => void (result as Promise<unknown> | undefined)?.catch?.(() => undefined);

describe('last activity and privacy lists: same stanzas as the official SDK', () => {
  it.each(OUTGOING)('%s', async (_name, call) => {
    const theirs = officialWrites(() => quiet(call(official as Chat)));
    const mine = await oursWrites(() => quiet(call(ours.chat)));
    expect(mine.map(mask)).toEqual(theirs.map(mask));
    expect(mine.length).toBeGreaterThan(0);
  });
});

describe('last activity and privacy lists: same results as the official SDK', () => {
  it.each(REPLIES)('%s', async (_name, call, reply) => {
    const theirCalls: unknown[][] = [];
    const myCalls: unknown[][] = [];
    official.onLastUserActivityListener = (...args: unknown[]) => theirCalls.push(args);
    ours.chat.onLastUserActivityListener = (...args: unknown[]) => myCalls.push(args);

    let theirPromise: Promise<unknown> = Promise.resolve();
    const [theirRequest] = officialWrites(() => (theirPromise = call(official as Chat)));
    const theirId = /id="([^"]+)"/.exec(theirRequest!)![1];
    // The same reply for each SDK, carrying that SDK's request id.
    const replyFor = (id: string) => (reply.endsWith('/') ? `<iq xmlns="jabber:client" to="${own}" id="${id}" ${reply.slice(0, -1)}/>` : `<iq xmlns="jabber:client" to="${own}" id="${id}" ${reply}</iq>`);
    official.onIQ(parseXml(replyFor(theirId!))[0]);
    const theirs = await settled(theirPromise);

    let myPromise: Promise<unknown> = Promise.resolve();
    const [myRequest] = await oursWrites(() => (myPromise = call(ours.chat)));
    const myId = /id="([^"]+)"/.exec(myRequest!)![1];
    server.socket.push(replyFor(myId!));
    const mine = await settled(myPromise);

    expect(mine).toEqual(theirs);
    expect(myCalls).toEqual(theirCalls);
  });

  it.each([
    ['push, online', `<iq xmlns="jabber:client" type="set" from="${PEER}" to="OWN" id="ls-1"><query xmlns="jabber:iq:last" seconds="0"/></iq>`],
    ['push, offline', `<iq xmlns="jabber:client" type="set" from="${PEER}" to="OWN" id="ls-2"><query xmlns="jabber:iq:last" seconds="1"/></iq>`],
    ['iq with a query but no from (ignored)', `<iq xmlns="jabber:client" type="get" to="OWN" id="q-3"><query xmlns="jabber:iq:version"/></iq>`],
    ['iq with from but no query (ignored)', `<iq xmlns="jabber:client" type="set" from="${PEER}" to="OWN" id="q-4"><ping xmlns="urn:xmpp:ping"/></iq>`],
  ])('%s reaches the same listener', async (_name, text) => {
    const theirCalls: unknown[][] = [];
    const myCalls: unknown[][] = [];
    official.onLastUserActivityListener = (...args: unknown[]) => theirCalls.push(args);
    ours.chat.onLastUserActivityListener = (...args: unknown[]) => myCalls.push(args);
    official.onIQ(parseXml(text.replace('OWN', own))[0]);
    await oursWrites(() => server.socket.push(text.replace('OWN', own)));
    expect(myCalls).toEqual(theirCalls);
  });
});
