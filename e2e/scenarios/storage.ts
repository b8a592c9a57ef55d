import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { databaseKinds } from '@parley/testkit';
import { initAgainst, rejection, scenarioServer, type CubeLike, type ScenarioTarget, type SdkFlavour } from './sdk.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- SDK responses are checked field by field */

const PASSWORD = 'password123';
const UID = /^[0-9a-f]{32}00$/;
const ISO_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const notFound = { code: 404, info: { errors: { base: ['Not found'] } } };
const ownerOnly = { code: 403, info: { errors: { base: ['Only the owner of the file may do this'] } } };

interface Person {
  cube: CubeLike;
  id: number;
  token: string;
}

const bytes = async (response: Response) => Buffer.from(await response.arrayBuffer());

/**
 * Files (rest.md §5) through an SDK, on every database: createAndUpload, declare uploaded, info by id and
 * uid, public and private downloads (with ranges), signed download URLs, rename, list, delete, chat
 * attachments by uid, bad input, other users' and other applications' files.
 */
export function storageScenarios(sdk: SdkFlavour, targets: ScenarioTarget[] = databaseKinds): void {
  describe.each(targets)(`${sdk.name}: storage on %s`, (db) => {
    const scenario = scenarioServer(sdk, db);
    const { unique, connect } = scenario;

    async function person(cube: CubeLike = connect()): Promise<Person> {
      const session = await cube.createSession({ login: unique('files'), password: PASSWORD });
      return { cube, id: session.user_id as number, token: session.token as string };
    }

    async function upload(who: Person, content: Buffer, extra: Record<string, unknown> = {}): Promise<any> {
      return who.cube.storage.createAndUpload({ name: unique('file-') + '.bin', file: content, type: 'application/octet-stream', size: content.length, ...extra });
    }

    it('createAndUpload stores a public file: the blob, its info by id and uid, and the bytes at publicUrl (§5.2–§5.7)', async () => {
      const alice = await person();
      const content = randomBytes(70_000);
      const blob = await alice.cube.storage.createAndUpload({ name: 'photo.jpg', file: content, type: 'image/jpeg', size: content.length });
      expect(blob).toMatchObject({ id: expect.any(Number), uid: expect.stringMatching(UID), name: 'photo.jpg', content_type: 'image/jpeg', public: true, size: content.length });
      expect(blob.blob_object_access).toMatchObject({ object_access_type: 'Write', params: expect.stringContaining(`${scenario.server.url}/blobs/upload?`) });

      const byId = await alice.cube.storage.getInfo(blob.id);
      expect(byId).toEqual({
        blob: {
          id: blob.id,
          uid: blob.uid,
          content_type: 'image/jpeg',
          name: 'photo.jpg',
          size: content.length,
          public: true,
          blob_status: 'complete',
          set_completed_at: expect.stringMatching(ISO_SECONDS),
          created_at: expect.stringMatching(ISO_SECONDS),
          updated_at: expect.stringMatching(ISO_SECONDS),
        },
      });
      expect(await alice.cube.storage.getFile(blob.uid)).toEqual(byId);

      const response = await fetch(alice.cube.storage.publicUrl(blob.uid));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/jpeg');
      expect(response.headers.get('content-length')).toBe(String(content.length));
      expect(response.headers.get('etag')).toBeTruthy();
      expect(await bytes(response)).toEqual(content);
    });

    it('a private file: not without a token, yes with any session of the app (privateUrl), seekable by Range', async () => {
      const [alice, bob] = [await person(), await person()];
      const content = randomBytes(200_000);
      const blob = await upload(alice, content, { public: false });
      expect((await alice.cube.storage.getInfo(blob.id)).blob.public).toBe(false);

      const anonymous = await fetch(alice.cube.storage.publicUrl(blob.uid));
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toEqual({ errors: { base: ['Token is required'] } });

      expect(await bytes(await fetch(alice.cube.storage.privateUrl(blob.uid)))).toEqual(content);
      // Attachments are shared: another user of the app reads it (and its info) with their own token.
      expect((await bob.cube.storage.getFile(blob.uid)).blob.id).toBe(blob.id);
      const seek = await fetch(bob.cube.storage.privateUrl(blob.uid), { headers: { Range: 'bytes=150000-' } });
      expect(seek.status).toBe(206);
      expect(seek.headers.get('content-range')).toBe(`bytes 150000-199999/${content.length}`);
      expect(await bytes(seek)).toEqual(content.subarray(150_000));
    });

    it('getFileObject with download_url gives a URL that works without any header', async () => {
      const alice = await person();
      const content = randomBytes(1000);
      const blob = await upload(alice, content, { public: false });
      const object = await alice.cube.storage.getFileObject(blob.uid, { download_url: '1' });
      expect(object.blob).toMatchObject({ id: blob.id, uid: blob.uid, blob_object_access: { object_access_type: 'Read', download_url: expect.stringContaining(`/blobs/${blob.uid}?`) } });
      expect(await bytes(await fetch(object.blob.blob_object_access.download_url))).toEqual(content);
      const plain = await alice.cube.storage.getFileObject(blob.uid, {});
      expect(plain.blob.blob_object_access).toBeUndefined();
    });

    it('a chat attachment references a file by uid; the other member downloads it with their own token', async () => {
      const [alice, bob] = [await person(), await person()];
      const content = randomBytes(5000);
      const blob = await upload(alice, content, { public: false, type: 'image/png' });
      const dialog = await alice.cube.chat.dialog.create({ type: 3, occupants_ids: [bob.id] });
      await alice.cube.chat.message.create({ chat_dialog_id: dialog._id, message: 'see attached', attachments: [{ type: 'image', uid: blob.uid, id: String(blob.id) }] });
      const [message] = (await bob.cube.chat.message.list({ chat_dialog_id: dialog._id, mark_as_read: 0 })).items;
      expect(message.attachments).toEqual([{ type: 'image', uid: blob.uid, id: String(blob.id) }]);
      const response = await fetch(bob.cube.storage.privateUrl(message.attachments[0].uid));
      expect(response.headers.get('content-type')).toBe('image/png');
      expect(await bytes(response)).toEqual(content);
    });

    it('update renames the owner’s file (the official SDK sends a GET); others cannot rename it', async () => {
      const [alice, bob] = [await person(), await person()];
      const blob = await upload(alice, randomBytes(10));
      expect((await alice.cube.storage.update({ id: blob.id, name: 'renamed.bin' })).blob.name).toBe('renamed.bin');
      // A non-owner's update is a plain read (what the cloud does with this GET).
      expect((await bob.cube.storage.update({ id: blob.id, name: 'hijacked.bin' })).blob.name).toBe('renamed.bin');
      expect((await alice.cube.storage.getInfo(blob.id)).blob.name).toBe('renamed.bin');
      const download = await fetch(alice.cube.storage.publicUrl(blob.uid));
      expect(download.headers.get('content-disposition')).toContain('filename="renamed.bin"');
    });

    it('list pages through the caller’s own files only, newest last', async () => {
      const [alice, bob] = [await person(), await person()];
      const mine = [await upload(alice, randomBytes(5)), await upload(alice, randomBytes(6)), await upload(alice, randomBytes(7))];
      await upload(bob, randomBytes(8));
      const page1 = await alice.cube.storage.list({ page: 1, per_page: 2 });
      expect(page1).toMatchObject({ current_page: 1, per_page: 2, total_entries: 3 });
      expect(page1.items.map((item: any) => item.blob.id)).toEqual([mine[0].id, mine[1].id]);
      const page2 = await alice.cube.storage.list({ current_page: 2, per_page: 2 });
      expect(page2.items.map((item: any) => item.blob.id)).toEqual([mine[2].id]);
      expect((await alice.cube.storage.list()).per_page).toBe(10);
    });

    it('delete: only the owner; afterwards info and bytes are gone', async () => {
      const [alice, bob] = [await person(), await person()];
      const blob = await upload(alice, randomBytes(100));
      expect(await rejection(bob.cube.storage.delete(blob.id))).toEqual(ownerOnly);
      expect((await fetch(alice.cube.storage.publicUrl(blob.uid))).status).toBe(200);
      await alice.cube.storage.delete(blob.id);
      expect(await rejection(alice.cube.storage.getInfo(blob.id))).toEqual(notFound);
      expect(await rejection(alice.cube.storage.getFile(blob.uid))).toEqual(notFound);
      expect((await fetch(alice.cube.storage.publicUrl(blob.uid))).status).toBe(404);
      expect(await rejection(alice.cube.storage.delete(blob.id))).toEqual(notFound);
    });

    it('bad input changes nothing: missing name or type (422), unknown ids (404), a forged upload signature (403)', async () => {
      const alice = await person();
      const before = (await alice.cube.storage.list()).total_entries;
      expect(await rejection(alice.cube.storage.create({ content_type: 'text/plain' }))).toEqual({ code: 422, info: { errors: { name: ['cannot be blank'] } } });
      expect(await rejection(alice.cube.storage.create({ name: 'x.txt' }))).toEqual({ code: 422, info: { errors: { content_type: ['cannot be blank'] } } });
      expect(await rejection(alice.cube.storage.create({ name: 'x'.repeat(101), content_type: 'text/plain' }))).toMatchObject({ code: 422, info: { errors: { name: [expect.any(String)] } } });
      expect((await alice.cube.storage.list()).total_entries).toBe(before);
      expect(await rejection(alice.cube.storage.getInfo(999_999))).toEqual(notFound);
      expect(await rejection(alice.cube.storage.getFile('0123456789abcdef0123456789abcdef00'))).toEqual(notFound);
      expect(await rejection(alice.cube.storage.markUploaded({ id: 999_999, size: 1 }))).toEqual(notFound);

      const { blob } = await alice.cube.storage.create({ name: 'forged.txt', content_type: 'text/plain', public: true });
      const params = new URL(blob.blob_object_access.params);
      const fields = Object.fromEntries(params.searchParams.entries());
      const forged = await rejection(alice.cube.storage.upload({ url: `${params.origin}${params.pathname}`, data: { ...fields, signature: `x${fields.signature}`, file: Buffer.from('evil') } }));
      expect(forged).toEqual({ code: 403, info: { errors: { base: ['Upload signature is invalid or expired'] } } });
      expect((await fetch(alice.cube.storage.publicUrl(blob.uid))).status).toBe(404);
      // Declaring an upload that never arrived is refused: no blob is ever "complete" without bytes.
      expect(await rejection(alice.cube.storage.markUploaded({ id: blob.id, size: 4 }))).toMatchObject({ code: 422 });
      expect((await alice.cube.storage.getInfo(blob.id)).blob).toMatchObject({ blob_status: null, size: null });
      // The genuine fields still work.
      await alice.cube.storage.upload({ url: `${params.origin}${params.pathname}`, data: { ...fields, file: Buffer.from('fine') } });
      expect(await (await fetch(alice.cube.storage.publicUrl(blob.uid))).text()).toBe('fine');
    });

    it("another application never sees this application's files", async () => {
      const alice = await person();
      const secret = await upload(alice, randomBytes(64), { public: false });
      const otherApp = await scenario.server.createApp(unique('other'));
      const stranger = await person(initAgainst(sdk.create(), scenario.server.url, otherApp));
      expect(await rejection(stranger.cube.storage.getInfo(secret.id))).toEqual(notFound);
      expect(await rejection(stranger.cube.storage.getFile(secret.uid))).toEqual(notFound);
      expect(await rejection(stranger.cube.storage.getFileObject(secret.uid, { download_url: '1' }))).toEqual(notFound);
      expect(await rejection(stranger.cube.storage.update({ id: secret.id, name: 'mine now' }))).toEqual(notFound);
      expect(await rejection(stranger.cube.storage.delete(secret.id))).toEqual(notFound);
      expect(await rejection(stranger.cube.storage.markUploaded({ id: secret.id, size: 64 }))).toEqual(notFound);
      expect((await stranger.cube.storage.list()).items).toEqual([]);
      expect((await fetch(stranger.cube.storage.privateUrl(secret.uid))).status).toBe(404);
      // Nothing changed for the owner.
      expect((await alice.cube.storage.getInfo(secret.id)).blob).toMatchObject({ name: secret.name, blob_status: 'complete' });
      expect((await fetch(alice.cube.storage.privateUrl(secret.uid))).status).toBe(200);
    });
  });
}
