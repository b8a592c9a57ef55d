import { databaseKinds, rawRequest, startServer, type TestServer } from '@parley/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlob, uploadBuffer } from '../integration/blob-helpers.js';
import { api, signedInUser } from './helpers.js';

/**
 * Finding 8: a signed upload URL is single-use. Replayed after the upload (by anyone, another app's user
 * included, the URL needing no session), after completion, or alongside a running upload, it answers
 * 403 and the file is never replaced.
 */
describe.each(databaseKinds)('security: upload URLs are single-use (%s)', (db) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ db });
  });
  afterAll(() => server?.stop());

  const download = (uid: string) => rawRequest(server.url, `/blobs/${uid}`);

  it('a replay after the upload and after completion gets 403 and leaves the file as it was', async () => {
    const owner = await signedInUser(server);
    const { blob, target } = await createBlob(server.url, owner.token, { name: 'doc.txt', content_type: 'text/plain', public: true });
    expect((await uploadBuffer(target, Buffer.from('original'))).status).toBe(201);

    const replay = await uploadBuffer(target, Buffer.from('replaced'));
    expect(replay.status).toBe(403);
    expect(JSON.parse(replay.text)).toEqual({ errors: { base: ['This upload URL was already used'] } });

    expect((await api(server, owner, 'PUT', `/blobs/${blob.id}/complete.json`, { size: 8 })).status).toBe(200);
    // A replay needs no session at all (anyone holding the URL, another app's user included): still 403.
    expect((await uploadBuffer(target, Buffer.from('replaced'))).status).toBe(403);
    expect((await download(blob.uid)).text).toBe('original');
  });

  it('two uploads through one URL at once: one wins, the other gets 403, the bytes are one of them whole', async () => {
    const owner = await signedInUser(server);
    const { blob, target } = await createBlob(server.url, owner.token, { name: 'race.bin', content_type: 'application/octet-stream', public: true });
    const [a, b] = await Promise.all([uploadBuffer(target, Buffer.alloc(256 * 1024, 'a')), uploadBuffer(target, Buffer.alloc(256 * 1024, 'b'))]);
    expect([a.status, b.status].sort()).toEqual([201, 403]);
    const winner = a.status === 201 ? 'a' : 'b';
    expect((await download(blob.uid)).text).toBe(winner.repeat(256 * 1024));
  });
});
