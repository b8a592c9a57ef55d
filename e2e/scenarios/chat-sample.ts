import { describe, expect, it } from 'vitest';
import { databaseKinds } from '@parley/testkit';
import { liveChatServer, type Chatter } from './chat-live.js';
import type { ScenarioTarget, SdkFlavour } from './sdk.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- SDK events and responses are checked field by field */

const ELSEWHERE = 'https://cdn.example.net/blobs/0123456789abcdef0123456789abcdef00?token=';

/**
 * What ConnectyCube's own chat sample (chat-react) relies on, through an SDK against the real server:
 * a private dialog carries the other occupant's name, and a sender's session token appended by
 * `storage.privateUrl(uid)` never reaches a recipient or the history (compat-notes, README security notes).
 */
export function chatSampleScenarios(sdk: SdkFlavour, targets: ScenarioTarget[] = databaseKinds): void {
  describe.each(targets)(`${sdk.name}: the chat sample's needs on %s`, (db) => {
    const { scenario, signUp, chatters, disconnectAll, history, group } = liveChatServer(sdk, db, { prefix: 'sample' });

    const listed = async (who: Chatter, dialogId: string): Promise<any> => (await who.cube.chat.dialog.list({ _id: dialogId })).items[0];

    it('a private dialog is named after the other occupant as each side sees it, follows renames, and others are unchanged [A-53]', async () => {
      const [alice, bob, carol] = await Promise.all([signUp(), signUp(), signUp()]);
      await alice.cube.users.update({ full_name: 'Alice Archer' });
      // A client-sent name is ignored; the creator sees the peer (no full_name yet: the login).
      const direct = await alice.cube.chat.dialog.create({ type: 3, occupants_ids: [bob.id], name: 'ignored' });
      expect(direct.name).toBe(bob.login);
      expect((await listed(alice, direct._id)).name).toBe(bob.login);
      expect((await listed(bob, direct._id)).name).toBe('Alice Archer');
      expect((await bob.cube.chat.dialog.create({ type: 3, occupants_ids: [alice.id] })).name).toBe('Alice Archer');

      await bob.cube.users.update({ full_name: 'Bob Builder' });
      expect((await listed(alice, direct._id)).name).toBe('Bob Builder');
      expect((await alice.cube.chat.dialog.list({ type: 3 })).items.map((item: any) => item.name)).toEqual(['Bob Builder']);
      expect((await alice.cube.chat.dialog.update(direct._id, { extensions: { topic: 'plans' } })).name).toBe('Bob Builder');
      // Search finds a private dialog by the name it is shown with.
      const found = (await alice.cube.chat.search({ search_text: 'Bob Build' })).results.dialogs;
      expect(found.map((item: any) => [item._id, item.name])).toEqual([[direct._id, 'Bob Builder']]);

      // Group and public dialogs keep their own names.
      const room = await alice.cube.chat.dialog.create({ type: 2, name: 'Friday party', occupants_ids: [bob.id, carol.id] });
      const open = await alice.cube.chat.dialog.create({ type: 4, name: 'Town square' });
      expect((await listed(bob, room._id)).name).toBe('Friday party');
      expect((await carol.cube.chat.dialog.subscribe(open._id)).name).toBe('Town square');
      expect((await listed(carol, open._id)).name).toBe('Town square');
      expect((await alice.cube.chat.dialog.update(room._id, { name: 'Saturday party' })).name).toBe('Saturday party');
      expect((await listed(carol, room._id)).name).toBe('Saturday party');
    });

    it('over XMPP, the sender’s token is stripped from links to this server’s files (1-1, group, edits, system); other links are untouched', async () => {
      const [alice, bob, carol] = await chatters(3);
      const blob = await alice.cube.storage.createAndUpload({ name: 'photo.png', file: Buffer.from('not really a png'), type: 'image/png', size: 16 });
      const privateUrl = alice.cube.storage.privateUrl(blob.uid);
      expect(privateUrl).toBe(`${scenario.server.url}/blobs/${blob.uid}?token=${alice.token}`);
      const clean = `${scenario.server.url}/blobs/${blob.uid}`;
      const elsewhere = `${ELSEWHERE}${alice.token}`;
      const extension = { save_to_history: 1, attachments: [{ uid: blob.uid, type: 'image', url: privateUrl }], preview: privateUrl, mirror: elsewhere };

      const direct = await alice.cube.chat.dialog.create({ type: 3, occupants_ids: [bob.id] });
      const id = alice.cube.chat.send(bob.id, { type: 'chat', body: 'photo', extension: { ...extension, dialog_id: direct._id } });
      const [, received] = await bob.events.next('message', ([, message]) => message.id === id);
      expect(received.extension.attachments).toEqual([expect.objectContaining({ uid: blob.uid, url: clean })]);
      expect(received.extension).toMatchObject({ preview: clean, mirror: elsewhere });
      const [stored] = await history(bob, direct._id);
      expect(stored).toMatchObject({ _id: id, attachments: [expect.objectContaining({ url: clean })], preview: clean, mirror: elsewhere });

      const room = await group(alice, [bob, carol]);
      const groupId = alice.cube.chat.send(room._id, { type: 'groupchat', body: 'photo', extension });
      const [, inRoom] = await carol.events.next('message', ([, message]) => message.id === groupId);
      expect(inRoom.extension.attachments).toEqual([expect.objectContaining({ url: clean })]);
      expect(inRoom.extension).toMatchObject({ preview: clean, mirror: elsewhere });
      const [storedInRoom] = await history(carol, room._id);
      expect(storedInRoom).toMatchObject({ attachments: [expect.objectContaining({ url: clean })], preview: clean, mirror: elsewhere });
      // Recipients build their own link from the uid.
      expect((await fetch(bob.cube.storage.privateUrl(blob.uid))).status).toBe(200);

      // Edits and system messages route their extraParams too.
      alice.cube.chat.editMessage({ to: bob.id, dialogId: direct._id, body: 'photo, again', originMessageId: id, last: true, extension: { preview: privateUrl } });
      const [, , , , , edited] = await bob.events.next('update');
      expect(edited).toMatchObject({ preview: clean });
      const systemId = alice.cube.chat.sendSystemMessage(bob.id, { body: 'shared', extension: { preview: privateUrl, mirror: elsewhere } });
      const [notification] = await bob.events.next('system', ([message]) => message.id === systemId);
      expect(notification.extension).toMatchObject({ preview: clean, mirror: elsewhere });
      await disconnectAll(alice, bob, carol);
    });

    it('over REST, the token is stripped before the message is stored and before send_to_chat or a system message routes it', async () => {
      const [alice, bob] = await chatters(2);
      const privateUrl = alice.cube.storage.privateUrl('0123456789abcdef0123456789abcdef01');
      const clean = privateUrl.replace(`?token=${alice.token}`, '');
      const elsewhere = `${ELSEWHERE}${alice.token}`;
      const created = await alice.cube.chat.message.create({
        recipient_id: bob.id,
        message: 'over REST',
        send_to_chat: 1,
        preview: privateUrl,
        mirror: elsewhere,
        attachments: [{ uid: '0123456789abcdef0123456789abcdef01', type: 'image', url: privateUrl }],
      });
      expect(created).toMatchObject({ attachments: [expect.objectContaining({ url: clean })], preview: clean, mirror: elsewhere });
      const [, received] = await bob.events.next('message', ([, message]) => message.id === created._id);
      expect(received.extension.attachments).toEqual([expect.objectContaining({ url: clean })]);
      expect(received.extension).toMatchObject({ preview: clean, mirror: elsewhere });
      const [stored] = await history(bob, created.chat_dialog_id);
      expect(JSON.stringify({ ...stored, mirror: undefined })).not.toContain(alice.token);
      expect(stored).toMatchObject({ attachments: [expect.objectContaining({ url: clean })], preview: clean, mirror: elsewhere });

      const system = await alice.cube.chat.message.createSystem({ recipientId: bob.id, preview: privateUrl, mirror: elsewhere });
      expect(system.extensionParams).toEqual({ preview: clean, mirror: elsewhere });
      const [notification] = await bob.events.next('system', ([message]) => message.id === system.messageId);
      expect(notification.extension).toMatchObject({ preview: clean, mirror: elsewhere });
      await disconnectAll(alice, bob);
    });
  });
}
