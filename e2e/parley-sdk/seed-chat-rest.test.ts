/**
 * The seed docs' chat REST snippets ("Chat" guide, seed-docs-readable.md) run with @parley/sdk, as
 * verbatim as possible: only the endpoints in `init` change, each call is awaited, the placeholder ids (56, 29085, 97,
 * "5356c64ab35c12bd3b108a41", …) are replaced by ids from earlier steps, and the empty
 * `.then(() => {})` / `.catch(() => {})` bodies record the outcome so the test can check it.
 *
 * Set-up that is not a snippet: the opponents (separate SDK instances) and the messages the
 * history/reaction/unread snippets work on, which the docs send in real time; here they are stored
 * with `chat.message.create` (REST). "Chat permissions" has no snippet: it is exercised with an
 * update of `permissions` and a preview read, following its text.
 *
 * The real-time snippets (connect, status, disconnect, send/receive, metadata, sent/delivered/read and
 * typing status, attachments, system messages, ping) run in seed-chat-realtime.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ConnectyCube, { ConnectyCubeClient, type Dialog, type Message } from '@parley/sdk';
import { startServer, type TestServer } from '@parley/testkit';
import { rejection } from '../scenarios/sdk.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- snippet results are read field by field */

describe('seed: chat REST snippets of the Chat guide (@parley/sdk)', () => {
  let server: TestServer;
  const failures: unknown[] = [];
  const opponents: { cube: ConnectyCubeClient; id: number }[] = [];
  let me = 0;
  let privateDialog: Dialog;
  let groupDialog: Dialog;
  let publicDialog: Dialog;
  let metadataDialog: Dialog;
  const received: Message[] = [];
  const mine: Message[] = [];

  const opponent = (index: number) => opponents[index]!;

  beforeAll(async () => {
    server = await startServer();
    const CREDENTIALS = { appId: server.app.id, authKey: server.app.authKey };
    const CONFIG = { endpoints: { api_url: server.url, chat: 'localhost' } };
    for (let index = 0; index < 5; index += 1) {
      const cube = new ConnectyCubeClient();
      cube.init(CREDENTIALS, CONFIG);
      const session = await cube.createSession({ login: `seedchat${index}`, password: 'supersecurepwd' });
      opponents.push({ cube, id: session.user_id as number });
    }
    // "Send first chat message", Steps 1–2: init with this server's endpoints, then a user session.
    ConnectyCube.init(CREDENTIALS, CONFIG);
    const userCredentials = { login: "marvin18", password: "supersecurepwd" };
    me = (await ConnectyCube.createSession(userCredentials)).user_id as number;
  });
  afterAll(() => server.stop());

  it('Create 1-1 chat, Create group chat, Create public group chat, Chat metadata', async () => {
    {
      const params = { type: 3, occupants_ids: [opponent(0).id], }; await ConnectyCube.chat.dialog .create(params) .then((dialog) => { privateDialog = dialog; }) .catch((error) => { failures.push(error); });
    }
    {
      const params = { type: 2, name: "Friday party", occupants_ids: [opponent(0).id, opponent(1).id, opponent(2).id], description: "lets dance the night away", photo: "party.jpg", }; await ConnectyCube.chat.dialog .create(params) .then((dialog) => { groupDialog = dialog; }) .catch((error) => { failures.push(error); });
    }
    {
      const params = { type: 4, name: "Blockchain trends", }; await ConnectyCube.chat.dialog .create(params) .then((dialog) => { publicDialog = dialog; }) .catch((error) => { failures.push(error); });
    }
    {
      const params = { type: 2, name: "Friday party", occupants_ids: [opponent(0).id, opponent(1).id, opponent(2).id], description: "lets dance the night away", extensions: {location: "Sun bar"}, }; await ConnectyCube.chat.dialog .create(params) .then((dialog) => { metadataDialog = dialog; }) .catch((error) => { failures.push(error); });
    }
    expect(failures).toEqual([]);
    // a private dialog is named after the other occupant (no full_name here: the login).
    expect(privateDialog).toMatchObject({ type: 3, name: 'seedchat0', user_id: me });
    expect([...privateDialog.occupants_ids].sort()).toEqual([me, opponent(0).id].sort());
    expect(groupDialog).toMatchObject({ type: 2, name: 'Friday party', description: 'lets dance the night away', photo: 'party.jpg', user_id: me });
    expect(groupDialog.occupants_ids).toHaveLength(4);
    expect(publicDialog).toMatchObject({ type: 4, name: 'Blockchain trends', occupants_ids: [], occupants_count: 1 });
    expect(metadataDialog).toMatchObject({ type: 2, extensions: { location: 'Sun bar' } });
  });

  it('List dialogs', async () => {
    let result: any;
    const filters = {}; await ConnectyCube.chat.dialog .list(filters) .then((res) => { result = res; }) .catch((error) => { failures.push(error); });
    expect(failures).toEqual([]);
    expect(result).toMatchObject({ total_entries: 4, skip: 0, limit: 100 });
    expect(result.items.map((dialog: Dialog) => dialog._id).sort()).toEqual([privateDialog._id, groupDialog._id, publicDialog._id, metadataDialog._id].sort());
    // "These parameters also can be used as a filter" (Chat metadata) and the `updated_at[gt]` tip.
    expect((await ConnectyCube.chat.dialog.list({ extensions: { location: 'Sun bar' } })).items.map((dialog) => dialog._id)).toEqual([metadataDialog._id]);
    expect((await ConnectyCube.chat.dialog.list({ updated_at: { gt: Math.floor(Date.now() / 1000) + 3600 } })).items).toEqual([]);
  });

  it('Update dialog, Add/Remove occupants, Remove dialog', async () => {
    let updated: Dialog | undefined;
    {
      const dialogId = groupDialog._id; const toUpdateParams = { name: "Crossfit2" }; await ConnectyCube.chat.dialog .update(dialogId, toUpdateParams) .then((dialog) => { updated = dialog; }) .catch((error) => { failures.push(error); });
    }
    expect(updated?.name).toBe('Crossfit2');
    {
      const dialogId = groupDialog._id; const toUpdateParams = { push_all: { occupants_ids: [opponent(3).id, opponent(4).id] } }; await ConnectyCube.chat.dialog .update(dialogId, toUpdateParams) .then((dialog) => { updated = dialog; }) .catch((error) => { failures.push(error); });
    }
    expect(updated?.occupants_ids).toHaveLength(6);
    // "To remove yourself from the dialog use pull_all operator" (no snippet; the same call with pull_all).
    const left = await opponent(4).cube.chat.dialog.update(groupDialog._id, { pull_all: { occupants_ids: [opponent(4).id] } });
    expect(left.occupants_ids).not.toContain(opponent(4).id);
    {
      const dialogId = metadataDialog._id; // const dialogIds = ['5356c64ab35c12bd3b108a41', ..., '5356c64ab35c12bd3b108a84']
      await ConnectyCube.chat.dialog.delete(dialogId).catch((error) => { failures.push(error); });
    }
    expect(failures).toEqual([]);
    expect((await ConnectyCube.chat.dialog.list({ _id: metadataDialog._id })).items).toEqual([]);
    // Removed for the current user only: the others still chat there.
    expect((await opponent(0).cube.chat.dialog.list({ _id: metadataDialog._id })).items).toHaveLength(1);
  });

  it('Clear dialog history', async () => {
    await opponent(0).cube.chat.message.create({ chat_dialog_id: privateDialog._id, message: 'Hi Marvin' });
    expect((await ConnectyCube.chat.message.list({ chat_dialog_id: privateDialog._id, mark_as_read: 0 })).items).toHaveLength(1);
    {
      const dialogId = privateDialog._id; await ConnectyCube.chat.dialog.clearHistory(dialogId).catch((error) => { failures.push(error); });
    }
    expect(failures).toEqual([]);
    expect((await ConnectyCube.chat.message.list({ chat_dialog_id: privateDialog._id })).items).toEqual([]);
    expect((await opponent(0).cube.chat.message.list({ chat_dialog_id: privateDialog._id })).items).toHaveLength(1);
  });

  it('Subscribe to dialog, Unsubscribe from dialog, Retrieve public dialog occupants', async () => {
    const theirs = await opponent(1).cube.chat.dialog.create({ type: 4, name: 'Open mic' });
    let subscribed: Dialog | undefined;
    {
      const dialogId = theirs._id; await ConnectyCube.chat.dialog .subscribe(dialogId) .then((dialog) => { subscribed = dialog; }) .catch((error) => { failures.push(error); });
    }
    expect(subscribed).toMatchObject({ _id: theirs._id, occupants_ids: [], occupants_count: 2 });
    {
      const dialogId = theirs._id; await ConnectyCube.chat.dialog.unsubscribe(dialogId).catch((error) => { failures.push(error); });
    }
    expect((await opponent(1).cube.chat.dialog.list({ _id: theirs._id })).items[0]?.occupants_count).toBe(1);

    await opponent(2).cube.chat.dialog.subscribe(publicDialog._id);
    let occupants: any;
    {
      const dialogId = publicDialog._id; const params = { limit: 100, skip: 0, }; await ConnectyCube.chat.dialog .getPublicOccupants(dialogId, params) .then((result) => { occupants = result.items; }) .catch((error) => { failures.push(error); });
    }
    expect(failures).toEqual([]);
    expect(occupants.map((user: { id: number }) => user.id).sort()).toEqual([me, opponent(2).id].sort());
    expect(occupants.find((user: { id: number }) => user.id === me)).toMatchObject({ login: 'marvin18' });
  });

  it('Add / Remove admins', async () => {
    let dialogAfter: Dialog | undefined;
    {
      const dialogId = groupDialog._id; const adminsUsersIds = [opponent(0).id, opponent(1).id]; await ConnectyCube.chat.dialog .addAdmins(dialogId, adminsUsersIds) .then((dialog) => { dialogAfter = dialog; }) .catch((error) => { failures.push(error); });
    }
    expect([...(dialogAfter?.admins_ids ?? [])].sort()).toEqual([opponent(0).id, opponent(1).id].sort());
    {
      const dialogId = groupDialog._id; const adminsUsersIds = [opponent(0).id, opponent(1).id]; await ConnectyCube.chat.dialog .removeAdmins(dialogId, adminsUsersIds) .then((dialog) => { dialogAfter = dialog; }) .catch((error) => { failures.push(error); });
    }
    expect(failures).toEqual([]);
    expect(dialogAfter?.admins_ids).toEqual([]);
  });

  it('Update notifications settings, Get notifications settings', async () => {
    let updated: any;
    let current: any;
    {
      const dialogId = groupDialog._id; const enabled = false; await ConnectyCube.chat.dialog .updateNotificationsSettings(dialogId, enabled) .then((result) => { updated = result; }) .catch((error) => { failures.push(error); });
    }
    {
      const dialogId = groupDialog._id; await ConnectyCube.chat.dialog .getNotificationsSettings(dialogId) .then((result) => { current = result; }) .catch((error) => { failures.push(error); });
    }
    expect(failures).toEqual([]);
    expect(updated).toEqual({ notifications: { enabled: 0 } });
    expect(current).toEqual({ notifications: { enabled: 0 } });
  });

  it('Chat history', async () => {
    for (const text of ['How are you today?', 'Are you coming?']) {
      received.push(await opponent(0).cube.chat.message.create({ chat_dialog_id: groupDialog._id, message: text }));
    }
    let history: any;
    {
      const dialogId = groupDialog._id; const params = { chat_dialog_id: dialogId, sort_desc: "date_sent", limit: 100, skip: 0, }; await ConnectyCube.chat.message .list(params) .then((messages) => { history = messages; }) .catch((error) => { failures.push(error); });
    }
    expect(failures).toEqual([]);
    expect(history).toMatchObject({ skip: 0, limit: 100 });
    expect(history.items.map((message: Message) => message._id).sort()).toEqual(received.map((message) => message._id).sort());
    // `date_sent[gt]` / `date_sent[lt]` filters, as the guide suggests for paging.
    const older = await ConnectyCube.chat.message.list({ chat_dialog_id: groupDialog._id, date_sent: { lt: Math.floor(Date.now() / 1000) + 60 } });
    expect(older.items).toHaveLength(2);
  });

  it('Edit message (update a message via HTTP API)', async () => {
    for (const text of ['first draft', 'second draft']) {
      mine.push(await ConnectyCube.chat.message.create({ chat_dialog_id: groupDialog._id, message: text }));
    }
    {
      // const messageIds = ""; // to update all
      const messageIds = [mine[0]!._id, mine[1]!._id].join(","); // or one - "55fd42369575c12c2e234c64"
      const params = { read: 1, // mark message as read
        delivered: 1, // mark message as delivered
        message: "corrected message body", // update message body
        chat_dialog_id: groupDialog._id, }; await ConnectyCube.chat.message .update(messageIds, params) .then(() => {}) .catch((error) => { failures.push(error); });
    }
    expect(failures).toEqual([]);
    const texts = (await opponent(1).cube.chat.message.list({ chat_dialog_id: groupDialog._id, _id: { in: mine.map((message) => message._id) } })).items.map((message) => message.message);
    expect(texts).toEqual(['corrected message body', 'corrected message body']);
  });

  it('Message reactions: add, remove, add/remove, list', async () => {
    const target = received[0]!;
    {
      const messageId = target._id; const reaction = '🔥'; await ConnectyCube.chat.message.addReaction(messageId, reaction) .then(() => {}) .catch(err => { failures.push(err); });
    }
    {
      const messageId = target._id; const reaction = '👎'; await ConnectyCube.chat.message.removeReaction(messageId, reaction) .then(() => {}) .catch(err => { failures.push(err); });
    }
    {
      const messageId = target._id; const reactionToAdd = '👎'; const reactionToRemove = '🚀'; await ConnectyCube.chat.message.updateReaction(messageId, reactionToAdd, reactionToRemove) .then(() => {}) .catch(err => { failures.push(err); });
    }
    let listed: unknown;
    {
      const messageId = target._id; await ConnectyCube.chat.message.listReactions(messageId) .then(reactions => { listed = reactions; }) .catch(err => { failures.push(err); });
    }
    expect(failures).toEqual([]);
    expect(listed).toEqual({ '🔥': [me], '👎': [me] });
  });

  it('Delete messages (for the current user only)', async () => {
    let result: any;
    {
      const messageIds = [received[1]!._id, mine[1]!._id].join(","); const params = {}; await ConnectyCube.chat.message .delete(messageIds, params) .then((res) => { result = res; }) .catch((error) => { failures.push(error); });
    }
    expect(failures).toEqual([]);
    expect(JSON.parse(result)).toEqual({ SuccessfullyDeleted: { ids: [received[1]!._id, mine[1]!._id] }, NotFound: { ids: [] }, WrongPermissions: { ids: [] } });
    const left = (await ConnectyCube.chat.message.list({ chat_dialog_id: groupDialog._id })).items.map((message) => message._id);
    expect(left.sort()).toEqual([received[0]!._id, mine[0]!._id].sort());
    expect((await opponent(0).cube.chat.message.list({ chat_dialog_id: groupDialog._id })).items).toHaveLength(4);
  });

  it('Unread messages count, Mark as read all chat messages', async () => {
    await opponent(0).cube.chat.message.create({ chat_dialog_id: groupDialog._id, message: 'unread one' });
    await opponent(1).cube.chat.message.create({ chat_dialog_id: groupDialog._id, message: 'unread two' });
    let counts: any;
    {
      const params = { dialogs_ids: [groupDialog._id] }; await ConnectyCube.chat.message .unreadCount(params) .then((result) => { counts = result; }) .catch((error) => { failures.push(error); });
    }
    expect(counts).toEqual({ total: 2, [groupDialog._id]: 2 });
    {
      // eslint-disable-next-line @typescript-eslint/no-unused-vars -- verbatim: the snippet passes "" directly
      const messageIds = ""; // use "" to update all
      const params = { read: 1, chat_dialog_id: groupDialog._id, }; await ConnectyCube.chat.message .update("", params) .then(() => {}) .catch((error) => { failures.push(error); });
    }
    expect(failures).toEqual([]);
    expect(await ConnectyCube.chat.message.unreadCount({ chat_dialog_ids: [groupDialog._id] })).toEqual({ total: 0, [groupDialog._id]: 0 });
  });

  it('Search', async () => {
    let found: any;
    {
      const params = { search_text: "corrected", }; await ConnectyCube.chat .search(params) .then((result) => { found = result; }) .catch((error) => { failures.push(error); });
    }
    expect(failures).toEqual([]);
    expect(found.results.messages.map((message: Message) => message._id)).toEqual([mine[0]!._id]);
    expect(found.results.users.map((user: { id: number }) => user.id)).toEqual([me]);
    const byName = await ConnectyCube.chat.search({ search_text: 'Crossfit' });
    expect(byName.results.dialogs.map((dialog) => dialog._id)).toEqual([groupDialog._id]);
  });

  it('Chat permissions: allow_preview lets a non-member read the messages', async () => {
    const outsider = opponent(4);
    expect((await rejection(outsider.cube.chat.message.list({ chat_dialog_id: groupDialog._id, preview: 1 }))).code).toBe(403);
    const updated = await ConnectyCube.chat.dialog.update(groupDialog._id, { permissions: { allow_preview: true } });
    expect(updated.permissions).toEqual({ allow_preview: true });
    const preview = await outsider.cube.chat.message.list({ chat_dialog_id: groupDialog._id, preview: 1 });
    expect(preview.items.length).toBeGreaterThan(0);
    expect((await rejection(outsider.cube.chat.message.list({ chat_dialog_id: groupDialog._id }))).code).toBe(403);
  });
});
