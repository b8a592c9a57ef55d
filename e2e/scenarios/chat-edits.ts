import { describe, expect, it } from 'vitest';
import { databaseKinds } from '@parley/testkit';
import { liveChatServer, type Chatter } from './chat-live.js';
import type { ScenarioTarget, SdkFlavour } from './sdk.js';

/**
 * Edits, deletes, reactions and room removals (realtime.md §6.6, §7.7–§7.10; rest.md §4.17, §4.20)
 * through an SDK against the real server: what one user changes reaches the others live, history
 * follows, and changing someone else's message is refused without changing anything.
 */
export function chatEditsScenarios(sdk: SdkFlavour, targets: ScenarioTarget[] = databaseKinds): void {
  describe.each(targets)(`${sdk.name}: edits, deletes, reactions and kicks on %s`, (db) => {
    const { signUp, online, chatters, disconnectAll, history, group } = liveChatServer(sdk, db, { prefix: 'edit' });

    /** A 1-1 message from `from` to `to`, saved; resolves once `to` has it. */
    async function privateMessage(from: Chatter, to: Chatter, dialogId: string, body: string): Promise<string> {
      const id = from.cube.chat.send(to.id, { type: 'chat', body, extension: { save_to_history: 1, dialog_id: dialogId } });
      await to.events.next('message', ([, message]) => message.id === id);
      // The SDK's automatic delivered marker is handled too, so what a test does next starts from a settled state.
      await from.events.next('delivered', ([messageId]) => messageId === id);
      return id;
    }

    /** A group message, saved; resolves once every member (the sender's reflection included) has it. */
    async function groupMessage(from: Chatter, members: Chatter[], dialogId: string, body: string): Promise<string> {
      const id = from.cube.chat.send(dialogId, { body, extension: { save_to_history: 1 } });
      for (const member of members) await member.events.next('message', ([, message]) => message.id === id);
      for (const member of members) {
        if (member !== from) await from.events.next('delivered', ([messageId, , userId]) => messageId === id && userId === member.id);
      }
      return id;
    }

    /** A message from `from` that `to` receives after everything `from` sent before: nothing else came in between. */
    async function barrier(from: Chatter, to: Chatter): Promise<void> {
      const id = from.cube.chat.send(to.id, { type: 'chat', body: 'barrier' });
      await to.events.next('message', ([, message]) => message.id === id);
    }


    it('1-1 edit: the peer gets UPDATE and REST history shows the new text', async () => {
      const [alice, bob] = await chatters(2);
      const dialog = await alice.cube.chat.dialog.create({ type: 3, occupants_ids: [bob.id] });
      const id = await privateMessage(alice, bob, dialog._id, 'How are you?');
      alice.cube.chat.editMessage({ to: bob.id, dialogId: dialog._id, body: 'How are you today?', originMessageId: id, last: true, extension: { edited: 1 } });
      const [messageId, last, body, dialogId, userId, extension] = await bob.events.next('update');
      expect([messageId, last, body, dialogId, userId]).toEqual([id, true, 'How are you today?', dialog._id, alice.id]);
      expect(extension).toMatchObject({ dialog_id: dialog._id, edited: '1' });
      expect((await history(bob, dialog._id)).map((item) => [item._id, item.message])).toEqual([[id, 'How are you today?']]);
      await disconnectAll(alice, bob);
    });

    it('group edit: every member gets UPDATE (the author its reflection) and history shows the new text', async () => {
      const [alice, bob, carol] = await chatters(3);
      const room = await group(alice, [bob, carol]);
      const id = await groupMessage(alice, [alice, bob, carol], room._id, 'Hello all');
      alice.cube.chat.editMessage({ to: room._id, dialogId: room._id, body: 'Hello everyone', originMessageId: id, last: false });
      for (const member of [alice, bob, carol]) {
        expect((await member.events.next('update')).slice(0, 5)).toEqual([id, false, 'Hello everyone', room._id, alice.id]);
      }
      expect((await history(carol, room._id)).map((item) => item.message)).toEqual(['Hello everyone']);
      await disconnectAll(alice, bob, carol);
    });

    it('1-1 delete: the peer gets DELETE and REST history no longer lists it', async () => {
      const [alice, bob] = await chatters(2);
      const dialog = await alice.cube.chat.dialog.create({ type: 3, occupants_ids: [bob.id] });
      const kept = await privateMessage(alice, bob, dialog._id, 'keep me');
      const gone = await privateMessage(alice, bob, dialog._id, 'oops');
      alice.cube.chat.deleteMessage({ to: String(bob.id), dialogId: dialog._id, messageId: gone });
      expect(await bob.events.next('delete')).toEqual([gone, dialog._id, alice.id]);
      for (const who of [alice, bob]) expect((await history(who, dialog._id)).map((item) => item._id)).toEqual([kept]);
      await disconnectAll(alice, bob);
    });

    it('editing or deleting someone else’s message is refused with 403 and changes nothing', async () => {
      const [alice, bob, carol] = await chatters(3);
      const dialog = await alice.cube.chat.dialog.create({ type: 3, occupants_ids: [bob.id] });
      const id = await privateMessage(alice, bob, dialog._id, 'mine');
      bob.cube.chat.editMessage({ to: alice.id, dialogId: dialog._id, body: 'hijacked', originMessageId: id, last: true });
      expect((await bob.events.next('error'))[1]).toMatchObject({ code: 403 });
      bob.cube.chat.deleteMessage({ to: String(alice.id), dialogId: dialog._id, messageId: id });
      expect((await bob.events.next('error'))[1]).toMatchObject({ code: 403 });
      await barrier(bob, alice);
      expect(alice.events.unconsumed('update')).toEqual([]);
      expect(alice.events.unconsumed('delete')).toEqual([]);
      expect((await history(alice, dialog._id)).map((item) => [item._id, item.message])).toEqual([[id, 'mine']]);

      // In a group a plain member may not delete another member's message either.
      const room = await group(alice, [bob, carol]);
      const groupId = await groupMessage(bob, [alice, bob, carol], room._id, 'from bob');
      carol.cube.chat.deleteMessage({ to: room._id, dialogId: room._id, messageId: groupId });
      expect((await carol.events.next('error'))[1]).toMatchObject({ code: 403 });
      carol.cube.chat.editMessage({ to: room._id, dialogId: room._id, body: 'carol was here', originMessageId: groupId });
      expect((await carol.events.next('error'))[1]).toMatchObject({ code: 403 });
      await barrier(carol, bob);
      expect(bob.events.unconsumed('delete')).toEqual([]);
      expect(bob.events.unconsumed('update')).toEqual([]);
      expect((await history(bob, room._id)).map((item) => [item._id, item.message])).toEqual([[groupId, 'from bob']]);
      await disconnectAll(alice, bob, carol);
    });

    it('the group owner and admins delete other members’ messages; everyone gets DELETE', async () => {
      const [alice, bob, carol] = await chatters(3);
      const room = await group(alice, [bob, carol]);
      await alice.cube.chat.dialog.addAdmins(room._id, [carol.id]);
      const first = await groupMessage(bob, [alice, bob, carol], room._id, 'first');
      const second = await groupMessage(bob, [alice, bob, carol], room._id, 'second');
      alice.cube.chat.deleteMessage({ to: room._id, dialogId: room._id, messageId: first });
      for (const member of [alice, bob, carol]) expect(await member.events.next('delete')).toEqual([first, room._id, alice.id]);
      carol.cube.chat.deleteMessage({ to: room._id, dialogId: room._id, messageId: second });
      for (const member of [alice, bob, carol]) expect(await member.events.next('delete')).toEqual([second, room._id, carol.id]);
      expect(await history(bob, room._id)).toEqual([]);
      await disconnectAll(alice, bob, carol);
    });

    it('a forced REST delete and a REST edit reach the dialog live', async () => {
      const [alice, bob, carol] = await chatters(3);
      const dialog = await alice.cube.chat.dialog.create({ type: 3, occupants_ids: [bob.id] });
      const id = await privateMessage(alice, bob, dialog._id, 'typo');
      await alice.cube.chat.message.update(id, { chat_dialog_id: dialog._id, message: 'no typo' });
      expect((await bob.events.next('update')).slice(0, 5)).toEqual([id, true, 'no typo', dialog._id, alice.id]);
      await alice.cube.chat.message.delete(id, { force: 1 });
      expect(await bob.events.next('delete')).toEqual([id, dialog._id, alice.id]);

      const room = await group(alice, [bob, carol]);
      const groupId = await groupMessage(bob, [alice, bob, carol], room._id, 'remove me');
      const deleted = JSON.parse(String(await alice.cube.chat.message.delete(groupId, { force: 1 })));
      expect(deleted.SuccessfullyDeleted.ids).toEqual([groupId]);
      for (const member of [alice, bob, carol]) expect(await member.events.next('delete', ([messageId]) => messageId === groupId)).toEqual([groupId, room._id, alice.id]);
      expect(await history(carol, room._id)).toEqual([]);
      await disconnectAll(alice, bob, carol);
    });

    it('REST reactions reach every member as REACTIONS with add and remove', async () => {
      const [alice, bob, carol] = await chatters(3);
      const room = await group(alice, [bob, carol]);
      const id = await groupMessage(alice, [alice, bob, carol], room._id, 'react to this');
      await bob.cube.chat.message.addReaction(id, '🔥');
      for (const member of [alice, bob, carol]) expect(await member.events.next('reactions')).toEqual([id, bob.id, room._id, '🔥', undefined]);
      await bob.cube.chat.message.updateReaction(id, '🚀', '🔥');
      for (const member of [alice, bob, carol]) expect(await member.events.next('reactions')).toEqual([id, bob.id, room._id, '🚀', '🔥']);
      expect(await alice.cube.chat.message.listReactions(id)).toEqual({ '🚀': [bob.id] });

      const dialog = await alice.cube.chat.dialog.create({ type: 3, occupants_ids: [bob.id] });
      const privateId = await privateMessage(alice, bob, dialog._id, '1-1');
      await bob.cube.chat.message.removeReaction(privateId, '👎');
      expect(await alice.events.next('reactions')).toEqual([privateId, bob.id, dialog._id, undefined, '👎']);
      await disconnectAll(alice, bob, carol);
    });

    it('removal by the owner kicks the user from the room (actor = owner), others see LEAVE; deletion kicks everyone', async () => {
      const [alice, bob, carol] = await chatters(3);
      const room = await group(alice, [bob, carol]);
      for (const member of [alice, bob, carol]) await member.cube.chat.muc.join(room._id);
      await alice.events.next('join', ([, userId]) => userId === carol.id);
      await alice.cube.chat.dialog.update(room._id, { pull_all: { occupants_ids: [bob.id] } });
      expect(await bob.events.next('kick')).toEqual([room._id, alice.id]);
      expect(await carol.events.next('leave', ([, userId]) => userId === bob.id)).toEqual([room._id, bob.id]);
      expect(await alice.events.next('leave', ([, userId]) => userId === bob.id)).toEqual([room._id, bob.id]);

      // Leaving by oneself is a LEAVE for the others, not a kick.
      const dave = await online(await signUp());
      await alice.cube.chat.dialog.update(room._id, { push_all: { occupants_ids: [dave.id] } });
      await dave.cube.chat.muc.join(room._id);
      await carol.events.next('join', ([, userId]) => userId === dave.id);
      await dave.cube.chat.dialog.update(room._id, { pull_all: { occupants_ids: [dave.id] } });
      expect(await carol.events.next('leave', ([, userId]) => userId === dave.id)).toEqual([room._id, dave.id]);
      expect(dave.events.unconsumed('kick')).toEqual([]);

      await alice.cube.chat.dialog.delete(room._id, { force: 1 });
      expect(await carol.events.next('kick')).toEqual([room._id, alice.id]);
      expect(bob.events.unconsumed('kick')).toEqual([]);
      await disconnectAll(alice, bob, carol, dave);
    });

    it('a 1-1 edit to an offline user is delivered when they connect', async () => {
      const [alice] = await chatters(1);
      const bobAccount = await signUp();
      const dialog = await alice.cube.chat.dialog.create({ type: 3, occupants_ids: [bobAccount.id] });
      const id = alice.cube.chat.send(bobAccount.id, { type: 'chat', body: 'draft', extension: { save_to_history: 1, dialog_id: dialog._id } });
      alice.cube.chat.editMessage({ to: bobAccount.id, dialogId: dialog._id, body: 'final', originMessageId: id, last: true });
      // Stream management acks both stanzas once handled: the edit is stored and queued.
      await alice.events.next('sent');
      await alice.cube.chat.ping();
      const bob = await online(bobAccount);
      expect((await bob.events.next('message')).at(1)).toMatchObject({ id, body: 'draft' });
      expect((await bob.events.next('update')).slice(0, 5)).toEqual([id, true, 'final', dialog._id, alice.id]);
      expect((await history(bob, dialog._id)).map((item) => item.message)).toEqual(['final']);
      await disconnectAll(alice, bob);
    });
  });
}
