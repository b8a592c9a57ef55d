import { access } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, rawRequest, sessionToken, startServer, type TestApp, type TestServer } from '@parley/testkit';
import { blobRootOf, createBlob, patternChunk, uploadStream } from './blob-helpers.js';

/**
 * Downloads (rest.md §5.7) on the wire: headers, single ranges for audio/video seeking, validators,
 * who may read a private blob (same-app sessions, signed URLs), other applications, and deletion.
 */

const SIZE = 100_000;
const bytesOf = async (response: Response) => Buffer.from(await response.arrayBuffer());

describe.each(databaseKinds)('blob downloads on %s', (db) => {
  let server: TestServer;
  let appB: TestApp;
  let owner: string, reader: string, appSession: string, outsider: string;
  let publicUid: string, privateUid: string, privateId: number;
  let clockOffsetMs = 0;

  async function uploaded(blob: Record<string, unknown>): Promise<{ id: number; uid: string }> {
    const created = await createBlob(server.url, owner, blob);
    const response = await uploadStream(created.target, SIZE, patternChunk);
    if (response.status !== 201) throw new Error(`upload failed: ${response.status}`);
    await rawRequest(server.url, `/blobs/${created.blob.id}/complete.json`, { method: 'PUT', token: owner, body: { size: SIZE } });
    return created.blob;
  }

  beforeAll(async () => {
    server = await startServer({ db, clock: () => Date.now() + clockOffsetMs });
    appB = await server.createApp('other app');
    owner = await sessionToken(server.url, server.app, { login: 'owner', password: 'password123' });
    reader = await sessionToken(server.url, server.app, { login: 'reader', password: 'password123' });
    appSession = await sessionToken(server.url, server.app);
    outsider = await sessionToken(server.url, appB, { login: 'outsider', password: 'password123' });
    publicUid = (await uploaded({ name: 'clip.mp4', content_type: 'video/mp4', public: true })).uid;
    const secret = await uploaded({ name: 'Übersicht "Q1".pdf', content_type: 'application/pdf' });
    privateUid = secret.uid;
    privateId = secret.id;
  });
  afterAll(() => server?.stop());

  const get = (uid: string, init: RequestInit = {}, query = '') => fetch(`${server.url}/blobs/${uid}${query}`, init);

  it('serves the bytes with Content-Type, Content-Length, ETag, Accept-Ranges and an inline file name', async () => {
    const response = await get(publicUid);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('video/mp4');
    expect(response.headers.get('content-length')).toBe(String(SIZE));
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{34}-[0-9a-z]+-[0-9a-z]+"$/);
    expect(response.headers.get('content-disposition')).toBe('inline; filename="clip.mp4"; filename*=UTF-8\'\'clip.mp4');
    expect(response.headers.get('content-security-policy')).toContain('sandbox');
    expect(await bytesOf(response)).toEqual(patternChunk(0, SIZE));
  });

  it('also answers at /blobs/{uid}/download, and HEAD gives the headers without a body', async () => {
    expect(await bytesOf(await fetch(`${server.url}/blobs/${publicUid}/download`))).toEqual(patternChunk(0, SIZE));
    const head = await get(publicUid, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(SIZE));
    expect(await head.text()).toBe('');
  });

  it.each([
    ['bytes=0-9', 0, 9],
    ['bytes=1000-1999', 1000, 1999],
    ['bytes=99990-', 99990, SIZE - 1],
    ['bytes=-10', SIZE - 10, SIZE - 1],
    ['bytes=50000-999999', 50000, SIZE - 1],
    ['bytes=-200000', 0, SIZE - 1],
  ])('Range %s → 206 with exactly those bytes', async (range, start, end) => {
    const response = await get(publicUid, { headers: { Range: range } });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe(`bytes ${start}-${end}/${SIZE}`);
    expect(response.headers.get('content-length')).toBe(String(end - start + 1));
    expect(await bytesOf(response)).toEqual(patternChunk(start, end - start + 1));
  });

  it.each(['bytes=100000-', 'bytes=200000-300000', 'bytes=-0'])('Range %s → 416 with the size in Content-Range', async (range) => {
    const response = await get(publicUid, { headers: { Range: range } });
    expect(response.status).toBe(416);
    expect(response.headers.get('content-range')).toBe(`bytes */${SIZE}`);
    expect(await response.json()).toEqual({ errors: { base: ['Requested range not satisfiable'] } });
  });

  it.each(['bytes=0-1,5-6', 'items=0-5', 'bytes=9-3', 'bytes=abc'])('Range %s (several, foreign or malformed) → the whole file', async (range) => {
    const response = await get(publicUid, { headers: { Range: range } });
    expect(response.status).toBe(200);
    expect((await bytesOf(response)).length).toBe(SIZE);
  });

  it('If-None-Match with the ETag → 304; a stale If-Range → the whole file', async () => {
    const etag = (await get(publicUid, { method: 'HEAD' })).headers.get('etag') ?? '';
    const notModified = await get(publicUid, { headers: { 'If-None-Match': etag } });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe('');
    expect((await get(publicUid, { headers: { 'If-None-Match': '"other"' } })).status).toBe(200);
    expect((await get(publicUid, { headers: { Range: 'bytes=0-9', 'If-Range': etag } })).status).toBe(206);
    expect((await get(publicUid, { headers: { Range: 'bytes=0-9', 'If-Range': '"stale"' } })).status).toBe(200);
  });

  describe('private blobs', () => {
    it('without a token → 401 Token is required; with an unknown token → 401 session error', async () => {
      const anonymous = await rawRequest(server.url, `/blobs/${privateUid}`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.json).toEqual({ errors: { base: ['Token is required'] } });
      const unknown = await rawRequest(server.url, `/blobs/${privateUid}?token=NOPE`);
      expect(unknown.status).toBe(401);
      expect(unknown.json).toEqual({ errors: { base: ['Required session does not exist'] } });
    });

    it('any session of the same application reads it: ?token=, CB-Token, another user, an app session', async () => {
      for (const [query, headers] of [
        [`?token=${owner}`, {}],
        [`?token=${reader}`, {}],
        [`?token=${appSession}`, {}],
        ['', { 'CB-Token': reader }],
      ] as const) {
        const response = await get(privateUid, { headers }, query);
        expect(response.status).toBe(200);
        expect(response.headers.get('cache-control')).toBe('private, max-age=0');
        expect(response.headers.get('content-disposition')).toBe('inline; filename="_bersicht _Q1_.pdf"; filename*=UTF-8\'\'%C3%9Cbersicht%20%22Q1%22.pdf');
        expect((await bytesOf(response)).length).toBe(SIZE);
      }
    });

    it("another application's session sees no such file (404), neither bytes nor info", async () => {
      expect((await rawRequest(server.url, `/blobs/${privateUid}?token=${outsider}`)).status).toBe(404);
      expect((await rawRequest(server.url, `/blobs/${privateUid}.json`, { token: outsider })).status).toBe(404);
      expect((await rawRequest(server.url, `/blobs/${privateId}.json`, { token: outsider })).status).toBe(404);
      expect((await rawRequest(server.url, `/blobs/${privateUid}/object.json?download_url=1`, { token: outsider })).status).toBe(404);
    });

    it('a signed download URL (getFileObject) works without headers until it expires; a tampered one → 403', async () => {
      const object = await rawRequest(server.url, `/blobs/${privateUid}/object.json?download_url=1`, { token: reader });
      const url = (object.json as { blob: { blob_object_access: { download_url: string } } }).blob.blob_object_access.download_url;
      expect(url.startsWith(`${server.url}/blobs/${privateUid}?`)).toBe(true);
      expect((await bytesOf(await fetch(url))).length).toBe(SIZE);
      const tampered = url.replace(/signature=(.)/, (_m, c: string) => `signature=${c === 'A' ? 'B' : 'A'}`);
      const refused = await rawRequest(tampered, '');
      expect(refused.status).toBe(403);
      // A signature for one blob opens no other.
      const elsewhere = url.replace(privateUid, publicUid.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')));
      expect((await rawRequest(elsewhere, '')).status).toBe(404);
      clockOffsetMs += 3601 * 1000;
      try {
        expect((await rawRequest(url, '')).status).toBe(403);
      } finally {
        clockOffsetMs -= 3601 * 1000;
      }
    });
  });

  it('deleting removes the row and then the file; a stranger cannot delete', async () => {
    const blob = await uploaded({ name: 'gone.bin', content_type: 'application/octet-stream', public: true });
    const file = path.join(blobRootOf(server.server.config.dataDir), blob.uid.slice(0, 2), blob.uid);
    await access(file);
    const refused = await rawRequest(server.url, `/blobs/${blob.id}.json`, { method: 'DELETE', token: reader });
    expect(refused.status).toBe(403);
    expect((await rawRequest(server.url, `/blobs/${blob.id}.json`, { method: 'DELETE', token: outsider })).status).toBe(404);
    await access(file);
    expect((await get(blob.uid)).status).toBe(200);
    const deleted = await rawRequest(server.url, `/blobs/${blob.id}.json`, { method: 'DELETE', token: owner });
    expect(deleted.status).toBe(200);
    await expect(access(file)).rejects.toThrow();
    expect((await get(blob.uid)).status).toBe(404);
    expect((await rawRequest(server.url, `/blobs/${blob.id}.json`, { token: owner })).status).toBe(404);
  });
});
