// The server contract is written against the official SDK's requests, so the official SDK is the
// oracle here: every chat REST call must produce its URL, method, headers, body and response mode.
import { describe, it, expect, beforeAll } from 'vitest';
import { DialogType as OfficialDialogType, DialogDateProp as OfficialDateProp, LastMessageMessageStatus as OfficialStatus } from 'connectycube';
import type { ConnectyCube } from '../connectycube.js';
import { initOfficial, officialWire, parleyWire } from '../testing/official-wire.js';
import { DialogDateProp, DialogType, LastMessageMessageStatus } from './enums.js';

type Chat = ConnectyCube['chat'];

const D1 = '5c094c0ce588ce6856f87422';
const D2 = '5c094c0ce588ce6856f87423';
const M1 = '5c094682e588ce59fff87424';
const M2 = '5c094682e588ce59fff87425';

/** One call per line, written once and run on both SDKs. */
const CASES: Array<[string, (chat: Chat) => Promise<unknown>]> = [
  ['dialog.list()', (c) => c.dialog.list()],
  ['dialog.list(filters)', (c) => c.dialog.list({ type: { in: [3, 2] }, name: { ctn: 'a b' }, limit: 10, skip: 20, sort_desc: 'date_sent' })],
  ['dialog.list(count)', (c) => c.dialog.list({ count: 1, extensions: { category: 'news' }, updated_at: { gt: 1700000000 } })],
  ['dialog.create(group)', (c) => c.dialog.create({ type: 2, name: 'T', occupants_ids: [29086, '29087'], admins_ids: [29086], photo: null, permissions: { allow_preview: true } })],
  ['dialog.create(private, string ids)', (c) => c.dialog.create({ type: 3, occupants_ids: '29086' })],
  ['dialog.create(public, enum)', (c) => c.dialog.create({ type: DialogType.BROADCAST, name: 'Open', occupants_ids: [], description: undefined })],
  ['dialog.update', (c) => c.dialog.update(D1, { push_all: { occupants_ids: [1, 2] }, pull_all: { admins_ids: [3] }, name: 'N', extensions: null })],
  ['dialog.update(no params)', (c) => c.dialog.update(D1)],
  ['dialog.delete(one)', (c) => c.dialog.delete(D1)],
  ['dialog.delete(one, force)', (c) => c.dialog.delete(D1, { force: 1 })],
  ['dialog.delete("a, b")', (c) => c.dialog.delete(`${D1}, ${D2}`)],
  ['dialog.delete([a, b], force)', (c) => c.dialog.delete([D1, D2], { force: 1 })],
  ['dialog.delete([a])', (c) => c.dialog.delete([D1])],
  ['dialog.delete(" a ")', (c) => c.dialog.delete(` ${D1} `)],
  ['dialog.delete("a,")', (c) => c.dialog.delete(`${D1},`)],
  ['dialog.clearHistory', (c) => c.dialog.clearHistory(D1)],
  ['dialog.subscribe', (c) => c.dialog.subscribe(D1)],
  ['dialog.subscribeToPublic', (c) => c.dialog.subscribeToPublic(D1)],
  ['dialog.unsubscribe', (c) => c.dialog.unsubscribe(D1)],
  ['dialog.unsubscribeFromPublic', (c) => c.dialog.unsubscribeFromPublic(D1)],
  ['dialog.addAdmins', (c) => c.dialog.addAdmins(D1, [29086, 29087])],
  ['dialog.removeAdmins', (c) => c.dialog.removeAdmins(D1, [29087])],
  ['dialog.updateNotificationsSettings(true)', (c) => c.dialog.updateNotificationsSettings(D1, true)],
  ['dialog.updateNotificationsSettings(0)', (c) => c.dialog.updateNotificationsSettings(D1, 0)],
  ['dialog.getNotificationsSettings', (c) => c.dialog.getNotificationsSettings(D1)],
  ['dialog.getPublicOccupants()', (c) => c.dialog.getPublicOccupants(D1)],
  ['dialog.getPublicOccupants(paging)', (c) => c.dialog.getPublicOccupants(D1, { limit: 10, skip: 5 })],
  ['message.list()', (c) => c.message.list()],
  ['message.list(filters)', (c) => c.message.list({ chat_dialog_id: D1, sort_desc: 'date_sent', limit: 50, date_sent: { lt: 1544111746 }, mark_as_read: 0 })],
  ['message.create', (c) => c.message.create({ chat_dialog_id: D1, message: 'Hi 👋', attachments: [{ type: 'image', uid: 'u1' }], send_to_chat: 1, custom: 'v' })],
  ['message.create()', (c) => c.message.create()],
  ['message.update(one)', (c) => c.message.update(M1, { chat_dialog_id: D1, read: 1 })],
  ['message.update(many)', (c) => c.message.update(`${M1},${M2}`, { delivered: '1' })],
  ['message.update(none)', (c) => c.message.update('', { chat_dialog_id: D1, read: 1 })],
  ['message.update(edit)', (c) => c.message.update(M1, { message: 'edited' })],
  ['message.delete(one)', (c) => c.message.delete(M1)],
  ['message.delete([a, b], force)', (c) => c.message.delete([M1, M2], { force: 1 })],
  ['message.delete("a,b", {})', (c) => c.message.delete(`${M1},${M2}`, {})],
  ['message.createSystem', (c) => c.message.createSystem({ recipientId: 29086, param1: 'value1', nested: { a: 1 } })],
  ['message.unreadCount()', (c) => c.message.unreadCount()],
  ['message.unreadCount([a, b])', (c) => c.message.unreadCount({ chat_dialog_ids: [D1, D2] })],
  ['message.unreadCount("a")', (c) => c.message.unreadCount({ chat_dialog_ids: D1 })],
  ['message.listReactions(id)', (c) => c.message.listReactions(M1)],
  ['message.listReactions()', (c) => c.message.listReactions()],
  ['message.addReaction', (c) => c.message.addReaction(M1, '🔥')],
  ['message.removeReaction', (c) => c.message.removeReaction(M1, '👎')],
  ['message.updateReaction(both)', (c) => c.message.updateReaction(M1, '🔥', '👎')],
  ['search(all params)', (c) => c.search({ search_text: 'hello world', limit: 10, chat_dialog_ids: [D1, D2], start_date: new Date(Date.UTC(2024, 0, 31)), end_date: '2024-01-01' })],
  ['search(ms, falsy date, string ids)', (c) => c.search({ search_text: 'abcd', start_date: 1_700_000_000_000, end_date: 0, chat_dialog_ids: D1 })],
];

describe('chat REST against the official SDK', () => {
  beforeAll(initOfficial);

  it.each(CASES)('%s sends the same request and reads the response the same way', async (_name, call) => {
    const theirs = await officialWire('chat', call);
    const ours = await parleyWire('chat', call);
    expect(ours).toEqual(theirs);
  });

  it('exports DialogType, DialogDateProp and LastMessageMessageStatus with the same keys and values', () => {
    expect({ ...DialogType }).toEqual({ ...OfficialDialogType });
    expect(DialogType.PUBLIC).toBe(1);
    expect(DialogType.BROADCAST).toBe(4);
    expect(DialogType[4]).toBe('BROADCAST');
    expect({ ...DialogDateProp }).toEqual({ ...OfficialDateProp });
    expect({ ...LastMessageMessageStatus }).toEqual({ ...OfficialStatus });
  });
});
