import { describe, it, expect, beforeAll } from 'vitest';
import OfficialConnectyCube from 'connectycube';
import { ConnectyCube } from '../connectycube.js';
import { TEST_API, TEST_APP_ID, TEST_CHAT_DOMAIN, TEST_TOKEN, recordingClient } from '../testing/recording-client.js';
import type { ChatHelpers } from './helpers.js';

const DIALOG = '5c094c0ce588ce6856f87422';
const USER_JID = `29085-${TEST_APP_ID}@${TEST_CHAT_DOMAIN}`;
const ROOM_JID = `${TEST_APP_ID}_${DIALOG}@muc.${TEST_CHAT_DOMAIN}`;

describe('chat.helpers', () => {
  it('builds user and room JIDs from the instance config', () => {
    const { helpers } = recordingClient().cc.chat;
    expect(helpers.getUserJid(29085)).toBe(USER_JID);
    expect(helpers.getRoomJidFromDialogId(DIALOG)).toBe(ROOM_JID);
    expect(helpers.getUserNickWithMucDomain(29085)).toBe(`muc.${TEST_CHAT_DOMAIN}/29085`);
    expect(helpers.getDialogJid(DIALOG)).toBe(ROOM_JID);
    expect(helpers.getDialogJid(ROOM_JID)).toBe(ROOM_JID);
  });

  it('parses ids back out of JIDs', () => {
    const { helpers } = recordingClient().cc.chat;
    expect(helpers.getUserIdFromJID(`${USER_JID}/device-1`)).toBe(29085);
    expect(helpers.getUserIdFromJID('29085')).toBeNull();
    expect(helpers.getDialogIdFromJID(ROOM_JID)).toBe(DIALOG);
    expect(helpers.getDialogIdFromJID(USER_JID)).toBeNull();
    expect(helpers.getIdFromResource(`${ROOM_JID}/29086`)).toBe(29086);
    expect(helpers.getIdFromResource(ROOM_JID)).toBeNull();
    expect(helpers.getUserIdFromRoomJid(`${ROOM_JID}/29086`)).toBe(29086);
    expect(helpers.getRoomJidFromRoomFullJid(`${ROOM_JID}/29086`)).toBe(ROOM_JID);
    expect(helpers.getRoomJidFromRoomFullJid(ROOM_JID)).toBeNull();
  });

  it('tells users from dialogs: jidOrUserId and typeChat', () => {
    const { helpers } = recordingClient().cc.chat;
    expect(helpers.jidOrUserId(29085)).toBe(USER_JID);
    expect(helpers.jidOrUserId('29085')).toBe(USER_JID);
    expect(helpers.jidOrUserId(DIALOG)).toBe(ROOM_JID);
    expect(helpers.jidOrUserId(USER_JID)).toBe(USER_JID);
    expect([29085, '29085', USER_JID, ROOM_JID, DIALOG].map((target) => helpers.typeChat(target))).toEqual(['chat', 'chat', 'chat', 'groupchat', 'groupchat']);
    expect(() => helpers.typeChat(null as unknown as string)).toThrow('Unsupported chat type');
  });

  it('keeps the current JID until init starts over', () => {
    const { cc } = recordingClient();
    const { helpers } = cc.chat;
    expect(helpers.userCurrentJid).toBe('');
    expect(helpers.getRoomJid(ROOM_JID)).toBe(`${ROOM_JID}/null`);
    helpers.userCurrentJid = `${USER_JID}/web`;
    expect(helpers.getUserIdFromJID()).toBe(29085);
    expect(helpers.getRoomJid(ROOM_JID)).toBe(`${ROOM_JID}/29085`);
    cc.init({ appId: 8, token: 'T' }, { endpoints: { chat: 'other.test' } });
    expect(helpers.userCurrentJid).toBe('');
    expect(helpers.getUserJid(1)).toBe('1-8@other.test');
    helpers.userCurrentJid = null;
    expect(helpers.userCurrentJid).toBe('');
  });

  it('makes ObjectId-shaped and UUID-shaped ids', () => {
    const { helpers } = new ConnectyCube().chat;
    const ids = Array.from({ length: 1000 }, () => helpers.getBsonObjectId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 20)) expect(id).toMatch(/^[0-9a-f]{24}$/);
    const seconds = parseInt(ids[0]!.slice(0, 8), 16);
    expect(Math.abs(seconds - Date.now() / 1000)).toBeLessThan(5);

    expect(helpers.getUniqueId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(helpers.getUniqueId('ping')).toMatch(/^[0-9a-f-]{36}:ping$/);
    expect(helpers.getUniqueId(5)).toMatch(/:5$/);
    expect(helpers.getUniqueId({})).toHaveLength(36);
  });
});

describe('chat.helpers against the official SDK', () => {
  let ours: ChatHelpers;
  let theirs: ChatHelpers;

  beforeAll(() => {
    const config = { endpoints: { api: 'unused.example', api_url: TEST_API, chat: TEST_CHAT_DOMAIN }, debug: { mode: 0 } };
    OfficialConnectyCube.init({ appId: TEST_APP_ID, token: TEST_TOKEN }, config);
    theirs = OfficialConnectyCube.chat.helpers as unknown as ChatHelpers;
    ours = recordingClient().cc.chat.helpers;
  });

  it('has the same helper names', () => {
    const names = (helpers: object) =>
      [...Object.keys(helpers), ...Object.getOwnPropertyNames(Object.getPrototypeOf(helpers))].filter(
        (name) => name !== 'constructor' && typeof (helpers as Record<string, unknown>)[name] === 'function',
      );
    expect(names(ours).sort()).toEqual(names(theirs).sort());
  });

  it('gives the same results for the same inputs', () => {
    const jids = [USER_JID, `${USER_JID}/res`, ROOM_JID, `${ROOM_JID}/29086`, `${ROOM_JID}/a/b`, DIALOG, '29085', '-3', '1.5', '', 'x@y', 'a_b_c@muc.x'];
    const ids: Array<string | number> = [29085, '29085', DIALOG, USER_JID, ROOM_JID, '-3', '1.5', '1.', 'plain'];
    for (const current of ['', `${USER_JID}/web`]) {
      ours.userCurrentJid = current;
      theirs.userCurrentJid = current;
      for (const jid of jids) {
        for (const method of ['getUserIdFromJID', 'getDialogIdFromJID', 'getIdFromResource', 'getRoomJidFromRoomFullJid', 'getUserIdFromRoomJid', 'getRoomJid', 'isNumeric'] as const) {
          const expected = theirs[method](jid) ?? null; // the official getDialogIdFromJID gives undefined for JIDs without "_"
          expect([method, jid, ours[method](jid)]).toEqual([method, jid, expected]);
        }
        if (jid) expect(ours.getDialogJid(jid)).toBe(theirs.getDialogJid(jid));
      }
      for (const id of ids) {
        for (const method of ['jidOrUserId', 'typeChat', 'getUserJid', 'getUserNickWithMucDomain'] as const) {
          expect([method, id, ours[method](id)]).toEqual([method, id, theirs[method](id)]);
        }
      }
      expect(ours.getUserIdFromJID()).toEqual(theirs.getUserIdFromJID());
    }
    expect(ours.getRoomJidFromDialogId(DIALOG)).toBe(theirs.getRoomJidFromDialogId(DIALOG));
  });
});
