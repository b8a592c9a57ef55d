/**
 * The seed docs' real-time chat snippets ("Send first chat message" Steps 3–5 and the "Chat" guide's
 * connect, status, disconnect, send/receive, metadata, sent/delivered/read/typing status, attachments,
 * system messages and ping), run with @parley/sdk as verbatim as possible: only `init` gets this
 * server's endpoints (and, in Node 20, a WebSocket class), each call is awaited, placeholder ids (56,
 * 78, 21, 123234, "5356c64ab35c12bd3b108a41", …) are replaced by ids from earlier steps, and empty
 * callbacks record what they get so the test can check it.
 *
 * Also edit/delete messages, message reactions (listen), mark active/inactive, last activity (get and
 * subscription), moderation (report user/message, block list = privacy list snippets) and "Pause chat
 * connection when ping fails"; listeners on this user's side are fed by the opponent doing the same.
 *
 * "Report user/message" write to custom tables that the guide makes in the dashboard; the test makes
 * them with the server's class service. Not here: chat alerts (push notifications), the browser
 * `offline` event and the 40 s periodic-ping snippets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import ConnectyCube, { ConnectyCubeClient, type Dialog } from '@parley/sdk';
import { startServer, type TestServer } from '@parley/testkit';
import { ChatEvents } from '../scenarios/chat-events.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- snippet results are read field by field */

describe('seed: real-time chat snippets (@parley/sdk)', () => {
  let server: TestServer;
  let opponentCube: ConnectyCubeClient;
  let opponentEvents: ChatEvents;
  let opponentId = 0;
  let me = 0;
  let dialog: Dialog;
  let groupDialog: Dialog;
  const received: { userId: number; message: any }[] = [];

  beforeAll(async () => {
    server = await startServer();
    const CREDENTIALS = { appId: server.app.id, authKey: server.app.authKey };
    const CONFIG = {
      endpoints: { api_url: server.url, chat: 'localhost', chat_url: server.wsUrl },
      chat: { websocket: WebSocket, streamManagement: { enable: true } },
    };
    opponentCube = new ConnectyCubeClient();
    opponentCube.init(CREDENTIALS, CONFIG);
    opponentId = (await opponentCube.createSession({ login: 'seedlive56', password: 'supersecurepwd' })).user_id as number;
    opponentEvents = new ChatEvents(opponentCube.chat as unknown as Record<string, unknown>);
    await opponentCube.chat.connect({ userId: opponentId, password: 'supersecurepwd' });
    await opponentCube.chat.ping();

    // Step 1 with this server's endpoints; Step 2: a user session created on the fly.
    ConnectyCube.init(CREDENTIALS, CONFIG);
    const userCredentials = { login: "marvin18", password: "supersecurepwd" };
    me = (await ConnectyCube.createSession(userCredentials)).user_id as number;
  });

  /** Another user for the snippets' placeholder ids (48, 18); never connects to chat. */
  async function extraUser(login: string): Promise<number> {
    const cube = new ConnectyCubeClient();
    cube.init({ appId: server.app.id, authKey: server.app.authKey }, { endpoints: { api_url: server.url, chat: 'localhost', chat_url: server.wsUrl } });
    return (await cube.createSession({ login, password: 'supersecurepwd' })).user_id as number;
  }
  afterAll(async () => {
    await ConnectyCube.chat.disconnect();
    await opponentCube.chat.disconnect();
    await server.stop();
  });

  it('Step 3 / Connect to chat, Connection status', async () => {
    let connected = false;
    const userCredentials = { userId: me, password: "supersecurepwd", }; await ConnectyCube.chat .connect(userCredentials) .then(() => { connected = true; }) .catch(() => {});
    expect(connected).toBe(true);
    const isConnected = ConnectyCube.chat.isConnected;
    expect(isConnected).toBe(true);
    await ConnectyCube.chat.ping();
  });

  it('Step 4 / Step 5: create a 1-1 chat, send, and the opponent receives', async () => {
    const params = { type: 3, occupants_ids: [opponentId], }; await ConnectyCube.chat.dialog .create(params) .then((created) => { dialog = created; }) .catch(() => {});
    const message: any = { type: dialog.type === 3 ? 'chat' : 'groupchat', body: "How are you today?", extension: { save_to_history: 1, dialog_id: dialog._id } }; message.id = ConnectyCube.chat.send(opponentId, message);
    const [userId, got] = await opponentEvents.next('message');
    expect(userId).toBe(me);
    expect(got).toMatchObject({ id: message.id, body: 'How are you today?', dialog_id: dialog._id });
    const history = await ConnectyCube.chat.message.list({ chat_dialog_id: dialog._id });
    expect(history.items.map((item: any) => item._id)).toContain(message.id);
  });

  it('Send/Receive (1-1) with metadata, and the opponent’s reply reaches onMessageListener', async () => {
    ConnectyCube.chat.onMessageListener = onMessage; function onMessage(userId: any, message: any) { received.push({ userId, message }); }
    const message: any = { type: dialog.type === 3 ? 'chat' : 'groupchat', body: "How are you today?", extension: { save_to_history: 1, dialog_id: dialog._id, field_one: "value_one", field_two: "value_two" } }; message.id = ConnectyCube.chat.send(opponentId, message);
    const [, got] = await opponentEvents.next('message');
    expect(got.extension).toMatchObject({ field_one: 'value_one', field_two: 'value_two' });
    opponentCube.chat.send(me, { type: 'chat', body: 'Fine, thanks', extension: { save_to_history: 1, dialog_id: dialog._id } });
    await expect.poll(() => received.length).toBe(1);
    expect(received[0]).toMatchObject({ userId: opponentId, message: { body: 'Fine, thanks', dialog_id: dialog._id } });
  });

  it('Group chat: join, send, receive, leave', async () => {
    groupDialog = await ConnectyCube.chat.dialog.create({ type: 2, name: 'Seed group', occupants_ids: [opponentId] });
    const dialog = groupDialog;
    await ConnectyCube.chat.muc.join(dialog._id).catch(() => {});
    const message: any = { type: dialog.type === 3 ? "chat" : "groupchat", body: "How are you today?", extension: { save_to_history: 1, dialog_id: dialog._id, } }; message.id = ConnectyCube.chat.send(dialog._id, message);
    const [userId, got] = await opponentEvents.next('message', ([, m]) => m.dialog_id === dialog._id);
    expect(userId).toBe(me);
    expect(got.id).toBe(message.id);
    let left = false;
    await ConnectyCube.chat.muc.leave(dialog._id).then(() => { left = true; }).catch(() => {});
    expect(left).toBe(true);
  });

  it('‘Sent’, ‘Delivered’ and ‘Read’ status', async () => {
    const sent: any[] = [];
    ConnectyCube.chat.onSentMessageCallback = function (messageLost: any, messageSent: any) { sent.push([messageLost, messageSent]); };
    const delivered: unknown[][] = [];
    ConnectyCube.chat.onDeliveredStatusListener = function (messageId: any, dialogId: any, userId: any) { delivered.push([messageId, dialogId, userId]); };
    const read: unknown[][] = [];
    ConnectyCube.chat.onReadStatusListener = function (messageId: any, dialogId: any, userId: any) { read.push([messageId, dialogId, userId]); };

    const id = ConnectyCube.chat.send(opponentId, { type: 'chat', body: 'status?', extension: { save_to_history: 1, dialog_id: dialog._id } });
    await expect.poll(() => sent.find(([, messageSent]) => messageSent?.id === id)).toEqual([null, expect.objectContaining({ id })]);
    await opponentEvents.next('message', ([, m]) => m.id === id);
    // The opponent's SDK sends 'delivered' on its own; 'read' with the snippet's call.
    await expect.poll(() => delivered.find(([messageId]) => messageId === id)).toEqual([id, dialog._id, opponentId]);
    const params = { messageId: id, userId: me, dialogId: dialog._id, }; opponentCube.chat.sendReadStatus(params);
    await expect.poll(() => read.find(([messageId]) => messageId === id)).toEqual([id, dialog._id, opponentId]);
    // The manual 'delivered' snippet, the other way round.
    ConnectyCube.chat.sendDeliveredStatus({ messageId: id, userId: opponentId, dialogId: dialog._id });
    expect(await opponentEvents.next('delivered', ([messageId, , userId]) => messageId === id && userId === me)).toEqual([id, dialog._id, me]);
  });

  it('‘Is typing’ status', async () => {
    ConnectyCube.chat.sendIsTypingStatus(opponentId); ConnectyCube.chat.sendIsStopTypingStatus(opponentId);
    expect(await opponentEvents.next('typing')).toEqual([true, me, null]);
    expect(await opponentEvents.next('typing')).toEqual([false, me, null]);
  });

  it('Attachments (photo): upload, send the uid to the dialog, download on the receiver’s side', async () => {
    const data = Buffer.from('a tiny photo');
    const fileParams = { file: data, name: "image.jpg", type: "image/jpeg", size: data.length, public: false };
    const prepareMessageWithAttachmentAndSend = (file: any) => { const message: any = { type: dialog.type === 3 ? "chat" : "groupchat", body: "attachment", extension: { save_to_history: 1, dialog_id: dialog._id, attachments: [{ uid: file.uid, id: file.id, type: "photo" }], }, }; message.id = ConnectyCube.chat.send(dialog._id, message); };
    await ConnectyCube.storage .createAndUpload(fileParams) .then(prepareMessageWithAttachmentAndSend) .catch(() => {});
    const [, message] = await opponentEvents.next('message', ([, m]) => m.body === 'attachment');
    expect(message.extension.attachments).toHaveLength(1);
    const fileUID = message.extension.attachments[0].uid;
    const fileUrl = opponentCube.storage.privateUrl(fileUID);
    const response = await fetch(fileUrl);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).toString()).toBe('a tiny photo');
  });

  it('Attachments (location)', async () => {
    const latitude = "64.7964274"; const longitude = "-23.7391878"; const message: any = { type: dialog.type === 3 ? "chat" : "groupchat", body: "attachment", extension: { save_to_history: 1, dialog_id: dialog._id, attachments: [{ latitude, longitude, type: "place" }], }, }; message.id = ConnectyCube.chat.send(dialog._id, message);
    const [, got] = await opponentEvents.next('message', ([, m]) => m.id === message.id);
    const attachment = got.extension.attachments[0];
    expect([attachment.latitude, attachment.longitude, attachment.type]).toEqual([latitude, longitude, 'place']);
  });

  it('System messages', async () => {
    const userId = opponentId; const msg = { body: "dialog/UPDATE_DIALOG", extension: { photo_uid: "7cafb6030d3e4348ba49cab24c0cf10800", name: "Our photos", }, }; ConnectyCube.chat.sendSystemMessage(userId, msg);
    const [notification] = await opponentEvents.next('system');
    expect(notification).toMatchObject({ userId: me, body: 'dialog/UPDATE_DIALOG', extension: { photo_uid: '7cafb6030d3e4348ba49cab24c0cf10800', name: 'Our photos' } });
  });

  it('Edit message: the opponent gets the edit, and onMessageUpdateListener gets the opponent’s', async () => {
    const originMessageId = ConnectyCube.chat.send(opponentId, { type: 'chat', body: 'uncorrected', extension: { save_to_history: 1, dialog_id: dialog._id } });
    await opponentEvents.next('message', ([, m]) => m.id === originMessageId);
    const updates: unknown[][] = [];
    ConnectyCube.chat.editMessage({ to: opponentId, /* either a user id if this is 1-1 chat or a chat dialog id */ dialogId: dialog._id, body: "corrected message body", originMessageId: originMessageId, /* origin message id to edit */ last: false /* pass 'true' if edit last (the newest) message in history */ }); ConnectyCube.chat.onMessageUpdateListener = (messageId: any, isLast: any, updatedBody: any, dialogId: any, userId: any) => { updates.push([messageId, isLast, updatedBody, dialogId, userId]); };
    // (The SDK passes the edit's extraParams as a 6th argument, which the snippet does not name.)
    expect((await opponentEvents.next('update')).slice(0, 5)).toEqual([originMessageId, false, 'corrected message body', dialog._id, me]);
    const history = await ConnectyCube.chat.message.list({ chat_dialog_id: dialog._id, _id: originMessageId });
    expect(history.items.map((item: any) => item.message)).toEqual(['corrected message body']);

    const theirs = opponentCube.chat.send(me, { type: 'chat', body: 'typo', extension: { save_to_history: 1, dialog_id: dialog._id } });
    opponentCube.chat.editMessage({ to: me, dialogId: dialog._id, body: 'no typo', originMessageId: theirs, last: true });
    await expect.poll(() => updates).toEqual([[theirs, true, 'no typo', dialog._id, opponentId]]);
  });

  it('Message reactions: the snippets’ REST calls reach onMessageReactionsListener', async () => {
    const messageId = ConnectyCube.chat.send(opponentId, { type: 'chat', body: 'react to me', extension: { save_to_history: 1, dialog_id: dialog._id } });
    await opponentEvents.next('message', ([, m]) => m.id === messageId);
    const mine: unknown[][] = [];
    ConnectyCube.chat.onMessageReactionsListener = (messageId: any, userId: any, dialogId: any, addReaction: any, removeReaction: any) => { mine.push([messageId, userId, dialogId, addReaction, removeReaction]); };

    { const reaction = '🔥'; await ConnectyCube.chat.message.addReaction(messageId, reaction) .then(() => {}) .catch(() => {}); }
    expect(await opponentEvents.next('reactions')).toEqual([messageId, me, dialog._id, '🔥', undefined]);
    { const reaction = '👎'; await ConnectyCube.chat.message.removeReaction(messageId, reaction) .then(() => {}) .catch(() => {}); }
    expect(await opponentEvents.next('reactions')).toEqual([messageId, me, dialog._id, undefined, '👎']);
    { const reactionToAdd = '👎'; const reactionToRemove = '🚀'; await ConnectyCube.chat.message.updateReaction(messageId, reactionToAdd, reactionToRemove) .then(() => {}) .catch(() => {}); }
    expect(await opponentEvents.next('reactions')).toEqual([messageId, me, dialog._id, '👎', '🚀']);
    let reactions: any; await ConnectyCube.chat.message.listReactions(messageId) .then((result) => { reactions = result; }) .catch(() => {});
    expect(reactions).toEqual({ '🔥': [me], '👎': [me] });

    // The opponent reacts: this user's listener hears it.
    await opponentCube.chat.message.addReaction(messageId, '🚀');
    await expect.poll(() => mine.filter(([, userId]) => userId === opponentId)).toEqual([[messageId, opponentId, dialog._id, '🚀', undefined]]);
  });

  it('Delete messages: the opponent gets the delete, and onMessageDeleteListener gets the opponent’s', async () => {
    const doomed = ConnectyCube.chat.send(opponentId, { type: 'chat', body: 'delete me', extension: { save_to_history: 1, dialog_id: dialog._id } });
    await opponentEvents.next('message', ([, m]) => m.id === doomed);
    const deletes: unknown[][] = [];
    ConnectyCube.chat.deleteMessage({ to: opponentId, /* either a user id if this is 1-1 chat or a chat dialog id */ dialogId: dialog._id, messageId: doomed /* message id to delete */ }); ConnectyCube.chat.onMessageDeleteListener = (messageId: any, dialogId: any, userId: any) => { deletes.push([messageId, dialogId, userId]); };
    expect(await opponentEvents.next('delete')).toEqual([doomed, dialog._id, me]);
    const history = await opponentCube.chat.message.list({ chat_dialog_id: dialog._id });
    expect(history.items.map((item: any) => item._id)).not.toContain(doomed);

    const theirs = opponentCube.chat.send(me, { type: 'chat', body: 'oops', extension: { save_to_history: 1, dialog_id: dialog._id } });
    await expect.poll(() => received.some(({ message }) => message.id === theirs)).toBe(true);
    opponentCube.chat.deleteMessage({ to: me, dialogId: dialog._id, messageId: theirs });
    await expect.poll(() => deletes).toEqual([[theirs, dialog._id, opponentId]]);
  });

  it('Mark a client as Active/Inactive: typing is held back while inactive and arrives on markActive', async () => {
    const typing: unknown[][] = [];
    ConnectyCube.chat.onMessageTypingListener = (isTyping: any, userId: any, dialogId: any) => { typing.push([isTyping, userId, dialogId]); };
    ConnectyCube.chat.markInactive();
    await ConnectyCube.chat.ping(); // the server has taken the mark
    opponentCube.chat.sendIsTypingStatus(me);
    await opponentCube.chat.ping(); // the typing has been routed
    await ConnectyCube.chat.ping(); // and would have reached this connection before the answer
    expect(typing).toEqual([]);
    ConnectyCube.chat.markActive();
    await expect.poll(() => typing).toEqual([[true, opponentId, null]]);
  });

  it('Get last activity', async () => {
    let activity: unknown;
    const userId = opponentId; await ConnectyCube.chat .getLastUserActivity(userId) .then((result) => { const userId = result.userId; const seconds = result.seconds; activity = { userId, seconds }; /* 'userId' was 'seconds' ago */ }) .catch(() => {});
    expect(activity).toEqual({ userId: opponentId, seconds: 0 });
  });

  it('Last activity subscription', async () => {
    const pushes: unknown[][] = [];
    const userId = opponentId;
    ConnectyCube.chat.onLastUserActivityListener = (userId: any, seconds: any) => { pushes.push([userId, seconds]); };
    ConnectyCube.chat.subscribeToUserLastActivityStatus(userId);
    // An online user's status is pushed at once.
    await expect.poll(() => pushes).toEqual([[opponentId, 0]]);
    ConnectyCube.chat.unsubscribeFromUserLastActivityStatus(userId);
    await ConnectyCube.chat.ping();
    expect(pushes).toEqual([[opponentId, 0]]);
  });

  it('Moderation / Block user: create, activate, blocked attempts, update, names, get, remove', async () => {
    const user48 = await extraUser('seedlive48');
    const user18 = await extraUser('seedlive18');
    const users = [ { user_id: opponentId, action: "deny" }, { user_id: user48, action: "deny", mutualBlock: true }, /* it means you can't write to user */ { user_id: user18, action: "allow" }, ]; const list = { name: "myList", items: users }; await ConnectyCube.chat.privacylist.create(list).catch(() => {});
    { const listName = "myList"; await ConnectyCube.chat.privacylist.setAsDefault(listName).catch(() => {}); }

    // Blocked user attempts to communicate with user: the opponent's message bounces, and this user
    // cannot write to the mutually blocked user 48.
    const errors: unknown[][] = [];
    ConnectyCube.chat.onMessageErrorListener = function (messageId: any, error: any) { errors.push([messageId, error]); };
    const bounced = opponentCube.chat.send(me, { type: 'chat', body: 'blocked?' });
    expect(await opponentEvents.next('error', ([messageId]) => messageId === bounced)).toEqual([bounced, expect.objectContaining({ code: 503 })]);
    const refused = ConnectyCube.chat.send(user48, { type: 'chat', body: 'to a blocked user' });
    await expect.poll(() => errors).toEqual([[refused, expect.objectContaining({ code: 406 })]]);
    expect(received.some(({ message }) => message.id === bounced)).toBe(false);

    { const listName = "myList"; const list = { name: listName, items: [{ user_id: opponentId, action: "allow" }], }; await ConnectyCube.chat.privacylist .setAsDefault(null) .then(() => ConnectyCube.chat.privacylist.update(list)) .then(() => ConnectyCube.chat.privacylist.setAsDefault(listName)) .catch(() => {}); }
    // `allow` took the opponent off the list: their messages arrive again.
    const allowed = opponentCube.chat.send(me, { type: 'chat', body: 'unblocked' });
    await expect.poll(() => received.some(({ message }) => message.id === allowed)).toBe(true);

    let names: any; await ConnectyCube.chat.privacylist .getNames() .then((response) => (names = response.names)) .catch(() => {});
    expect(new Set(names)).toEqual(new Set(['myList']));

    { const listName = "myList"; let name: any, items: any; await ConnectyCube.chat.privacylist.getList(listName).then((response) => { name = response.name; items = response.items; });
      expect(name).toBe('myList');
      expect(items).toEqual([{ user_id: user48, action: 'deny' }, { user_id: user18, action: 'allow' }]); }

    { const listName = "myList"; await ConnectyCube.chat.privacylist.delete(listName).catch(() => {}); }
    expect(await ConnectyCube.chat.privacylist.getNames()).toEqual({ default: null, active: null, names: [] });
  });

  it('Moderation / Report user and Report message, into tables made as in the dashboard', async () => {
    // The dashboard step. The guide types reportedMessageId as integer, but its snippet stores a
    // message id (a 24-hex string), so the table here takes a string.
    const classes = server.server.services.dataClasses;
    await classes.define(server.app.id, { name: 'UserReports', fields: [{ name: 'reportedUserId', type: 'Integer' }, { name: 'reason', type: 'String' }] });
    await classes.define(server.app.id, { name: 'MessageReports', fields: [{ name: 'reportedMessageId', type: 'String' }, { name: 'reason', type: 'String' }] });
    const message = (await ConnectyCube.chat.message.list({ chat_dialog_id: dialog._id, limit: 1 })).items[0] as any;

    { const reportedUserId = opponentId; const reason = "User is spamming with bad words"; await ConnectyCube.data.create('UserReports', { reportedUserId, reason }); }
    { const reportedMessageId = message._id; const reason = "The message contains phishing links"; await ConnectyCube.data.create('MessageReports', { reportedMessageId, reason }); }

    expect((await ConnectyCube.data.list('UserReports')).items).toMatchObject([{ reportedUserId: opponentId, reason: 'User is spamming with bad words', user_id: me }]);
    expect((await ConnectyCube.data.list('MessageReports')).items).toMatchObject([{ reportedMessageId: message._id, reason: 'The message contains phishing links', user_id: me }]);
  });

  it('Pause chat connection when ping fails: a live connection stays; a dead one is terminated and comes back', async () => {
    { const PING_TIMEOUT = 1000; try { await ConnectyCube.chat.pingWithTimeout(PING_TIMEOUT) } catch { ConnectyCube.chat.terminate() } }
    expect(ConnectyCube.chat.isConnected).toBe(true);

    const disconnected = new Promise<void>((resolve) => (ConnectyCube.chat.onDisconnectedListener = resolve));
    const reconnected = new Promise<void>((resolve) => (ConnectyCube.chat.onReconnectListener = resolve));
    expect(server.closeChatConnections(me)).toBe(1);
    await disconnected;
    let terminated = false;
    { const PING_TIMEOUT = 1000; try { await ConnectyCube.chat.pingWithTimeout(PING_TIMEOUT) } catch { ConnectyCube.chat.terminate(); terminated = true; } }
    expect(terminated).toBe(true);
    await reconnected; // the SDK's reconnect (5 s by default) brings the connection back
    expect(ConnectyCube.chat.isConnected).toBe(true);
    await ConnectyCube.chat.ping();
  });

  it('Ping server, then Disconnect', async () => {
    let alive = false;
    const PING_TIMEOUT = 3000; await ConnectyCube.chat.pingWithTimeout(PING_TIMEOUT) .then(() => { alive = true; }).catch(() => {});
    expect(alive).toBe(true);
    let disconnected = 0;
    ConnectyCube.chat.onDisconnectedListener = onDisconnectedListener; function onDisconnectedListener() { disconnected += 1; }
    ConnectyCube.chat.onReconnectListener = onReconnectListener; function onReconnectListener() {}
    await ConnectyCube.chat.disconnect();
    expect(disconnected).toBe(1);
    expect(ConnectyCube.chat.isConnected).toBe(false);
  });

  it('Connect to chat with the session token as password (custom authentication providers)', async () => {
    const token = ConnectyCube.service.sdkInstance.session!.token; const userCredentials = { userId: me, password: token as string };
    await ConnectyCube.chat.connect(userCredentials);
    expect(ConnectyCube.chat.isConnected).toBe(true);
  });
});
