import { describe, expect, it } from 'vitest';
import { databaseKinds } from '@parley/testkit';
import { liveChatServer, type Chatter } from './chat-live.js';
import { rejection, type SdkFlavour, type ScenarioTarget } from './sdk.js';

/**
 * Last activity and status streaming (realtime.md §9) and privacy lists with blocking (§10, §7.11)
 * through an SDK against the real server. Time passes by moving the server's clock, never by sleeping;
 * "not delivered" is checked after a barrier (the sender's bounce, then a ping of the recipient).
 */
export function chatPrivacyScenarios(sdk: SdkFlavour, targets: ScenarioTarget[] = databaseKinds): void {
  describe.each(targets)(`${sdk.name}: last activity and privacy lists on %s`, (db) => {
    const { scenario, signUp, online, chatters, disconnectAll } = liveChatServer(sdk, db, { prefix: 'priv', reconnect: { enable: false } });
    const { unique } = scenario;

    /** `owner` blocks `blocked` in a default list (mutually or one-way). */
    async function block(owner: Chatter, blocked: Chatter, mutualBlock: boolean): Promise<string> {
      const name = unique('block');
      await owner.cube.chat.privacylist.create({ name, items: [{ user_id: blocked.id, action: 'deny', mutualBlock }] });
      await owner.cube.chat.privacylist.setAsDefault(name);
      return name;
    }

    describe('last activity (XEP-0012)', () => {
      it('reports 0 for an online user, whole seconds since the disconnect afterwards, and fires the listener', async () => {
        const [alice, bob] = await chatters(2);
        expect(await alice.cube.chat.getLastUserActivity(bob.id)).toEqual({ userId: bob.id, seconds: 0 });
        expect(await alice.events.next('lastActivity')).toEqual([bob.id, 0]);

        // The subscription's push says when bob's disconnect has been recorded.
        alice.cube.chat.subscribeToUserLastActivityStatus(bob.id);
        expect(await alice.events.next('lastActivity')).toEqual([bob.id, 0]);
        await bob.cube.chat.disconnect();
        expect(await alice.events.next('lastActivity')).toEqual([bob.id, 1]);

        scenario.moveClock(90_000);
        const later = await alice.cube.chat.getLastUserActivity(bob.id);
        expect(later.userId).toBe(bob.id);
        expect(later.seconds).toBeGreaterThanOrEqual(90);
        expect(later.seconds).toBeLessThan(120);
        await disconnectAll(alice);
      });

      it('answers 404 for users who never connected, unknown users and users of other applications', async () => {
        const [alice] = await chatters(1);
        const neverConnected = await signUp();
        expect(await rejection(alice.cube.chat.getLastUserActivity(neverConnected.id))).toMatchObject({ code: 404 });
        expect(await rejection(alice.cube.chat.getLastUserActivity(neverConnected.id + 100_000))).toMatchObject({ code: 404 });

        const appB = await scenario.server.createApp(unique('priv-app-b'));
        const foreigner = await online(await signUp(appB));
        expect(await rejection(alice.cube.chat.getLastUserActivity(`${foreigner.id}-${appB.id}@localhost`))).toMatchObject({ code: 404 });
        expect(await foreigner.cube.chat.getLastUserActivity(foreigner.id)).toEqual({ userId: foreigner.id, seconds: 0 });
        await disconnectAll(alice, foreigner);
      });

      it('pushes to subscribers when the user comes online and goes offline, until they unsubscribe', async () => {
        const [alice] = await chatters(1);
        const bob = await signUp();
        // Never connected: no value to push yet.
        alice.cube.chat.subscribeToUserLastActivityStatus(bob.id);
        await alice.cube.chat.ping();
        expect(alice.events.unconsumed('lastActivity')).toEqual([]);

        await online(bob);
        expect(await alice.events.next('lastActivity')).toEqual([bob.id, 0]);
        await bob.cube.chat.disconnect();
        expect(await alice.events.next('lastActivity')).toEqual([bob.id, 1]);

        alice.cube.chat.unsubscribeFromUserLastActivityStatus(bob.id);
        await alice.cube.chat.ping();
        await online(bob);
        // The answer to this query is the barrier: no push came before it.
        expect(await alice.cube.chat.getLastUserActivity(bob.id)).toEqual({ userId: bob.id, seconds: 0 });
        expect(alice.events.unconsumed('lastActivity')).toEqual([[bob.id, 0]]);
        await disconnectAll(alice, bob);
      });
    });

    describe('privacy lists (XEP-0016)', () => {
      it('creates, reads, names, defaults, updates and deletes lists', async () => {
        const [alice] = await chatters(1);
        const [bob, carol, dave] = [await signUp(), await signUp(), await signUp()];
        const { privacylist } = alice.cube.chat;
        await privacylist.create({
          name: 'friends-first',
          items: [
            { user_id: bob.id, action: 'deny' },
            { user_id: carol.id, action: 'deny', mutualBlock: true },
            { user_id: dave.id, action: 'allow' },
          ],
        });
        // Only user_id and action come back (the SDK skips the MUC items by position, [R-12]).
        expect(await privacylist.getList('friends-first')).toEqual({
          name: 'friends-first',
          items: [
            { user_id: bob.id, action: 'deny' },
            { user_id: carol.id, action: 'deny' },
            { user_id: dave.id, action: 'allow' },
          ],
        });
        await privacylist.create({ name: 'second', items: [{ user_id: bob.id, action: 'deny' }] });
        expect(await privacylist.getNames()).toEqual({ default: null, active: null, names: ['friends-first', 'second'] });

        await privacylist.setAsDefault('friends-first');
        // The SDK lists every child's name, the default's included.
        expect(await privacylist.getNames()).toEqual({ default: 'friends-first', active: null, names: ['friends-first', 'friends-first', 'second'] });

        // update = getList + merge + create; `allow` removes the user.
        await privacylist.update({ name: 'friends-first', items: [{ user_id: carol.id, action: 'allow' }] });
        expect((await privacylist.getList('friends-first')).items).toEqual([
          { user_id: bob.id, action: 'deny' },
          { user_id: dave.id, action: 'allow' },
        ]);

        await privacylist.setAsDefault(null);
        expect((await privacylist.getNames()).default).toBeNull();
        await privacylist.delete('second');
        expect(await privacylist.getNames()).toEqual({ default: null, active: null, names: ['friends-first'] });

        // Deleting the default list clears the default ([R-13]).
        await privacylist.setAsDefault('friends-first');
        await privacylist.delete('friends-first');
        expect(await privacylist.getNames()).toEqual({ default: null, active: null, names: [] });
        await disconnectAll(alice);
      });

      it('rejects unknown names with 404 and changes nothing', async () => {
        const [alice] = await chatters(1);
        const bob = await signUp();
        const { privacylist } = alice.cube.chat;
        await privacylist.create({ name: 'kept', items: [{ user_id: bob.id, action: 'deny' }] });
        expect(await rejection(privacylist.delete('missing'))).toMatchObject({ code: 404 });
        expect(await rejection(privacylist.setAsDefault('missing'))).toMatchObject({ code: 404 });
        // The SDK does not check errors on getList and resolves an empty list.
        expect((await privacylist.getList('missing')).items).toEqual([]);
        expect(await privacylist.getNames()).toEqual({ default: null, active: null, names: ['kept'] });
        await disconnectAll(alice);
      });

      it('keeps each user’s lists to that user and application', async () => {
        const [alice, bob] = await chatters(2);
        await alice.cube.chat.privacylist.create({ name: 'mine', items: [{ user_id: bob.id, action: 'deny' }] });
        expect(await bob.cube.chat.privacylist.getNames()).toEqual({ default: null, active: null, names: [] });
        expect((await bob.cube.chat.privacylist.getList('mine')).items).toEqual([]);

        const appB = await scenario.server.createApp(unique('priv-app-c'));
        const foreigner = await online(await signUp(appB));
        expect((await foreigner.cube.chat.privacylist.getNames()).names).toEqual([]);
        await disconnectAll(alice, bob, foreigner);
      });
    });

    describe('blocking', () => {
      it('a one-way block: the blocked user’s messages bounce with 503 and nothing reaches the owner, who can still write', async () => {
        const [alice, bob] = await chatters(2);
        const dialog = await alice.cube.chat.dialog.create({ type: 3, occupants_ids: [bob.id] });
        const listName = await block(bob, alice, false);

        const id = alice.cube.chat.send(bob.id, { type: 'chat', body: 'can you hear me?', extension: { save_to_history: 1, dialog_id: dialog._id } });
        expect(await alice.events.next('error')).toEqual([id, expect.objectContaining({ code: 503 })]);
        alice.cube.chat.sendIsTypingStatus(bob.id);
        alice.cube.chat.sendReadStatus({ messageId: id, userId: bob.id, dialogId: dialog._id });
        alice.cube.chat.sendSystemMessage(bob.id, { body: 'ring', extension: { kind: 'poke' } });
        // Call signalling rides on headlines too (realtime.md §12.3).
        alice.cube.chat.sendSystemMessage(bob.id, { body: 'call', extension: { moduleIdentifier: 'WebRTCVideoChat', signalType: 'call' } });
        const barrier = alice.cube.chat.send(bob.id, { type: 'chat', body: 'barrier' });
        expect(await alice.events.next('error')).toEqual([barrier, expect.objectContaining({ code: 503 })]);
        await bob.cube.chat.ping();
        for (const kind of ['message', 'typing', 'read', 'system'] as const) expect(bob.events.unconsumed(kind)).toEqual([]);
        expect((await bob.cube.chat.message.list({ chat_dialog_id: dialog._id })).items).toEqual([]);
        expect(await rejection(alice.cube.chat.getLastUserActivity(bob.id))).toMatchObject({ code: 403 });

        // The owner can still write to the blocked user.
        const reply = bob.cube.chat.send(alice.id, { type: 'chat', body: 'I can write to you' });
        expect((await alice.events.next('message'))[1]).toMatchObject({ id: reply, body: 'I can write to you' });

        // Unblocking restores delivery.
        await bob.cube.chat.privacylist.delete(listName);
        const again = alice.cube.chat.send(bob.id, { type: 'chat', body: 'now?' });
        expect((await bob.events.next('message'))[1]).toMatchObject({ id: again, body: 'now?' });
        alice.cube.chat.sendIsTypingStatus(bob.id);
        expect(await bob.events.next('typing')).toEqual([true, alice.id, null]);
        await disconnectAll(alice, bob);
      });

      it('REST across a block: send_to_chat is refused and stores nothing; system messages and reactions are not delivered', async () => {
        const [alice, bob] = await chatters(2);
        await block(bob, alice, false);
        // No private dialog yet: refused before one is created (realtime.md §10.5).
        expect(await rejection(alice.cube.chat.message.create({ recipient_id: bob.id, message: 'REST push', send_to_chat: 1 }))).toMatchObject({ code: 403 });
        expect((await alice.cube.chat.dialog.list()).items).toEqual([]);
        // The owner can still write (and so the dialog exists); alice's REST send_to_chat into it is refused too.
        const fromOwner = await bob.cube.chat.message.create({ recipient_id: alice.id, message: 'from the blocker', send_to_chat: 1 });
        expect((await alice.events.next('message'))[1]).toMatchObject({ id: fromOwner._id });
        expect((await bob.events.next('message'))[1]).toMatchObject({ id: fromOwner._id, is_forwarded: true });
        expect(await rejection(alice.cube.chat.message.create({ chat_dialog_id: fromOwner.chat_dialog_id, message: 'again', send_to_chat: 1 }))).toMatchObject({ code: 403 });
        expect((await bob.cube.chat.message.list({ chat_dialog_id: fromOwner.chat_dialog_id })).items.map((item: { _id: string }) => item._id)).toEqual([fromOwner._id]);

        await alice.cube.chat.message.createSystem({ recipientId: bob.id, param1: 'poke' });
        await alice.cube.chat.message.addReaction(fromOwner._id, '👍');
        // Each REST call returned after routing; bob's ping answer comes after anything routed to him.
        await bob.cube.chat.ping();
        for (const kind of ['message', 'system', 'reactions'] as const) expect(bob.events.unconsumed(kind)).toEqual([]);
        // Without the block the same calls arrive.
        await bob.cube.chat.privacylist.setAsDefault(null);
        const allowed = await alice.cube.chat.message.create({ chat_dialog_id: fromOwner.chat_dialog_id, message: 'now?', send_to_chat: 1 });
        expect((await bob.events.next('message'))[1]).toMatchObject({ id: allowed._id });
        await alice.cube.chat.message.createSystem({ recipientId: bob.id, param1: 'poke' });
        expect((await bob.events.next('system'))[0]).toMatchObject({ userId: alice.id, extension: { param1: 'poke' } });
        await disconnectAll(alice, bob);
      });

      it('REST send_to_chat of the owner of a mutual block is refused; a group message skips the member who blocks the sender', async () => {
        const [alice, bob, carol] = await chatters(3);
        await block(alice, bob, true);
        expect(await rejection(alice.cube.chat.message.create({ recipient_id: bob.id, message: 'to the blocked', send_to_chat: 1 }))).toMatchObject({ code: 403 });

        // Alice blocks bob: bob's group messages reach carol and bob himself, not alice.
        const room = await carol.cube.chat.dialog.create({ type: 2, name: unique('room'), occupants_ids: [alice.id, bob.id] });
        const created = await bob.cube.chat.message.create({ chat_dialog_id: room._id, message: 'hello group', send_to_chat: 1 });
        for (const member of [carol, bob]) expect((await member.events.next('message'))[1]).toMatchObject({ id: created._id });
        await alice.cube.chat.ping();
        expect(alice.events.unconsumed('message')).toEqual([]);
        // Stored all the same: a group block filters delivery only.
        expect((await alice.cube.chat.message.list({ chat_dialog_id: room._id })).items.map((item: { _id: string }) => item._id)).toEqual([created._id]);
        await disconnectAll(alice, bob, carol);
      });

      it('a mutual block stops both directions: 406 for the owner, 503 for the other side', async () => {
        const [alice, bob] = await chatters(2);
        await block(alice, bob, true);

        const fromOwner = alice.cube.chat.send(bob.id, { type: 'chat', body: 'from the blocker' });
        expect(await alice.events.next('error')).toEqual([fromOwner, expect.objectContaining({ code: 406 })]);
        const toOwner = bob.cube.chat.send(alice.id, { type: 'chat', body: 'to the blocker' });
        expect(await bob.events.next('error')).toEqual([toOwner, expect.objectContaining({ code: 503 })]);
        bob.cube.chat.sendIsTypingStatus(alice.id);
        alice.cube.chat.sendIsTypingStatus(bob.id);
        await Promise.all([alice.cube.chat.ping(), bob.cube.chat.ping()]);
        // Each side's pings went after its own typing, and the other's after that side's typing was routed.
        await Promise.all([alice.cube.chat.ping(), bob.cube.chat.ping()]);
        for (const person of [alice, bob]) {
          expect(person.events.unconsumed('message')).toEqual([]);
          expect(person.events.unconsumed('typing')).toEqual([]);
        }
        expect(await rejection(alice.cube.chat.getLastUserActivity(bob.id))).toMatchObject({ code: 406 });
        expect(await rejection(bob.cube.chat.getLastUserActivity(alice.id))).toMatchObject({ code: 403 });

        // Status streaming across the block is silently ignored.
        bob.cube.chat.subscribeToUserLastActivityStatus(alice.id);
        await bob.cube.chat.ping();
        expect(bob.events.unconsumed('lastActivity')).toEqual([]);

        await alice.cube.chat.privacylist.setAsDefault(null);
        const restored = bob.cube.chat.send(alice.id, { type: 'chat', body: 'friends again' });
        expect((await alice.events.next('message'))[1]).toMatchObject({ id: restored });
        await disconnectAll(alice, bob);
      });
    });
  });
}
