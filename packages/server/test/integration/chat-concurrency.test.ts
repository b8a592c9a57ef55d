import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newObjectId, type DialogWire, type MessageWire } from '@parley/protocol';
import { databaseKinds, rawRequest, sessionToken, startServer, type RawResponse, type TestServer } from '@parley/testkit';

/**
 * Many writers in one group dialog at once, over real HTTP: sends, idempotent resends and read marks
 * race each other. Afterwards the history, the dialog's last message and every member's unread counter
 * must agree with a recount made here from the full history (listed without marking it read).
 */

const WRITERS = 5;
const MESSAGES_PER_WRITER = 20;
const RESENT_IDS = 3;
const RESENDS_PER_ID = 3;

interface Person {
  id: number;
  token: string;
}

describe.each(databaseKinds)('chat under concurrent writers on %s', (db) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ db });
  });
  afterAll(() => server.stop());

  async function person(login: string): Promise<Person> {
    const token = await sessionToken(server.url, server.app, { login, password: 'password123' });
    const user = await server.server.store.users.findByLogin(server.app.id, login);
    if (!user) throw new Error(`no user ${login}`);
    return { id: user.id, token };
  }

  const call = (who: Person, method: string, path: string, body?: unknown): Promise<RawResponse> =>
    rawRequest(server.url, path, { method, token: who.token, ...(body === undefined ? {} : { body }) });

  async function expectStatus(response: Promise<RawResponse>, status: number, what: string): Promise<RawResponse> {
    const settled = await response;
    expect(settled.status, `${what}: ${settled.text}`).toBe(status);
    return settled;
  }

  /** The whole history as one member sees it, without marking anything read. */
  async function fullHistory(who: Person, dialogId: string): Promise<MessageWire[]> {
    const all: MessageWire[] = [];
    for (let skip = 0; ; skip += 100) {
      const page = await expectStatus(call(who, 'GET', `/chat/Message.json?chat_dialog_id=${dialogId}&mark_as_read=0&limit=100&skip=${skip}`), 200, 'history page');
      const items = (page.json as { items: MessageWire[] }).items;
      all.push(...items);
      if (items.length < 100) return all;
    }
  }

  it('keeps the history, the last message and every unread counter exact', async () => {
    const people = await Promise.all(Array.from({ length: WRITERS }, (_, index) => person(`writer-${db}-${index}`)));
    const [owner, resender] = people as [Person, Person, ...Person[]];
    const created = await expectStatus(
      call(owner, 'POST', '/chat/Dialog.json', { type: 2, name: 'Busy room', occupants_ids: people.slice(1).map((p) => p.id).join(', ') }),
      201,
      'create dialog',
    );
    const dialogId = (created.json as DialogWire)._id;

    // Build every operation first, then start them all at once in an interleaved order.
    const nowSeconds = Math.floor(Date.now() / 1000);
    const sends: { who: Person; body: Record<string, unknown> }[] = [];
    people.forEach((who, index) => {
      for (let n = 0; n < MESSAGES_PER_WRITER; n += 1) {
        // Half carry a client date_sent a few seconds either side of now, so arrival order is not date order.
        const dateSent = n % 2 === 0 ? { date_sent: nowSeconds + ((n * 7 + index * 3) % 11) - 5 } : {};
        sends.push({ who, body: { chat_dialog_id: dialogId, message: `message ${index}-${n}`, ...dateSent } });
      }
    });
    const resentIds = Array.from({ length: RESENT_IDS }, () => newObjectId());
    for (const id of resentIds) {
      for (let copy = 0; copy < RESENDS_PER_ID; copy += 1) {
        sends.push({ who: resender, body: { chat_dialog_id: dialogId, _id: id, message: `resent ${id}`, date_sent: nowSeconds } });
      }
    }
    const marks: (() => Promise<RawResponse>)[] = people.flatMap((who) => [
      () => expectStatus(call(who, 'PUT', '/chat/Message.json', { chat_dialog_id: dialogId, read: 1 }), 200, 'mark all read'),
      () => expectStatus(call(who, 'PUT', '/chat/Message.json', { chat_dialog_id: dialogId, delivered: '1' }), 200, 'mark all delivered'),
      () => expectStatus(call(who, 'GET', `/chat/Message.json?chat_dialog_id=${dialogId}&limit=15&sort_desc=date_sent`), 200, 'list and mark read'),
      () => expectStatus(call(who, 'PUT', '/chat/Message.json', { chat_dialog_id: dialogId, read: 'true' }), 200, 'mark all read again'),
    ]);
    const operations: (() => Promise<RawResponse>)[] = [];
    const sendOperations = sends.map(({ who, body }) => () => expectStatus(call(who, 'POST', '/chat/Message.json', body), 201, 'send'));
    const stride = Math.ceil(sendOperations.length / marks.length);
    sendOperations.forEach((operation, index) => {
      operations.push(operation);
      const mark = index % stride === 0 ? marks[index / stride] : undefined;
      if (mark) operations.push(mark);
    });
    for (const mark of marks.slice(Math.ceil(sendOperations.length / stride))) operations.push(mark);
    expect(operations.length).toBe(sends.length + marks.length);

    const responses = await Promise.all(operations.map((operation) => operation()));

    // Resends of one client id all answer with that id.
    const sentIds = responses.filter((response) => response.status === 201).map((response) => (response.json as MessageWire)._id);
    expect(sentIds.length).toBe(sends.length);
    for (const id of resentIds) expect(sentIds.filter((sent) => sent === id).length).toBe(RESENDS_PER_ID);
    const distinct = new Set(sentIds);
    expect(distinct.size).toBe(WRITERS * MESSAGES_PER_WRITER + RESENT_IDS);

    // History: every distinct id once, nothing else.
    const history = await fullHistory(owner, dialogId);
    expect(history.length).toBe(distinct.size);
    expect(new Set(history.map((message) => message._id))).toEqual(distinct);
    const counted = await expectStatus(call(resender, 'GET', `/chat/Message.json?chat_dialog_id=${dialogId}&count=1`), 200, 'count');
    expect(counted.json).toEqual({ items: { count: distinct.size } });

    // Last message: the newest by (date_sent, _id).
    const newest = history.reduce((best, message) =>
      message.date_sent > best.date_sent || (message.date_sent === best.date_sent && message._id > best._id) ? message : best,
    );
    for (const who of people) {
      const listed = await expectStatus(call(who, 'GET', `/chat/Dialog.json?_id=${dialogId}`), 200, 'dialog');
      const [dialog] = (listed.json as { items: DialogWire[] }).items;
      expect(dialog).toMatchObject({
        _id: dialogId,
        last_message_id: newest._id,
        last_message: newest.message,
        last_message_date_sent: newest.date_sent,
        last_message_user_id: newest.sender_id,
      });
    }

    // Unread: recount from the history = the dialog's counter = the unread route = the store's recount.
    const recount = await server.server.store.messages.recountUnread(server.app.id, dialogId);
    for (const who of people) {
      const expected = history.filter((message) => message.sender_id !== who.id && !message.read_ids.includes(who.id)).length;
      const listed = await expectStatus(call(who, 'GET', '/chat/Dialog.json'), 200, 'dialogs');
      const dialog = (listed.json as { items: DialogWire[] }).items.find((item) => item._id === dialogId);
      const unread = await expectStatus(call(who, 'GET', `/chat/Message/unread.json?chat_dialog_ids=${dialogId}`), 200, 'unread');
      expect(
        { dialog: dialog?.unread_messages_count, unread: unread.json, recount: recount.get(who.id) },
        `unread of user ${who.id}`,
      ).toEqual({ dialog: expected, unread: { total: expected, [dialogId]: expected }, recount: expected });
    }

    // Marking everything read afterwards leaves nothing unread for anyone.
    await Promise.all(people.map((who) => expectStatus(call(who, 'PUT', '/chat/Message.json', { chat_dialog_id: dialogId, read: 1 }), 200, 'final mark')));
    const finalHistory = await fullHistory(owner, dialogId);
    for (const who of people) {
      expect(finalHistory.filter((message) => message.sender_id !== who.id && !message.read_ids.includes(who.id))).toEqual([]);
      const unread = await expectStatus(call(who, 'GET', `/chat/Message/unread.json?chat_dialog_ids=${dialogId}`), 200, 'unread');
      expect(unread.json).toEqual({ total: 0, [dialogId]: 0 });
    }
    expect(await server.server.store.messages.recountUnread(server.app.id, dialogId)).toEqual(new Map(people.map((who) => [who.id, 0])));
  });
});
