import { describe, expect, it } from 'vitest';
import { databaseKinds } from '@parley/testkit';
import { ChatEvents } from './chat-events.js';
import { CHAT_PASSWORD, liveChatServer } from './chat-live.js';
import { rejection, type SdkFlavour, type ScenarioTarget } from './sdk.js';

const HEX24 = /^[0-9a-f]{24}$/;

/* eslint-disable @typescript-eslint/no-explicit-any -- SDK events and responses are checked field by field */
/**
 * Real-time chat (realtime.md §3–§8) through an SDK against the real server: two and three users on
 * separate SDK instances exchange 1-1 and group messages, markers, typing and system messages, and
 * what was sent with `save_to_history` is then in REST history under the same id.
 */
export function chatRealtimeScenarios(sdk: SdkFlavour, targets: ScenarioTarget[] = databaseKinds): void {
  describe.each(targets)(`${sdk.name}: real-time chat on %s`, (db) => {
    const { scenario, chatCube, signUp, chatters, disconnectAll, history, group } = liveChatServer(sdk, db, {
      prefix: 'live',
      reconnect: { enable: true, timeInterval: 1 },
    });

    it('1-1: bob receives what alice sends, with the dialog and date injected, and REST history has the same id', async () => {
      const [alice, bob] = await chatters(2);
      const id = alice.cube.chat.send(bob.id, { type: 'chat', body: 'How are you?', extension: { save_to_history: 1, customer_ref: 'A-17' } });
      expect(id).toMatch(HEX24);
      const [from, message] = await bob.events.next('message');
      expect(from).toBe(alice.id);
      expect(message).toMatchObject({ id, type: 'chat', body: 'How are you?', recipient_id: bob.id });
      expect(message.dialog_id).toMatch(HEX24);
      expect(message.extension).toMatchObject({ save_to_history: '1', customer_ref: 'A-17', dialog_id: message.dialog_id });
      expect(Number(message.extension.date_sent)).toBeGreaterThan(0);

      const [stored] = await history(alice, message.dialog_id);
      expect(stored).toMatchObject({ _id: id, message: 'How are you?', sender_id: alice.id, recipient_id: bob.id, customer_ref: 'A-17' });
      expect(stored.date_sent).toBe(Number(message.extension.date_sent));
      const dialog = (await bob.cube.chat.dialog.list({ _id: message.dialog_id })).items[0];
      expect(dialog).toMatchObject({ type: 3, last_message: 'How are you?', last_message_id: id });
      await disconnectAll(alice, bob);
    });

    it('confirms a message to its sender (stream management) only once it is stored', async () => {
      const [alice, bob] = await chatters(2);
      const dialog = await alice.cube.chat.dialog.create({ type: 3, occupants_ids: [bob.id] });
      const id = alice.cube.chat.send(bob.id, { type: 'chat', body: 'acked', extension: { save_to_history: 1, dialog_id: dialog._id } });
      const [lost, sent] = await alice.events.next('sent');
      expect(lost).toBeNull();
      expect(sent.id).toBe(id);
      // The ack came after the commit, so history already has it, without waiting for bob.
      expect((await history(alice, dialog._id)).map((item) => item._id)).toEqual([id]);
      await bob.events.next('message');
      await disconnectAll(alice, bob);
    });

    it('delivers a burst in order and stores all of it', async () => {
      const [alice, bob] = await chatters(2);
      const dialog = await alice.cube.chat.dialog.create({ type: 3, occupants_ids: [bob.id] });
      const ids = Array.from({ length: 30 }, (_, index) =>
        alice.cube.chat.send(bob.id, { type: 'chat', body: `burst ${index}`, extension: { save_to_history: 1, dialog_id: dialog._id } }),
      );
      const received: string[] = [];
      for (let index = 0; index < ids.length; index += 1) received.push((await bob.events.next('message'))[1].id);
      expect(received).toEqual(ids);
      // History orders by date_sent, then _id; SDK ids are random within one second (compat-notes).
      expect((await history(bob, dialog._id)).map((item) => item._id).sort()).toEqual([...ids].sort());
      await disconnectAll(alice, bob);
    });

    it('stores a resent id once', async () => {
      const [alice, bob] = await chatters(2);
      const dialog = await alice.cube.chat.dialog.create({ type: 3, occupants_ids: [bob.id] });
      const message = { type: 'chat', body: 'twice', extension: { save_to_history: 1, dialog_id: dialog._id } };
      const id = alice.cube.chat.send(bob.id, message);
      alice.cube.chat.send(bob.id, { ...message, id });
      await bob.events.next('message', ([, received]) => received.id === id);
      await bob.events.next('message', ([, received]) => received.id === id);
      expect((await history(bob, dialog._id)).map((item) => item._id)).toEqual([id]);
      await disconnectAll(alice, bob);
    });

    it('reaches every connection of the recipient, and the sender’s other connection gets a sent carbon', async () => {
      const [alice, bob] = await chatters(2);
      const bobPhone = chatCube();
      const bobPhoneEvents = new ChatEvents(bobPhone.chat as unknown as Record<string, unknown>);
      await bobPhone.chat.connect({ userId: bob.id, password: CHAT_PASSWORD });
      const aliceLaptop = chatCube();
      const aliceLaptopEvents = new ChatEvents(aliceLaptop.chat as unknown as Record<string, unknown>);
      await aliceLaptop.chat.connect({ userId: alice.id, password: CHAT_PASSWORD });

      const id = alice.cube.chat.send(bob.id, { type: 'chat', body: 'to all your devices', extension: { save_to_history: 1 } });
      for (const events of [bob.events, bobPhoneEvents]) expect((await events.next('message'))[1]).toMatchObject({ id, body: 'to all your devices' });
      const [carbonFrom, carbon] = await aliceLaptopEvents.next('message');
      expect(carbonFrom).toBe(alice.id);
      expect(carbon).toMatchObject({ id, is_forwarded: true, recipient_id: bob.id });
      await disconnectAll(alice, bob);
      await Promise.all([bobPhone.chat.disconnect(), aliceLaptop.chat.disconnect()]);
    });

    it('refuses messages to unknown users, other apps’ users and foreign dialogs, storing nothing', async () => {
      const [alice, bob, carol] = await chatters(3);
      const unknown = alice.cube.chat.send(`999999-${scenario.server.app.id}@localhost`, { type: 'chat', body: 'hello?', extension: { save_to_history: 1 } });
      expect(await alice.events.next('error')).toEqual([unknown, expect.objectContaining({ code: 404 })]);
      const otherApp = alice.cube.chat.send(`${bob.id}-${scenario.server.app.id + 1000}@localhost`, { type: 'chat', body: 'hello?', extension: { save_to_history: 1 } });
      expect(await alice.events.next('error')).toEqual([otherApp, expect.objectContaining({ code: 404 })]);

      const bobAndCarol = await bob.cube.chat.dialog.create({ type: 3, occupants_ids: [carol.id] });
      const foreign = alice.cube.chat.send(bob.id, { type: 'chat', body: 'sneaky', extension: { save_to_history: 1, dialog_id: bobAndCarol._id } });
      expect(await alice.events.next('error')).toEqual([foreign, expect.objectContaining({ code: 403 })]);
      expect(await history(bob, bobAndCarol._id)).toEqual([]);
      expect((await alice.cube.chat.dialog.list()).items).toEqual([]);
      await disconnectAll(alice, bob, carol);
    });

    it('gives a fresh id to a message whose id another dialog already uses', async () => {
      const [alice, bob, carol] = await chatters(3);
      const id = alice.cube.chat.send(bob.id, { type: 'chat', body: 'first', extension: { save_to_history: 1 } });
      const [, first] = await bob.events.next('message');
      alice.cube.chat.send(carol.id, { id, type: 'chat', body: 'second', extension: { save_to_history: 1 } });
      const [, second] = await carol.events.next('message');
      expect(second.id).toMatch(HEX24);
      expect(second.id).not.toBe(id);
      expect((await history(carol, second.dialog_id)).map((item) => [item._id, item.message])).toEqual([[second.id, 'second']]);
      expect((await history(bob, first.dialog_id)).map((item) => [item._id, item.message])).toEqual([[id, 'first']]);
      await disconnectAll(alice, bob, carol);
    });

    it('routes delivered and read markers and stores them as REST read state', async () => {
      const [alice, bob] = await chatters(2);
      const dialog = await alice.cube.chat.dialog.create({ type: 3, occupants_ids: [bob.id] });
      const id = alice.cube.chat.send(bob.id, { type: 'chat', body: 'mark me', extension: { save_to_history: 1, dialog_id: dialog._id } });
      await bob.events.next('message');
      // Both SDKs send `received` on their own for incoming messages from others.
      expect(await alice.events.next('delivered')).toEqual([id, dialog._id, bob.id]);
      bob.cube.chat.sendReadStatus({ messageId: id, userId: alice.id, dialogId: dialog._id });
      expect(await alice.events.next('read')).toEqual([id, dialog._id, bob.id]);
      const [stored] = await history(alice, dialog._id);
      expect(stored.read_ids).toEqual(expect.arrayContaining([alice.id, bob.id]));
      expect(stored.delivered_ids).toEqual(expect.arrayContaining([alice.id, bob.id]));
      expect((await bob.cube.chat.dialog.list({ _id: dialog._id })).items[0].unread_messages_count).toBe(0);
      await disconnectAll(alice, bob);
    });

    it('routes typing to the peer, in 1-1 and in groups (not back to the typist)', async () => {
      const [alice, bob, carol] = await chatters(3);
      alice.cube.chat.sendIsTypingStatus(bob.id);
      expect(await bob.events.next('typing')).toEqual([true, alice.id, null]);
      alice.cube.chat.sendIsStopTypingStatus(bob.id);
      expect(await bob.events.next('typing')).toEqual([false, alice.id, null]);

      const room = await group(alice, [bob, carol]);
      alice.cube.chat.sendIsTypingStatus(room._id);
      expect(await bob.events.next('typing')).toEqual([true, alice.id, room._id]);
      expect(await carol.events.next('typing')).toEqual([true, alice.id, room._id]);
      // A later message from alice to herself via the room is the barrier: by then no typing came back.
      alice.cube.chat.send(room._id, { type: 'groupchat', body: 'barrier', extension: { save_to_history: 1 } });
      await alice.events.next('message');
      expect(alice.events.unconsumed('typing')).toEqual([]);
      await disconnectAll(alice, bob, carol);
    });

    it('group: members receive without joining, the sender gets the reflection, history has it', async () => {
      const [alice, bob, carol] = await chatters(3);
      const room = await group(alice, [bob, carol]);
      const id = carol.cube.chat.send(room._id, { type: 'groupchat', body: 'Hello all', extension: { save_to_history: 1 } });
      for (const member of [alice, bob]) {
        const [from, message] = await member.events.next('message');
        expect(from).toBe(carol.id);
        expect(message).toMatchObject({ id, type: 'groupchat', body: 'Hello all', dialog_id: room._id });
      }
      const [self, reflection] = await carol.events.next('message');
      expect(self).toBe(carol.id);
      expect(reflection.id).toBe(id);
      expect((await history(bob, room._id)).map((item) => [item._id, item.sender_id])).toEqual([[id, carol.id]]);
      await disconnectAll(alice, bob, carol);
    });

    it('group: an outsider may not post and gets an error; nothing is stored', async () => {
      const [alice, bob, mallory] = await chatters(3);
      const room = await group(alice, [bob]);
      const id = mallory.cube.chat.send(room._id, { type: 'groupchat', body: 'let me in', extension: { save_to_history: 1 } });
      const [errorId, error] = await mallory.events.next('error');
      expect(errorId).toBe(id);
      expect(error.code).toBe(403);
      expect(await history(alice, room._id)).toEqual([]);
      await disconnectAll(alice, bob, mallory);
    });

    it('MUC: join announces occupants, lists them, leave ends them; outsiders cannot join', async () => {
      const [alice, bob, mallory] = await chatters(3);
      const room = await group(alice, [bob]);
      await alice.cube.chat.muc.join(room._id);
      await bob.cube.chat.muc.join(room._id);
      expect(await alice.events.next('join')).toEqual([room._id, bob.id]);
      expect([...(await alice.cube.chat.muc.listOnlineUsers(room._id))].sort((a, b) => a - b)).toEqual([alice.id, bob.id].sort((a, b) => a - b));
      await bob.cube.chat.muc.leave(room._id);
      expect(await alice.events.next('leave')).toEqual([room._id, bob.id]);
      const refused: any = await mallory.cube.chat.muc.join(room._id).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toMatchObject({ code: '407' });
      await disconnectAll(alice, bob, mallory);
    });

    it('REST send_to_chat: the stored message reaches the recipient live with its id, and the sender as a carbon', async () => {
      const [alice, bob] = await chatters(2);
      // Without send_to_chat nothing is routed: the first message bob gets is the second one.
      const quiet = await alice.cube.chat.message.create({ recipient_id: bob.id, message: 'history only' });
      const created = await alice.cube.chat.message.create({
        recipient_id: bob.id,
        message: 'over REST',
        send_to_chat: 1,
        customer_ref: 'R-1',
        attachments: [{ uid: 'f00d', type: 'image', size: 48211 }],
      });
      const [from, message] = await bob.events.next('message');
      expect(from).toBe(alice.id);
      expect(message).toMatchObject({ id: created._id, type: 'chat', body: 'over REST', dialog_id: quiet.chat_dialog_id, recipient_id: bob.id });
      expect(message.extension).toMatchObject({ save_to_history: '1', customer_ref: 'R-1', dialog_id: created.chat_dialog_id, date_sent: String(created.date_sent) });
      expect(message.extension.attachments).toEqual([expect.objectContaining({ uid: 'f00d', type: 'image' })]);
      const [carbonFrom, carbon] = await alice.events.next('message');
      expect(carbonFrom).toBe(alice.id);
      expect(carbon).toMatchObject({ id: created._id, is_forwarded: true, recipient_id: bob.id });
      // Stored once, as REST stores it.
      expect((await history(bob, created.chat_dialog_id)).map((item) => item._id)).toEqual([quiet._id, created._id]);
      await disconnectAll(alice, bob);
    });

    it('REST send_to_chat: a group message reaches every member, the sender included, from the sender', async () => {
      const [alice, bob, carol] = await chatters(3);
      const room = await group(alice, [bob, carol]);
      const created = await carol.cube.chat.message.create({ chat_dialog_id: room._id, message: 'Hello all, via REST', send_to_chat: '1' });
      for (const member of [alice, bob, carol]) {
        const [from, message] = await member.events.next('message');
        expect(from).toBe(carol.id);
        expect(message).toMatchObject({ id: created._id, type: 'groupchat', body: 'Hello all, via REST', dialog_id: room._id });
        expect(message.extension.date_sent).toBe(String(created.date_sent));
      }
      expect((await history(bob, room._id)).map((item) => [item._id, item.sender_id])).toEqual([[created._id, carol.id]]);
      await disconnectAll(alice, bob, carol);
    });

    it('REST send_to_chat to an offline user is delivered when they connect', async () => {
      const [alice] = await chatters(1);
      const bob = await signUp();
      const created = await alice.cube.chat.message.create({ recipient_id: bob.id, message: 'queued from REST', send_to_chat: 1 });
      await bob.cube.chat.connect({ userId: bob.id, password: CHAT_PASSWORD });
      const [from, message] = await bob.events.next('message');
      expect(from).toBe(alice.id);
      expect(message).toMatchObject({ id: created._id, body: 'queued from REST' });
      expect(message.delay).toBeDefined();
      await disconnectAll(alice, bob);
    });

    it('system messages over XMPP and over REST reach the recipient and are not stored', async () => {
      const [alice, bob] = await chatters(2);
      const id = alice.cube.chat.sendSystemMessage(bob.id, { body: 'dialog/UPDATE_DIALOG', extension: { photo_uid: '7caf', name: 'Our photos' } });
      const [notification] = await bob.events.next('system');
      expect(notification).toMatchObject({ id, userId: alice.id, body: 'dialog/UPDATE_DIALOG', extension: { photo_uid: '7caf', name: 'Our photos' } });

      const created = await alice.cube.chat.message.createSystem({ recipientId: bob.id, param1: 'value1' });
      expect(created).toEqual({ messageId: expect.stringMatching(HEX24), recipientId: bob.id, extensionParams: { param1: 'value1' } });
      const [fromRest] = await bob.events.next('system');
      expect(fromRest).toMatchObject({ id: created.messageId, userId: alice.id, extension: { param1: 'value1' } });
      for (const bad of [{ param1: 'no recipient' }, { recipientId: 'abc' }, { recipientId: 99_999_999 }]) {
        expect(await rejection(alice.cube.chat.message.createSystem(bad))).toMatchObject({ code: 422, info: { errors: { recipientId: [expect.any(String)] } } });
      }
      await disconnectAll(alice, bob);
    });

    it('online users over REST follow chat connections', async () => {
      const [alice] = await chatters(1);
      const online = await alice.cube.users.listOnline({ limit: 100 });
      expect(JSON.stringify(online)).toContain(`"id":${alice.id}`);
      await alice.cube.chat.disconnect();
    });

    it('a message to an offline user is delivered when they connect', async () => {
      const [alice] = await chatters(1);
      const bob = await signUp();
      const events = bob.events;
      const id = alice.cube.chat.send(bob.id, { type: 'chat', body: 'while you were away', extension: { save_to_history: 1 } });
      await alice.events.next('sent');
      await bob.cube.chat.connect({ userId: bob.id, password: CHAT_PASSWORD });
      const [from, message] = await events.next('message');
      expect(from).toBe(alice.id);
      expect(message).toMatchObject({ id, body: 'while you were away' });
      expect(message.delay).toBeDefined();
      await bob.cube.chat.disconnect();
      await alice.cube.chat.disconnect();
    });

    it('logs in with the session token as password; a wrong password is refused', async () => {
      const person = await signUp();
      await person.cube.chat.connect({ userId: person.id, password: person.token });
      expect(person.cube.chat.isConnected).toBe(true);
      await person.cube.chat.disconnect();
      const other = await signUp();
      await expect(other.cube.chat.connect({ userId: other.id, password: 'wrong-password' })).rejects.toBe('not-authorized');
    });

    it('reconnects by itself after the server closes the socket', async () => {
      const [alice, bob] = await chatters(2);
      expect(scenario.server.closeChatConnections(alice.id)).toBeGreaterThan(0);
      await alice.events.next('disconnected');
      await alice.events.next('reconnected', () => true, 10_000);
      bob.cube.chat.send(alice.id, { type: 'chat', body: 'still there?' });
      const [, message] = await alice.events.next('message');
      expect(message.body).toBe('still there?');
      await disconnectAll(alice, bob);
    });
  });
}
