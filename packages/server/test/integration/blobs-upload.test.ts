import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, rawRequest, sessionToken, startServer, type TestServer } from '@parley/testkit';
import { blobRootOf, createBlob, filesUnder, patternChunk, uploadBuffer, uploadStream, type UploadTarget } from './blob-helpers.js';

/**
 * The signed upload route (rest.md §5.3) on the wire: what a good upload stores, and that forged or
 * expired signatures, path tricks, oversized and cut-off uploads are refused and leave nothing behind.
 */

const SIGNATURE_REFUSED = { errors: { base: ['Upload signature is invalid or expired'] } };
/** Small on purpose: the 413 cases stay fast. */
const MAX_BYTES = 256 * 1024;

describe.each(databaseKinds)('blob uploads on %s', (db) => {
  let server: TestServer;
  let token: string;
  let blobRoot: string;
  let clockOffsetMs = 0;

  beforeAll(async () => {
    server = await startServer({ db, config: { blobMaxBytes: String(MAX_BYTES) }, clock: () => Date.now() + clockOffsetMs });
    token = await sessionToken(server.url, server.app, { login: 'uploader', password: 'password123' });
    blobRoot = blobRootOf(server.server.config.dataDir);
  });
  afterAll(() => server?.stop());

  const info = async (id: number) => (await rawRequest(server.url, `/blobs/${id}.json`, { token })).json as { blob: Record<string, unknown> };
  const download = (uid: string) => rawRequest(server.url, `/blobs/${uid}?token=${token}`);
  const withField = (target: UploadTarget, name: string, value: string): UploadTarget => ({
    url: target.url,
    fields: target.fields.map(([key, old]) => [key, key === name ? value : old]),
  });
  /** Waits (by polling, not sleeping a fixed time) until no partial upload is left on disk. */
  const noPartialFiles = () => expect.poll(async () => (await filesUnder(path.join(blobRoot, '.partial'))).length, { timeout: 15_000 }).toBe(0);

  it('stores a file part without a file name (official SDK in Node) and answers 201 with an S3-style PostResponse', async () => {
    const { blob, target } = await createBlob(server.url, token, { name: 'notes.txt', content_type: 'text/plain' });
    expect(target.fields.map(([name]) => name)).toEqual(['key', 'Content-Type', 'Expires', 'success_action_status', 'signature']);
    const bytes = Buffer.from('hello, files');
    const response = await uploadBuffer(target, bytes);
    expect(response.status).toBe(201);
    expect(response.headers['content-type']).toMatch(/^application\/xml/);
    expect(response.text).toContain(`<Key>${blob.uid}</Key>`);
    expect(response.text).toContain(`<Location>${server.url}/blobs/${blob.uid}</Location>`);
    expect(await readFile(path.join(blobRoot, blob.uid.slice(0, 2), blob.uid))).toEqual(bytes);
    // Uploaded but not declared complete: size stays null until "complete" (rest.md §5.1), bytes are served.
    expect((await info(blob.id)).blob).toMatchObject({ size: null, blob_status: null });
    expect((await download(blob.uid)).text).toBe('hello, files');
    const complete = await rawRequest(server.url, `/blobs/${blob.id}/complete.json`, { method: 'PUT', token, body: { size: 12 } });
    expect(complete.status).toBe(200);
    expect((await info(blob.id)).blob).toMatchObject({ size: 12, blob_status: 'complete', set_completed_at: expect.any(String) });
  });

  it('answers the browser pre-flight of the upload URL (the JS SDK sends CB-Token and CB-SDK there)', async () => {
    const response = await fetch(`${server.url}/blobs/upload`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'cb-token,cb-sdk' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('accepts a browser-style part with a file name; the upload URL is single-use (a re-upload → 403, bytes kept)', async () => {
    const { blob, target } = await createBlob(server.url, token, { name: 'pic.png', content_type: 'image/png', public: true });
    expect((await uploadBuffer(target, Buffer.from('first'), { filename: 'pic.png' })).status).toBe(201);
    const first = await download(blob.uid);
    expect((await uploadBuffer(target, Buffer.from('second!'), { filename: 'pic.png' })).status).toBe(403);
    const second = await download(blob.uid);
    expect(second.text).toBe('first');
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(await filesUnder(path.join(blobRoot, '.partial'))).toEqual([]);
  });

  describe('refused signatures store nothing', () => {
    let victim: { blob: { id: number; uid: string }; target: UploadTarget };
    let other: { blob: { id: number; uid: string }; target: UploadTarget };
    beforeAll(async () => {
      victim = await createBlob(server.url, token, { name: 'victim.bin', content_type: 'application/octet-stream' });
      other = await createBlob(server.url, token, { name: 'other.bin', content_type: 'application/octet-stream' });
    });

    const signatureOf = (target: UploadTarget) => target.fields.find(([name]) => name === 'signature')?.[1] ?? '';
    const expiresOf = (target: UploadTarget) => target.fields.find(([name]) => name === 'Expires')?.[1] ?? '';
    const flip = (text: string) => (text[0] === 'A' ? 'B' : 'A') + text.slice(1);

    it.each([
      ['a forged signature', (t: UploadTarget) => withField(t, 'signature', flip(signatureOf(t)))],
      ['an empty signature', (t: UploadTarget) => withField(t, 'signature', '')],
      ['no signature field', (t: UploadTarget) => ({ url: t.url, fields: t.fields.filter(([name]) => name !== 'signature') })],
      ['a later expiry than was signed', (t: UploadTarget) => withField(t, 'Expires', String(Number(expiresOf(t)) + 3600))],
      ['a non-numeric expiry', (t: UploadTarget) => withField(t, 'Expires', 'tomorrow')],
      ['no key', (t: UploadTarget) => ({ url: t.url, fields: t.fields.filter(([name]) => name !== 'key') })],
    ])('%s → 403', async (_name, tamper) => {
      const response = await uploadBuffer(tamper(victim.target), Buffer.from('evil'));
      expect(response.status).toBe(403);
      expect(JSON.parse(response.text)).toEqual(SIGNATURE_REFUSED);
      expect((await download(victim.blob.uid)).status).toBe(404);
      expect(await filesUnder(blobRoot).then((files) => files.filter((file) => file.includes(victim.blob.uid)))).toEqual([]);
    });

    it("another blob's signature does not open this blob (the key is signed)", async () => {
      const response = await uploadBuffer(withField(other.target, 'key', victim.blob.uid), Buffer.from('evil'));
      expect(response.status).toBe(403);
      expect((await download(victim.blob.uid)).status).toBe(404);
      expect((await download(other.blob.uid)).status).toBe(404);
    });

    it('an expired signature → 403, and the same URL worked before it expired', async () => {
      const fresh = await createBlob(server.url, token, { name: 'late.bin', content_type: 'application/octet-stream' });
      clockOffsetMs += 3601 * 1000;
      try {
        const response = await uploadBuffer(fresh.target, Buffer.from('late'));
        expect(response.status).toBe(403);
        expect(JSON.parse(response.text)).toEqual(SIGNATURE_REFUSED);
        expect((await download(fresh.blob.uid)).status).toBe(404);
      } finally {
        clockOffsetMs -= 3601 * 1000;
      }
      expect((await uploadBuffer(fresh.target, Buffer.from('on time'))).status).toBe(201);
    });
  });

  describe('path tricks never reach outside the blob folder', () => {
    it.each([
      '../../../../etc/passwd',
      '..%2F..%2Fparley.sqlite',
      '../parley.sqlite',
      'ab/../../x',
      `${'a'.repeat(32)}00\u0000`,
      `${'a'.repeat(32)}00/../../x`,
      '.partial',
      `${'A'.repeat(32)}00`,
    ])('upload key %j → 403, nothing written', async (key) => {
      const { target } = await createBlob(server.url, token, { name: 'trick.bin', content_type: 'application/octet-stream' });
      const before = await filesUnder(server.server.config.dataDir);
      const response = await uploadBuffer(withField(target, 'key', key), Buffer.from('pwned'));
      expect(response.status).toBe(403);
      expect(await filesUnder(server.server.config.dataDir)).toEqual(before);
    });

    it.each([
      '/blobs/..%2F..%2Fparley.sqlite',
      '/blobs/%2e%2e%2f%2e%2e%2fparley.sqlite',
      '/blobs/.partial',
      '/blobs/%2E%2E',
      '/blobs/..%5C..%5Cparley.sqlite',
      '/blobs/..%252F..%252Fparley.sqlite',
    ])('download %s → 404', async (url) => {
      const response = await rawRequest(server.url, url, { token });
      expect(response.status).toBe(404);
      expect(response.text).not.toContain('SQLite');
    });

    it.each(['/blobs/..%2F..%2Fparley.sqlite.json', '/blobs/%2e%2e.json'])('info %s → 404', async (url) => {
      const response = await rawRequest(server.url, url, { token });
      expect(response.status).toBe(404);
    });

    // NUL is a character XML forbids: the input guard refuses it before any route sees the path (issue 18).
    it.each(['/blobs/..%00', '/blobs/..%00.json'])('%s → 422, nothing read', async (url) => {
      const response = await rawRequest(server.url, url, { token });
      expect(response.status).toBe(422);
      expect(response.text).not.toContain('SQLite');
    });
  });

  it('a file over PARLEY_BLOB_MAX_BYTES → 413, and nothing of it remains', async () => {
    const { blob, target } = await createBlob(server.url, token, { name: 'big.bin', content_type: 'application/octet-stream' });
    const response = await uploadStream(target, MAX_BYTES * 4, patternChunk);
    // The server answers as soon as the limit is passed and closes; a client may see the answer or the close.
    if (response.status !== 0) {
      expect(response.status).toBe(413);
      expect(JSON.parse(response.text)).toEqual({ errors: { base: [`File is too large (the limit is ${MAX_BYTES} bytes)`] } });
    }
    await noPartialFiles();
    expect((await download(blob.uid)).status).toBe(404);
    expect(await filesUnder(blobRoot).then((files) => files.filter((file) => file.includes(blob.uid)))).toEqual([]);
    // Exactly at the limit is fine.
    expect((await uploadStream(target, MAX_BYTES, patternChunk)).status).toBe(201);
    expect(Buffer.from(await (await fetch(`${server.url}/blobs/${blob.uid}?token=${token}`)).arrayBuffer())).toEqual(patternChunk(0, MAX_BYTES));
  });

  it('a file one byte over the limit → 413', async () => {
    const { blob, target } = await createBlob(server.url, token, { name: 'edge.bin', content_type: 'application/octet-stream' });
    const response = await uploadStream(target, MAX_BYTES + 1, patternChunk);
    if (response.status !== 0) expect(response.status).toBe(413);
    await noPartialFiles();
    expect((await download(blob.uid)).status).toBe(404);
  });

  it('an upload cut off half-way leaves no file, and the blob cannot be declared complete', async () => {
    const { blob, target } = await createBlob(server.url, token, { name: 'cut.bin', content_type: 'application/octet-stream' });
    const response = await uploadStream(target, MAX_BYTES - 1, patternChunk, { cutAfterBytes: 100 * 1024 });
    expect(response.status).toBe(0);
    await noPartialFiles();
    expect((await download(blob.uid)).status).toBe(404);
    expect(await filesUnder(blobRoot).then((files) => files.filter((file) => file.includes(blob.uid)))).toEqual([]);
    const complete = await rawRequest(server.url, `/blobs/${blob.id}/complete.json`, { method: 'PUT', token, body: { size: MAX_BYTES - 1 } });
    expect(complete.status).toBe(422);
    expect((await info(blob.id)).blob).toMatchObject({ blob_status: null, size: null });
  });

  it('a cut-off (refused) re-upload keeps the previous bytes', async () => {
    const { blob, target } = await createBlob(server.url, token, { name: 'keep.bin', content_type: 'application/octet-stream' });
    expect((await uploadBuffer(target, Buffer.from('original'))).status).toBe(201);
    await uploadStream(target, 200 * 1024, patternChunk, { cutAfterBytes: 50 * 1024 });
    await noPartialFiles();
    expect((await download(blob.uid)).text).toBe('original');
  });

  it('a multipart body without a file part → 400', async () => {
    const { target } = await createBlob(server.url, token, { name: 'empty.bin', content_type: 'application/octet-stream' });
    const boundary = 'xyz';
    const body = target.fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join('') + `--${boundary}--\r\n`;
    const response = await rawRequest(server.url, '/blobs/upload', { method: 'POST', body, contentType: `multipart/form-data; boundary=${boundary}` });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ errors: { base: ['The upload has no file part'] } });
  });

  it.each([
    ['application/json', '{"file":"x"}', 415],
    ['text/plain', 'file', 415],
    [undefined, undefined, 415],
    ['multipart/form-data', 'no boundary', 400],
    ['multipart/form-data; boundary=zz', 'garbage', 400],
    ['multipart/form-data; boundary=zz', '--zz\r\nContent-Disposition: form-data; name="key"\r\n\r\nabc', 400],
  ])('a body of type %s is refused (%s → %i), never a 500', async (contentType, body, status) => {
    const before = await filesUnder(blobRoot);
    const response = await rawRequest(server.url, '/blobs/upload', { method: 'POST', ...(body === undefined ? {} : { body }), ...(contentType ? { contentType } : {}) });
    expect(response.status).toBe(status);
    expect(response.json).toEqual({ errors: { base: [expect.any(String)] } });
    expect(await filesUnder(blobRoot)).toEqual(before);
  });

  it('a form broken inside the file part → 400, nothing kept', async () => {
    const { blob, target } = await createBlob(server.url, token, { name: 'broken.bin', content_type: 'application/octet-stream' });
    const boundary = 'qq';
    const body =
      target.fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join('') +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"\r\nContent-Type: application/octet-stream\r\n\r\n` +
      'the body ends without its closing boundary';
    const response = await rawRequest(server.url, '/blobs/upload', { method: 'POST', body, contentType: `multipart/form-data; boundary=${boundary}` });
    expect(response.status).toBe(400);
    await noPartialFiles();
    expect((await download(blob.uid)).status).toBe(404);
  });

  it('the sweep removes partial files idle for an hour and keeps fresh ones', async () => {
    const partialDir = path.join(blobRoot, '.partial');
    await mkdir(partialDir, { recursive: true });
    const stale = path.join(partialDir, 'crashed.part');
    const fresh = path.join(partialDir, 'writing.part');
    await writeFile(stale, 'left by a crash');
    await writeFile(fresh, 'still arriving');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600 * 1000);
    await utimes(stale, twoHoursAgo, twoHoursAgo);
    expect(await server.server.services.blobs.sweepPartialUploads()).toBe(1);
    expect(await filesUnder(partialDir)).toEqual([fresh]);
    expect(await server.server.services.blobs.sweepPartialUploads(0)).toBe(1);
    expect(await filesUnder(partialDir)).toEqual([]);
  });
});
