import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newObjectId, type DialogWire, type MessageWire } from '@parley/protocol';
import { databaseKinds, rawRequest, sessionToken, startServer, type RawResponse, type TestApp, type TestServer } from '@parley/testkit';

/**
 * Every bad-input rule of the chat routes (rest.md §4, §1.5): the contract's status and body, and
 * nothing changed — checked on the store before and after (dialogs, members, counters, histories,
 * receipts, reactions) for every user of both applications.
 */

const NOT_FOUND = { errors: ["The resource wasn't found"] };
const NEED_USER = { errors: { base: ['Forbidden. Need user.'] } };
const FORBIDDEN = { errors: [expect.any(String)] };
/** A 422 naming exactly these fields (each with one or more messages). */
const invalid = (...fields: string[]) => ({ errors: Object.fromEntries(fields.map((field) => [field, expect.arrayContaining([expect.any(String)])])) });
const deleteSummary = (notFound: string[]) => ({ SuccessfullyDeleted: { ids: [] }, NotFound: { ids: notFound }, WrongPermissions: { ids: [] } });

/** 64 KiB, the default PARLEY_MESSAGE_MAX_BYTES. */
const MESSAGE_LIMIT = 64 * 1024;

interface Person {
  id: number;
  token: string;
  appId: number;
}

interface Call {
  method?: string;
  path: string;
  body?: unknown;
}

interface Expectation extends Call {
  status: number;
  json: unknown;
}

describe.each(databaseKinds)('chat bad input on %s', (db) => {
  let server: TestServer;
  let appB: TestApp;
  let owner: Person, member: Person, third: Person, outsider: Person, stranger: Person;
  let crowd: Person[];
  let other: Person;
  let appToken: string;
  let people: Person[];
  /** owner + member + third. */
  let group: DialogWire;
  /** owner + member. */
  let direct: DialogWire;
  /** owner + crowd (six more). */
  let big: DialogWire;
  /** Sent by member in the group (unread for owner and third). */
  let fromMember: MessageWire;
  /** Sent by owner in the group. */
  let fromOwner: MessageWire;
  /** Sent by member in the private dialog. */
  let inDirect: MessageWire;

  async function person(app: TestApp, login: string): Promise<Person> {
    const token = await sessionToken(server.url, app, { login, password: 'password123' });
    const user = await server.server.store.users.findByLogin(app.id, login);
    if (!user) throw new Error(`no user ${login}`);
    return { id: user.id, token, appId: app.id };
  }

  /** As the SDK sends them: JSON for POST and PUT, an urlencoded (possibly empty) body for DELETE. */
  const send = (who: Person | string, { method = 'GET', path, body }: Call): Promise<RawResponse> =>
    rawRequest(server.url, path, {
      method,
      token: typeof who === 'string' ? who : who.token,
      ...(body === undefined ? {} : { body }),
      ...(method === 'DELETE' ? { contentType: 'application/x-www-form-urlencoded; charset=UTF-8' } : {}),
    });

  async function created<T>(who: Person, call: Call): Promise<T> {
    const response = await send(who, { method: 'POST', ...call });
    if (response.status !== 201) throw new Error(`${call.path}: ${response.status} ${response.text}`);
    return response.json as T;
  }

  beforeAll(async () => {
    server = await startServer({ db });
    appB = await server.createApp('Other application');
    const logins = ['owner', 'member', 'third', 'outsider', 'stranger', 'crowd-1', 'crowd-2', 'crowd-3', 'crowd-4', 'crowd-5', 'crowd-6'];
    const everyone = await Promise.all(logins.map((login) => person(server.app, `${login}-${db}`)));
    [owner, member, third, outsider, stranger] = everyone as [Person, Person, Person, Person, Person];
    crowd = everyone.slice(5);
    other = await person(appB, `other-${db}`);
    appToken = await sessionToken(server.url, server.app);
    people = [...everyone, other];

    group = await created<DialogWire>(owner, { path: '/chat/Dialog.json', body: { type: 2, name: 'Group', occupants_ids: `${member.id}, ${third.id}` } });
    direct = await created<DialogWire>(owner, { path: '/chat/Dialog.json', body: { type: 3, occupants_ids: [member.id] } });
    big = await created<DialogWire>(owner, { path: '/chat/Dialog.json', body: { type: 2, name: 'Big', occupants_ids: crowd.map((p) => p.id) } });
    fromMember = await created<MessageWire>(member, { path: '/chat/Message.json', body: { chat_dialog_id: group._id, message: 'hello from member' } });
    await created<MessageWire>(member, { path: '/chat/Message.json', body: { chat_dialog_id: group._id, message: 'second from member' } });
    fromOwner = await created<MessageWire>(owner, { path: '/chat/Message.json', body: { chat_dialog_id: group._id, message: 'hello from owner' } });
    inDirect = await created<MessageWire>(member, { path: '/chat/Message.json', body: { chat_dialog_id: direct._id, message: 'hello privately' } });
    await created<MessageWire>(other, { path: '/chat/Dialog.json', body: { type: 2, name: 'Other group', occupants_ids: [] } });
  });
  afterAll(() => server.stop());

  /** Everything the store holds about the chat of both applications, as their users see it. */
  async function snapshot() {
    const store = server.server.store;
    const query = { conditions: [], sort: { field: '_id' as const, direction: 'asc' as const }, limit: 100, offset: 0 };
    const views = await Promise.all(people.map((who) => store.dialogs.listFor(who.appId, who.id, query)));
    const dialogs = new Map<string, number>();
    for (const view of views.flat()) dialogs.set(view.dialog.id, view.dialog.appId);
    const perDialog = await Promise.all(
      [...dialogs].map(async ([dialogId, appId]) => {
        const messages = await store.messages.latest(appId, dialogId, 1000);
        const ids = messages.map((message) => message.id);
        const histories = await Promise.all(
          people
            .filter((who) => who.appId === appId)
            .map(async (who) => {
              const state = await store.dialogs.member(appId, dialogId, who.id);
              const seen = await store.messages.list(appId, dialogId, { userId: who.id, clearedSeq: state?.clearedSeq ?? 0 }, { ...query, sort: { field: 'date_sent', direction: 'asc' }, limit: 1000 });
              return [who.id, state, seen.map((message) => message.id)];
            }),
        );
        return { dialogId, messages, histories, receipts: await store.messages.receipts(appId, ids), reactions: await store.messages.reactions(appId, ids) };
      }),
    );
    const unread = await Promise.all(people.map((who) => store.messages.unreadCounts(who.appId, who.id, [])));
    const users = await Promise.all([server.app.id, appB.id].map(async (appId) => (await store.users.query(appId, { conditions: [], limit: 1, offset: 0 })).total));
    return { views, perDialog, unread, users };
  }

  const label = (call: Call) => `${call.method ?? 'GET'} ${call.path.slice(0, 160)}`;

  /** Sends each request in turn and checks every answer (one diff for all), then that none of them changed anything. */
  async function expectRejected(who: Person | string, expectations: Expectation[]): Promise<void> {
    const before = await snapshot();
    const answers: { request: string; status: number; json: unknown }[] = [];
    for (const { status: _status, json: _json, ...call } of expectations) {
      const response = await send(who, call);
      answers.push({ request: label(call), status: response.status, json: response.json });
    }
    expect(answers).toEqual(expectations.map(({ status, json, ...call }) => ({ request: label(call), status, json })));
    expect(await snapshot()).toEqual(before);
  }

  /** Requests that may be answered 200 (finding nothing) or 422, but never with a server error. */
  async function expectAnsweredWithNothing(who: Person, paths: string[]): Promise<void> {
    const before = await snapshot();
    const answers: { request: string; status: number; items: unknown }[] = [];
    for (const path of paths) {
      const response = await send(who, { path });
      const status = response.status === 422 ? 200 : response.status;
      const json = response.json as { items?: unknown; results?: unknown } | undefined;
      const items = response.status === 422 ? [] : (json?.items ?? json?.results);
      answers.push({ request: path, status, items });
    }
    const empty = (path: string) => (path.startsWith('/chat/search') ? { dialogs: [], messages: [], users: [] } : []);
    expect(answers).toEqual(paths.map((path) => ({ request: path, status: 200, items: empty(path) })));
    expect(await snapshot()).toEqual(before);
  }

  describe('unknown and malformed ids', () => {
    it('unknown dialog ids answer 404 on every dialog route', async () => {
      const unknown = newObjectId();
      await expectRejected(owner, [
        { path: `/chat/Message.json?chat_dialog_id=${unknown}`, status: 404, json: NOT_FOUND },
        { path: `/chat/Message.json?chat_dialog_id=${unknown}&count=1`, status: 404, json: NOT_FOUND },
        { method: 'POST', path: '/chat/Message.json', body: { chat_dialog_id: unknown, message: 'lost' }, status: 404, json: NOT_FOUND },
        { method: 'PUT', path: `/chat/Dialog/${unknown}.json`, body: { name: 'renamed' }, status: 404, json: NOT_FOUND },
        { method: 'DELETE', path: `/chat/Dialog/${unknown}.json`, status: 404, json: NOT_FOUND },
        { method: 'DELETE', path: `/chat/Dialog/${unknown}.json`, body: 'force=1', status: 404, json: NOT_FOUND },
        { method: 'DELETE', path: `/chat/Dialog/clearHistory/${unknown}.json`, status: 404, json: NOT_FOUND },
        { method: 'POST', path: `/chat/Dialog/${unknown}/subscribe.json`, status: 404, json: NOT_FOUND },
        { method: 'DELETE', path: `/chat/Dialog/${unknown}/subscribe.json`, status: 404, json: NOT_FOUND },
        { method: 'PUT', path: `/chat/Dialog/${unknown}/admins.json`, body: { push_all: { admins_ids: [member.id] } }, status: 404, json: NOT_FOUND },
        { path: `/chat/Dialog/${unknown}/notifications.json`, status: 404, json: NOT_FOUND },
        { method: 'PUT', path: `/chat/Dialog/${unknown}/notifications.json`, body: { enabled: 0 }, status: 404, json: NOT_FOUND },
        { path: `/chat/Dialog/${unknown}/occupants.json`, status: 404, json: NOT_FOUND },
        { method: 'PUT', path: '/chat/Message.json', body: { chat_dialog_id: unknown, read: 1 }, status: 404, json: NOT_FOUND },
      ]);
    });

    it('several dialog ids in one delete report the unknown ones and delete nothing else', async () => {
      const unknown = newObjectId();
      await expectRejected(owner, [
        { method: 'DELETE', path: `/chat/Dialog/${unknown},not-an-id.json`, status: 200, json: deleteSummary([unknown, 'not-an-id']) },
      ]);
    });

    it('unknown message ids answer 404 and mark, edit or react to nothing', async () => {
      const unknown = newObjectId();
      await expectRejected(owner, [
        { method: 'PUT', path: `/chat/Message/${unknown}.json`, body: { chat_dialog_id: group._id, read: 1 }, status: 404, json: NOT_FOUND },
        { method: 'PUT', path: `/chat/Message/${unknown}.json`, body: { read: 1 }, status: 404, json: NOT_FOUND },
        // One known and one unknown id: the known one is not marked either.
        { method: 'PUT', path: `/chat/Message/${fromMember._id},${unknown}.json`, body: { chat_dialog_id: group._id, read: 1 }, status: 404, json: NOT_FOUND },
        { method: 'PUT', path: `/chat/Message/${unknown}.json`, body: { chat_dialog_id: group._id, message: 'edited' }, status: 404, json: NOT_FOUND },
        // A message of another dialog than the one named.
        { method: 'PUT', path: `/chat/Message/${inDirect._id}.json`, body: { chat_dialog_id: group._id, read: 1 }, status: 404, json: NOT_FOUND },
        { method: 'PUT', path: `/chat/Message/${unknown}/reactions.json`, body: { add: '👍' }, status: 404, json: NOT_FOUND },
        { path: `/chat/Message/${unknown}/reactions.json`, status: 404, json: NOT_FOUND },
        { method: 'DELETE', path: `/chat/Message/${unknown}.json`, status: 200, json: deleteSummary([unknown]) },
        { method: 'DELETE', path: `/chat/Message/${unknown}.json`, body: 'force=1', status: 200, json: deleteSummary([unknown]) },
      ]);
    });

    it('malformed ObjectIds answer 404 like unknown ones (422 for a malformed client _id)', async () => {
      await expectRejected(owner, [
        { path: '/chat/Message.json?chat_dialog_id=not-an-id', status: 404, json: NOT_FOUND },
        { path: `/chat/Message.json?chat_dialog_id=${group._id.toUpperCase()}`, status: 404, json: NOT_FOUND },
        { method: 'PUT', path: '/chat/Dialog/xyz.json', body: { name: 'renamed' }, status: 404, json: NOT_FOUND },
        { method: 'DELETE', path: '/chat/Dialog/xyz.json', status: 404, json: NOT_FOUND },
        { method: 'DELETE', path: `/chat/Dialog/clearHistory/${group._id.slice(1)}.json`, status: 404, json: NOT_FOUND },
        { path: '/chat/Dialog/zzzzzzzzzzzzzzzzzzzzzzzz/occupants.json', status: 404, json: NOT_FOUND },
        { method: 'PUT', path: '/chat/Message.json', body: { chat_dialog_id: 'not-an-id', read: 1 }, status: 404, json: NOT_FOUND },
        { method: 'PUT', path: '/chat/Message/not-an-id.json', body: { chat_dialog_id: group._id, read: 1 }, status: 404, json: NOT_FOUND },
        { path: '/chat/Message/not-an-id/reactions.json', status: 404, json: NOT_FOUND },
        { method: 'PUT', path: '/chat/Message/not-an-id/reactions.json', body: { add: 'x' }, status: 404, json: NOT_FOUND },
        { method: 'DELETE', path: '/chat/Message/not-an-id.json', status: 200, json: deleteSummary(['not-an-id']) },
        { method: 'POST', path: '/chat/Message.json', body: { chat_dialog_id: 'not-an-id', message: 'x' }, status: 404, json: NOT_FOUND },
        { method: 'POST', path: '/chat/Message.json', body: { chat_dialog_id: group._id, _id: 'short', message: 'x' }, status: 422, json: invalid('_id') },
        { method: 'POST', path: '/chat/Message.json', body: { chat_dialog_id: group._id, _id: fromMember._id.toUpperCase(), message: 'x' }, status: 422, json: invalid('_id') },
        { method: 'PUT', path: `/chat/Dialog/${group._id}.json`, body: { push_all: { pinned_messages_ids: ['not-an-id'] } }, status: 422, json: invalid('pinned_messages_ids') },
      ]);
    });
  });

  describe('dialog creation and update', () => {
    it('occupant lists with unknown users (or other apps’ users, or ids that are not user ids) answer 422 and create nothing', async () => {
      await expectRejected(owner, [
        { method: 'POST', path: '/chat/Dialog.json', body: { type: 2, name: 'G', occupants_ids: [member.id, 987_654] }, status: 422, json: invalid('occupants_ids') },
        { method: 'POST', path: '/chat/Dialog.json', body: { type: 2, name: 'G', occupants_ids: `${member.id}, ${other.id}` }, status: 422, json: invalid('occupants_ids') },
        { method: 'POST', path: '/chat/Dialog.json', body: { type: 3, occupants_ids: [other.id] }, status: 422, json: invalid('occupants_ids') },
        { method: 'POST', path: '/chat/Dialog.json', body: { type: 2, name: 'G', occupants_ids: 'abc' }, status: 422, json: invalid('occupants_ids') },
        { method: 'POST', path: '/chat/Dialog.json', body: { type: 2, name: 'G', occupants_ids: [member.id, -3] }, status: 422, json: invalid('occupants_ids') },
        { method: 'PUT', path: `/chat/Dialog/${group._id}.json`, body: { push_all: { occupants_ids: [987_654] } }, status: 422, json: invalid('occupants_ids') },
        { method: 'PUT', path: `/chat/Dialog/${group._id}.json`, body: { push_all: { occupants_ids: [outsider.id, other.id] }, name: 'Renamed' }, status: 422, json: invalid('occupants_ids') },
      ]);
    });

    it('user ids beyond the 32-bit range are unknown users (422), not server errors', async () => {
      await expectRejected(owner, [
        { method: 'POST', path: '/chat/Dialog.json', body: { type: 2, name: 'G', occupants_ids: [member.id, 9_999_999_999] }, status: 422, json: invalid('occupants_ids') },
        { method: 'PUT', path: `/chat/Dialog/${group._id}.json`, body: { push_all: { occupants_ids: [9_999_999_999] } }, status: 422, json: invalid('occupants_ids') },
        { method: 'PUT', path: `/chat/Dialog/${group._id}/admins.json`, body: { push_all: { admins_ids: [9_999_999_999] } }, status: 422, json: invalid('admins_ids') },
      ]);
    });

    it('a private dialog with yourself (or without an opponent) answers 422', async () => {
      await expectRejected(owner, [
        { method: 'POST', path: '/chat/Dialog.json', body: { type: 3, occupants_ids: [owner.id] }, status: 422, json: invalid('occupants_ids') },
        { method: 'POST', path: '/chat/Dialog.json', body: { type: 3, occupants_ids: String(owner.id) }, status: 422, json: invalid('occupants_ids') },
        { method: 'POST', path: '/chat/Dialog.json', body: { type: 3 }, status: 422, json: invalid('occupants_ids') },
        { method: 'POST', path: '/chat/Dialog.json', body: { type: 3, occupants_ids: [member.id, third.id] }, status: 422, json: invalid('occupants_ids') },
      ]);
    });

    it('more than 5 admins, or admins who are not occupants, answer 422 on create, update and the admins route', async () => {
      const six = crowd.map((p) => p.id);
      await expectRejected(owner, [
        { method: 'POST', path: '/chat/Dialog.json', body: { type: 2, name: 'G', occupants_ids: six, admins_ids: six }, status: 422, json: invalid('admins_ids') },
        { method: 'POST', path: '/chat/Dialog.json', body: { type: 2, name: 'G', occupants_ids: [member.id], admins_ids: [third.id] }, status: 422, json: invalid('admins_ids') },
        { method: 'PUT', path: `/chat/Dialog/${big._id}/admins.json`, body: { push_all: { admins_ids: six } }, status: 422, json: invalid('admins_ids') },
        { method: 'PUT', path: `/chat/Dialog/${big._id}.json`, body: { push_all: { admins_ids: six }, name: 'Renamed' }, status: 422, json: invalid('admins_ids') },
        { method: 'PUT', path: `/chat/Dialog/${group._id}/admins.json`, body: { push_all: { admins_ids: [outsider.id] } }, status: 422, json: invalid('admins_ids') },
        // The new occupant would join before the admin check fails: nothing may be half done.
        { method: 'PUT', path: `/chat/Dialog/${group._id}.json`, body: { push_all: { occupants_ids: [outsider.id], admins_ids: [stranger.id] } }, status: 422, json: invalid('admins_ids') },
      ]);
    });

    it('a missing or invalid type and a missing name answer 422', async () => {
      await expectRejected(owner, [
        { method: 'POST', path: '/chat/Dialog.json', body: { name: 'G', occupants_ids: [member.id] }, status: 422, json: invalid('type') },
        { method: 'POST', path: '/chat/Dialog.json', body: { type: 'group', name: 'G', occupants_ids: [member.id] }, status: 422, json: invalid('type') },
        { method: 'POST', path: '/chat/Dialog.json', body: { type: 9, name: 'G', occupants_ids: [member.id] }, status: 422, json: invalid('type') },
        { method: 'POST', path: '/chat/Dialog.json', body: { type: 5, name: 'G', occupants_ids: [member.id] }, status: 422, json: invalid('type') },
        { method: 'POST', path: '/chat/Dialog.json', body: { type: 2, occupants_ids: [member.id] }, status: 422, json: invalid('name') },
        { method: 'POST', path: '/chat/Dialog.json', body: { type: 4, name: '' }, status: 422, json: invalid('name') },
        { method: 'POST', path: '/chat/Dialog.json', body: { type: 1, name: null }, status: 422, json: invalid('name') },
        { method: 'POST', path: '/chat/Dialog.json', body: { type: 2, name: 'x'.repeat(1001), occupants_ids: [member.id] }, status: 422, json: invalid('name') },
        { method: 'POST', path: '/chat/Dialog.json', body: { type: 2, name: { text: 'G' }, occupants_ids: [member.id] }, status: 422, json: invalid('name') },
        { method: 'POST', path: '/chat/Dialog.json', body: {}, status: 422, json: invalid('type') },
        { method: 'PUT', path: `/chat/Dialog/${group._id}.json`, body: { name: null }, status: 422, json: invalid('name') },
        { method: 'PUT', path: `/chat/Dialog/${group._id}.json`, body: { name: '' }, status: 422, json: invalid('name') },
      ]);
    });

    it('bad extensions, permissions and set changes answer 422', async () => {
      await expectRejected(owner, [
        { method: 'POST', path: '/chat/Dialog.json', body: { type: 2, name: 'G', occupants_ids: [member.id], extensions: 'red' }, status: 422, json: invalid('extensions') },
        { method: 'POST', path: '/chat/Dialog.json', body: { type: 2, name: 'G', occupants_ids: [member.id], extensions: { a: '1', b: '2', c: '3', d: '4' } }, status: 422, json: invalid('extensions') },
        { method: 'POST', path: '/chat/Dialog.json', body: { type: 2, name: 'G', occupants_ids: [member.id], permissions: { allow_preview: 'perhaps' } }, status: 422, json: invalid('permissions') },
        { method: 'PUT', path: `/chat/Dialog/${group._id}.json`, body: { extensions: ['red'] }, status: 422, json: invalid('extensions') },
        { method: 'PUT', path: `/chat/Dialog/${group._id}.json`, body: { extensions: { 'bad key': 'x' } }, status: 422, json: invalid('extensions') },
        { method: 'PUT', path: `/chat/Dialog/${group._id}.json`, body: { permissions: true }, status: 422, json: invalid('permissions') },
        { method: 'PUT', path: `/chat/Dialog/${group._id}.json`, body: { push_all: [member.id] }, status: 422, json: invalid('push_all') },
        { method: 'PUT', path: `/chat/Dialog/${group._id}.json`, body: { pull_all: 'everyone', name: 'Renamed' }, status: 422, json: invalid('pull_all') },
        { method: 'PUT', path: `/chat/Dialog/${group._id}/notifications.json`, body: {}, status: 422, json: invalid('enabled') },
        { method: 'PUT', path: `/chat/Dialog/${group._id}/notifications.json`, body: { enabled: 'maybe' }, status: 422, json: invalid('enabled') },
      ]);
    });

    it('role refusals answer 403 and change nothing', async () => {
      await expectRejected(member, [
        { method: 'POST', path: `/chat/Dialog/${direct._id}/subscribe.json`, status: 403, json: FORBIDDEN },
        { method: 'PUT', path: `/chat/Dialog/${group._id}/admins.json`, body: { push_all: { admins_ids: [third.id] } }, status: 403, json: FORBIDDEN },
        { method: 'PUT', path: `/chat/Dialog/${group._id}.json`, body: { pull_all: { occupants_ids: [third.id] } }, status: 403, json: FORBIDDEN },
        { method: 'DELETE', path: `/chat/Dialog/${group._id}.json`, body: 'force=1', status: 403, json: FORBIDDEN },
        { method: 'PUT', path: `/chat/Message/${fromOwner._id}.json`, body: { message: 'not mine' }, status: 403, json: FORBIDDEN },
      ]);
      await expectRejected(outsider, [
        { method: 'POST', path: '/chat/Message.json', body: { chat_dialog_id: group._id, message: 'let me in' }, status: 403, json: FORBIDDEN },
        { path: `/chat/Message.json?chat_dialog_id=${group._id}`, status: 403, json: FORBIDDEN },
      ]);
    });
  });

  describe('messages', () => {
    it('a message over 64 KiB answers 422 naming message, on create and on edit', async () => {
      await expectRejected(owner, [
        { method: 'POST', path: '/chat/Message.json', body: { chat_dialog_id: group._id, message: 'x'.repeat(MESSAGE_LIMIT + 1) }, status: 422, json: invalid('message') },
        // The limit is in bytes: 32 769 two-byte characters are 65 538 bytes.
        { method: 'POST', path: '/chat/Message.json', body: { chat_dialog_id: group._id, message: 'é'.repeat(MESSAGE_LIMIT / 2 + 1) }, status: 422, json: invalid('message') },
        // Sending to a user without a private dialog yet must not create one either.
        { method: 'POST', path: '/chat/Message.json', body: { recipient_id: third.id, message: 'x'.repeat(MESSAGE_LIMIT + 1) }, status: 422, json: invalid('message') },
        { method: 'PUT', path: `/chat/Message/${fromOwner._id}.json`, body: { chat_dialog_id: group._id, message: 'x'.repeat(MESSAGE_LIMIT + 1) }, status: 422, json: invalid('message') },
      ]);
    });

    it('a message of exactly 64 KiB is accepted', async () => {
      const response = await send(owner, { method: 'POST', path: '/chat/Message.json', body: { chat_dialog_id: big._id, message: 'é'.repeat(MESSAGE_LIMIT / 2) } });
      expect(response.status).toBe(201);
      expect((response.json as MessageWire).message).toHaveLength(MESSAGE_LIMIT / 2);
    });

    it('bodies that are not JSON objects answer 422 (or 400 when not JSON at all)', async () => {
      const raw = (method: string, path: string, body: string, status = 422, json: unknown = invalid('base')): Expectation => ({ method, path, body, status, json });
      await expectRejected(owner, [
        raw('POST', '/chat/Dialog.json', '[1,2]'),
        raw('POST', '/chat/Dialog.json', '"group"'),
        raw('POST', '/chat/Dialog.json', '42'),
        raw('POST', '/chat/Message.json', JSON.stringify([{ chat_dialog_id: group._id, message: 'in an array' }])),
        raw('POST', '/chat/Message.json', 'true'),
        raw('PUT', `/chat/Dialog/${group._id}.json`, '[]'),
        raw('PUT', `/chat/Dialog/${big._id}/admins.json`, '[1]'),
        raw('PUT', `/chat/Message/${fromMember._id}.json`, '"read"'),
        raw('PUT', '/chat/Message.json', JSON.stringify([group._id])),
        raw('PUT', `/chat/Message/${fromMember._id}/reactions.json`, '["👍"]'),
        raw('POST', '/chat/Message.json', `{"chat_dialog_id":"${group._id}","message":`, 400, { errors: { base: [expect.any(String)] } }),
      ]);
    });

    it('attachments that are not objects answer 422 naming attachments', async () => {
      const post = (attachments: unknown): Expectation => ({
        method: 'POST',
        path: '/chat/Message.json',
        body: { chat_dialog_id: group._id, message: 'with attachments', attachments },
        status: 422,
        json: invalid('attachments'),
      });
      await expectRejected(owner, [
        post(['image']),
        post('image'),
        post(7),
        post([[{ type: 'image' }]]),
        post([{ type: 'image' }, null]),
        post({ 0: { type: 'image' }, 1: 'video' }),
      ]);
    });

    it('other invalid message fields answer 422 naming the field', async () => {
      await expectRejected(owner, [
        { method: 'POST', path: '/chat/Message.json', body: { message: 'to nobody' }, status: 422, json: invalid('chat_dialog_id') },
        { method: 'POST', path: '/chat/Message.json', body: { recipient_id: 'abc', message: 'x' }, status: 422, json: invalid('recipient_id') },
        { method: 'POST', path: '/chat/Message.json', body: { chat_dialog_id: group._id, message: { text: 'x' } }, status: 422, json: invalid('message') },
        { method: 'POST', path: '/chat/Message.json', body: { chat_dialog_id: group._id, message: 'x', date_sent: 'yesterday' }, status: 422, json: invalid('date_sent') },
        { method: 'PUT', path: `/chat/Message/${fromOwner._id}.json`, body: { message: 5 }, status: 422, json: invalid('message') },
        { method: 'PUT', path: '/chat/Message.json', body: { read: 1 }, status: 422, json: invalid('chat_dialog_id') },
        { method: 'PUT', path: '/chat/Message.json', body: { chat_dialog_id: group._id, message: 'edit all' }, status: 422, json: invalid('message') },
        { method: 'PUT', path: `/chat/Message/${fromMember._id}/reactions.json`, body: {}, status: 422, json: invalid('base') },
        { method: 'PUT', path: `/chat/Message/${fromMember._id}/reactions.json`, body: { add: 'x'.repeat(33) }, status: 422, json: invalid('add') },
        { method: 'PUT', path: `/chat/Message/${fromMember._id}/reactions.json`, body: { remove: 5 }, status: 422, json: invalid('remove') },
      ]);
    });

    it('an unknown or own recipient_id answers 422 naming recipient_id', async () => {
      await expectRejected(owner, [
        { method: 'POST', path: '/chat/Message.json', body: { recipient_id: 987_654, message: 'x' }, status: 422, json: invalid('recipient_id') },
        { method: 'POST', path: '/chat/Message.json', body: { recipient_id: other.id, message: 'x' }, status: 422, json: invalid('recipient_id') },
        { method: 'POST', path: '/chat/Message.json', body: { recipient_id: owner.id, message: 'x' }, status: 422, json: invalid('recipient_id') },
      ]);
    });

    it('a taken _id from another sender is a new message under a fresh id, as over XMPP (one idempotency rule, ADR 0013)', async () => {
      const toNewRecipient = await created<MessageWire>(owner, { path: '/chat/Message.json', body: { recipient_id: stranger.id, _id: inDirect._id, message: 'reusing an id' } });
      const inAnotherDialog = await created<MessageWire>(owner, { path: '/chat/Message.json', body: { chat_dialog_id: group._id, _id: inDirect._id, message: 'reusing an id' } });
      for (const message of [toNewRecipient, inAnotherDialog]) {
        expect(message._id).toMatch(/^[0-9a-f]{24}$/);
        expect(message._id).not.toBe(inDirect._id);
        expect(message.message).toBe('reusing an id');
      }
      expect(inAnotherDialog.chat_dialog_id).toBe(group._id);
      // The message that had the id is untouched.
      const original = (await send(member, { path: `/chat/Message.json?chat_dialog_id=${inDirect.chat_dialog_id}&_id=${inDirect._id}` })).json as { items: MessageWire[] };
      expect(original.items.map((item) => [item._id, item.message])).toEqual([[inDirect._id, 'hello privately']]);
    });
  });

  describe('filters', () => {
    it('bad dialog filter operators and values answer 422 naming the parameter', async () => {
      await expectRejected(owner, [
        { path: '/chat/Dialog.json?type[foo]=2', status: 422, json: invalid('type') },
        { path: '/chat/Dialog.json?type=group', status: 422, json: invalid('type') },
        { path: '/chat/Dialog.json?type[in]=2,x', status: 422, json: invalid('type') },
        { path: '/chat/Dialog.json?created_at[gt]=not-a-date', status: 422, json: invalid('created_at') },
        { path: '/chat/Dialog.json?last_message_date_sent[lt]=soon', status: 422, json: invalid('last_message_date_sent') },
        { path: '/chat/Dialog.json?name[all]=x', status: 422, json: invalid('name') },
        { path: '/chat/Dialog.json?occupants_ids[gt]=1', status: 422, json: invalid('occupants_ids') },
        { path: '/chat/Dialog.json?extensions[color][gt]=a', status: 422, json: invalid('extensions[color]') },
        { path: '/chat/Dialog.json?sort_desc=bogus', status: 422, json: invalid('sort_desc') },
        { path: '/chat/Dialog.json?limit=-1', status: 422, json: invalid('limit') },
        { path: '/chat/Dialog.json?skip=abc', status: 422, json: invalid('skip') },
        { path: '/chat/Dialog.json?count=1&type=group', status: 422, json: invalid('type') },
      ]);
    });

    it('bad message filters answer 422 and mark nothing read', async () => {
      const base = `/chat/Message.json?chat_dialog_id=${group._id}`;
      await expectRejected(owner, [
        { path: '/chat/Message.json', status: 422, json: invalid('chat_dialog_id') },
        { path: `${base}&date_sent[gt]=soon`, status: 422, json: invalid('date_sent') },
        { path: `${base}&sender_id[in]=${member.id},x`, status: 422, json: invalid('sender_id') },
        { path: `${base}&_id[all]=${fromMember._id}`, status: 422, json: invalid('_id') },
        { path: `${base}&message[like]=hello`, status: 422, json: invalid('message') },
        { path: `${base}&sort_asc=message`, status: 422, json: invalid('sort_asc') },
        { path: `${base}&limit=abc`, status: 422, json: invalid('limit') },
        { path: `${base}&skip=-5`, status: 422, json: invalid('skip') },
        { path: `${base}&count=1&updated_at[lt]=whenever`, status: 422, json: invalid('updated_at') },
      ]);
      expect((await server.server.store.dialogs.member(server.app.id, group._id, owner.id))?.unreadCount).toBe(2);
    });

    it('filter values beyond the 32-bit range find nothing (or answer 422), never a server error', async () => {
      await expectAnsweredWithNothing(owner, [
        '/chat/Dialog.json?user_id=9999999999',
        '/chat/Dialog.json?type=9999999999',
        '/chat/Dialog.json?occupants_ids[in]=9999999999',
        `/chat/Message.json?chat_dialog_id=${group._id}&sender_id=9999999999&mark_as_read=0`,
        `/chat/Message.json?chat_dialog_id=${group._id}&recipient_id[in]=9999999999&mark_as_read=0`,
      ]);
    });

    it('ctn on a numeric field finds nothing (or answers 422), never a server error', async () => {
      await expectAnsweredWithNothing(owner, [
        '/chat/Dialog.json?type[ctn]=9',
        '/chat/Dialog.json?user_id[ctn]=9999',
        `/chat/Message.json?chat_dialog_id=${group._id}&sender_id[ctn]=9999&mark_as_read=0`,
        `/chat/Message.json?chat_dialog_id=${group._id}&date_sent[ctn]=abc&mark_as_read=0`,
      ]);
    });
  });

  describe('search', () => {
    it('search_text too short or missing, > 10 dialog ids, start_date without end_date, bad dates and a range over 3 months answer 422', async () => {
      const eleven = Array.from({ length: 11 }, () => newObjectId()).join(',');
      await expectRejected(owner, [
        { path: '/chat/search.json', status: 422, json: invalid('search_text') },
        { path: '/chat/search.json?search_text=abc', status: 422, json: invalid('search_text') },
        { path: '/chat/search.json?search_text[]=hello', status: 422, json: invalid('search_text') },
        { path: `/chat/search.json?search_text=hello&chat_dialog_ids=${eleven}`, status: 422, json: invalid('chat_dialog_ids') },
        { path: '/chat/search.json?search_text=hello&start_date=2024-03-01T00:00:00Z', status: 422, json: invalid('end_date') },
        { path: '/chat/search.json?search_text=hello&start_date=not-a-date&end_date=2024-01-01T00:00:00Z', status: 422, json: invalid('start_date') },
        { path: '/chat/search.json?search_text=hello&start_date=2024-03-01T00:00:00Z&end_date=whenever', status: 422, json: invalid('end_date') },
        { path: '/chat/search.json?search_text=hello&start_date=2024-06-01T00:00:00Z&end_date=2024-01-01T00:00:00Z', status: 422, json: invalid('start_date') },
      ]);
    });

    it('dialog ids that are not ObjectIds find nothing (or answer 422), never a server error', async () => {
      await expectAnsweredWithNothing(owner, ['/chat/search.json?search_text=hello&chat_dialog_ids=not-an-id', '/chat/search.json?search_text=hello&chat_dialog_ids=']);
    });
  });

  describe('who may call', () => {
    it('an application session on chat routes answers 403 "Forbidden. Need user."', async () => {
      const routes: Call[] = [
        { path: '/chat/Dialog.json' },
        { method: 'POST', path: '/chat/Dialog.json', body: { type: 2, name: 'G', occupants_ids: [member.id] } },
        { method: 'PUT', path: `/chat/Dialog/${group._id}.json`, body: { name: 'Renamed' } },
        { method: 'DELETE', path: `/chat/Dialog/${group._id}.json`, body: 'force=1' },
        { method: 'DELETE', path: `/chat/Dialog/clearHistory/${group._id}.json` },
        { method: 'POST', path: `/chat/Dialog/${group._id}/subscribe.json` },
        { method: 'PUT', path: `/chat/Dialog/${group._id}/admins.json`, body: { push_all: { admins_ids: [member.id] } } },
        { path: `/chat/Dialog/${group._id}/notifications.json` },
        { path: `/chat/Dialog/${group._id}/occupants.json` },
        { path: `/chat/Message.json?chat_dialog_id=${group._id}` },
        { method: 'POST', path: '/chat/Message.json', body: { chat_dialog_id: group._id, message: 'from the app' } },
        { method: 'PUT', path: `/chat/Message/${fromMember._id}.json`, body: { read: 1 } },
        { method: 'DELETE', path: `/chat/Message/${fromMember._id}.json`, body: 'force=1' },
        { path: `/chat/Message/unread.json?chat_dialog_ids=${group._id}` },
        { method: 'PUT', path: `/chat/Message/${fromMember._id}/reactions.json`, body: { add: 'x' } },
        { path: '/chat/search.json?search_text=hello' },
      ];
      await expectRejected(
        appToken,
        routes.map((route) => ({ ...route, status: 403, json: NEED_USER })),
      );
    });

    it('a user of another application gets 404 for the dialog and its messages, and sees none of it', async () => {
      await expectRejected(other, [
        { path: `/chat/Message.json?chat_dialog_id=${group._id}`, status: 404, json: NOT_FOUND },
        { path: `/chat/Message.json?chat_dialog_id=${group._id}&preview=1`, status: 404, json: NOT_FOUND },
        { method: 'POST', path: '/chat/Message.json', body: { chat_dialog_id: group._id, message: 'hi' }, status: 404, json: NOT_FOUND },
        { method: 'PUT', path: `/chat/Dialog/${group._id}.json`, body: { name: 'Hijacked', push_all: { occupants_ids: [other.id] } }, status: 404, json: NOT_FOUND },
        { method: 'DELETE', path: `/chat/Dialog/${group._id}.json`, status: 404, json: NOT_FOUND },
        { method: 'DELETE', path: `/chat/Dialog/${group._id}.json`, body: 'force=1', status: 404, json: NOT_FOUND },
        { method: 'DELETE', path: `/chat/Dialog/clearHistory/${group._id}.json`, status: 404, json: NOT_FOUND },
        { method: 'POST', path: `/chat/Dialog/${group._id}/subscribe.json`, status: 404, json: NOT_FOUND },
        { method: 'PUT', path: `/chat/Dialog/${group._id}/admins.json`, body: { push_all: { admins_ids: [other.id] } }, status: 404, json: NOT_FOUND },
        { path: `/chat/Dialog/${group._id}/notifications.json`, status: 404, json: NOT_FOUND },
        { method: 'PUT', path: `/chat/Dialog/${group._id}/notifications.json`, body: { enabled: 0 }, status: 404, json: NOT_FOUND },
        { path: `/chat/Dialog/${group._id}/occupants.json`, status: 404, json: NOT_FOUND },
        { method: 'PUT', path: `/chat/Message/${fromMember._id}.json`, body: { read: 1 }, status: 404, json: NOT_FOUND },
        { method: 'PUT', path: '/chat/Message.json', body: { chat_dialog_id: group._id, read: 1 }, status: 404, json: NOT_FOUND },
        { path: `/chat/Message/${fromMember._id}/reactions.json`, status: 404, json: NOT_FOUND },
        { method: 'PUT', path: `/chat/Message/${fromMember._id}/reactions.json`, body: { add: 'x' }, status: 404, json: NOT_FOUND },
        { method: 'DELETE', path: `/chat/Message/${fromMember._id}.json`, body: 'force=1', status: 200, json: deleteSummary([fromMember._id]) },
        // Which field the 422 names is checked in 'an unknown or own recipient_id answers 422 naming recipient_id'.
        { method: 'POST', path: '/chat/Message.json', body: { recipient_id: owner.id, message: 'across apps' }, status: 422, json: { errors: expect.any(Object) } },
      ]);
      const listed = await send(other, { path: '/chat/Dialog.json' });
      expect((listed.json as { items: DialogWire[] }).items.map((dialog) => dialog.name)).toEqual(['Other group']);
      expect((await send(other, { path: `/chat/Message/unread.json?chat_dialog_ids=${group._id}` })).json).toEqual({ total: 0, [group._id]: 0 });
      expect((await send(other, { path: '/chat/search.json?search_text=hello' })).json).toEqual({ results: { dialogs: [], messages: [], users: [] } });
    });
  });
});
