import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { startTestS3, type TestS3 } from '@parley/testkit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDiskBlobStorage } from '../../src/adapters/blobs-disk/index.js';
import { createS3BlobStorage } from '../../src/adapters/blobs-s3/index.js';
import { BlobTooLarge, InvalidBlobKey, type BlobStorage } from '../../src/ports/blobs.js';

/** One adapter under test, on a fresh medium per test. */
interface Medium {
  storage: BlobStorage;
  /** Everything the adapter keeps (complete or partial), as names comparable with `nameOf`. */
  stored(): Promise<string[]>;
  /** How a complete object under `key` shows in `stored()`. */
  nameOf(key: string): string;
  /** The same adapter on a medium that cannot work (no such bucket, a file where the folder should be). */
  broken(): Promise<BlobStorage>;
  cleanup(): Promise<void>;
}

interface AdapterUnderTest {
  setup?(): Promise<void>;
  teardown?(): Promise<void>;
  medium(): Promise<Medium>;
}

async function allFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(root, path.join(entry.parentPath, entry.name))).sort();
}

const disk: AdapterUnderTest = {
  async medium() {
    const root = await mkdtemp(path.join(os.tmpdir(), 'parley-blob-storage-'));
    return {
      storage: createDiskBlobStorage(path.join(root, 'blobs')),
      stored: () => allFiles(root),
      nameOf: (key) => path.join('blobs', key.slice(0, 2).toLowerCase(), key),
      async broken() {
        await writeFile(path.join(root, 'not-a-folder'), 'x');
        return createDiskBlobStorage(path.join(root, 'not-a-folder', 'blobs'));
      },
      cleanup: () => rm(root, { recursive: true, force: true }),
    };
  },
};

/** S3 on s3rver; `partSize` 4 sends everything above 4 bytes through a multipart upload. */
function s3(partSize: number | undefined): AdapterUnderTest {
  let server: TestS3 | undefined;
  return {
    async setup() {
      server = await startTestS3();
    },
    teardown: () => server?.stop() ?? Promise.resolve(),
    async medium() {
      const { endpoint, bucket, region, accessKeyId, secretAccessKey } = server!;
      const options = { endpoint, bucket, region, accessKeyId, secretAccessKey, forcePathStyle: true };
      // A prefix per test: tests share the bucket and never see each other's objects.
      const prefix = `t${randomBytes(6).toString('hex')}/`;
      const client = new S3Client({ endpoint, region, forcePathStyle: true, credentials: { accessKeyId, secretAccessKey } });
      return {
        storage: createS3BlobStorage({ ...options, prefix, ...(partSize ? { partSize } : {}) }),
        async stored() {
          const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
          return (listed.Contents ?? []).map((object) => object.Key!).sort();
        },
        nameOf: (key) => prefix + key,
        broken: async () => createS3BlobStorage({ ...options, bucket: 'no-such-bucket' }),
        cleanup: async () => client.destroy(),
      };
    },
  };
}

/** The BlobStorage port's guarantees (ports/blobs.ts), on every adapter. */
const adapters: [string, AdapterUnderTest][] = [
  ['disk', disk],
  ['s3 (single PUT)', s3(undefined)],
  ['s3 (multipart)', s3(4)],
];

/** A source that yields `chunks` and then fails, like a client that went away. */
function failingSource(chunks: string[]): Readable {
  return Readable.from(
    (async function* () {
      for (const chunk of chunks) yield Buffer.from(chunk);
      throw new Error('connection reset');
    })(),
  );
}

describe.each(adapters)('BlobStorage contract: %s', (_name, adapter) => {
  let medium: Medium;
  let storage: BlobStorage;
  beforeAll(() => adapter.setup?.(), 30_000);
  afterAll(() => adapter.teardown?.());
  beforeEach(async () => {
    medium = await adapter.medium();
    storage = medium.storage;
  });
  afterEach(() => medium.cleanup());

  it('writes, stats, reads whole and by inclusive range, deletes', async () => {
    expect(await storage.write('abc123', Readable.from([Buffer.from('hello '), Buffer.from('world')]))).toEqual({ size: 11 });
    expect(await storage.stat('abc123')).toEqual({ size: 11 });
    expect(await text((await storage.read('abc123'))!)).toBe('hello world');
    expect(await text((await storage.read('abc123', { start: 6, end: 10 }))!)).toBe('world');
    expect(await text((await storage.read('abc123', { start: 0, end: 0 }))!)).toBe('h');
    expect(await storage.delete('abc123')).toBe(true);
    expect(await storage.delete('abc123')).toBe(false);
    expect(await storage.stat('abc123')).toBeUndefined();
    expect(await storage.read('abc123')).toBeUndefined();
  });

  it('an empty object is an object', async () => {
    expect(await storage.write('empty', Readable.from([]))).toEqual({ size: 0 });
    expect(await storage.stat('empty')).toEqual({ size: 0 });
    expect(await text((await storage.read('empty'))!)).toBe('');
  });

  it('a failed source leaves nothing, and the previous object under the key stays as it was', async () => {
    await storage.write('kept', Readable.from([Buffer.from('version 1')]));
    await expect(storage.write('kept', failingSource(['partial ', 'data']))).rejects.toThrow('connection reset');
    expect(await text((await storage.read('kept'))!)).toBe('version 1');
    await expect(storage.write('fresh', failingSource(['x']))).rejects.toThrow('connection reset');
    expect(await storage.stat('fresh')).toBeUndefined();
    expect(await medium.stored()).toEqual([medium.nameOf('kept')]);
  });

  it('more than maxBytes fails with BlobTooLarge and keeps nothing; exactly maxBytes is fine', async () => {
    await expect(storage.write('big', Readable.from([Buffer.alloc(6), Buffer.alloc(5)]), { maxBytes: 10 })).rejects.toBeInstanceOf(BlobTooLarge);
    expect(await storage.stat('big')).toBeUndefined();
    expect(await medium.stored()).toEqual([]);
    expect(await storage.write('big', Readable.from([Buffer.alloc(10)]), { maxBytes: 10 })).toEqual({ size: 10 });
  });

  it('a completed write replaces the object', async () => {
    await storage.write('swap', Readable.from([Buffer.from('old')]));
    await storage.write('swap', Readable.from([Buffer.from('brand new')]));
    expect(await text((await storage.read('swap'))!)).toBe('brand new');
  });

  it.each(['', '../x', '..', 'a/b', 'a\\b', 'a\u0000b', '.partial', 'x'.repeat(129), 'é', 'a b', '%2e%2e'])(
    'refuses key %j before touching the medium',
    async (key) => {
      await expect(storage.write(key, Readable.from([Buffer.from('x')]))).rejects.toBeInstanceOf(InvalidBlobKey);
      await expect(storage.read(key)).rejects.toBeInstanceOf(InvalidBlobKey);
      await expect(storage.stat(key)).rejects.toBeInstanceOf(InvalidBlobKey);
      await expect(storage.delete(key)).rejects.toBeInstanceOf(InvalidBlobKey);
      expect(await medium.stored()).toEqual([]);
    },
  );

  it('writes larger objects in order, and reads any range of them', async () => {
    const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
    const chunks = Array.from({ length: 10 }, (_, i) => bytes.subarray(i * 100, i * 100 + 100));
    expect(await storage.write('large', Readable.from(chunks))).toEqual({ size: 1000 });
    expect(Buffer.compare(Buffer.concat(await (await storage.read('large'))!.toArray()), bytes)).toBe(0);
    expect(Buffer.compare(Buffer.concat(await (await storage.read('large', { start: 3, end: 998 }))!.toArray()), bytes.subarray(3, 999))).toBe(0);
    expect(await medium.stored()).toEqual([medium.nameOf('large')]);
  });

  it('check passes on a usable medium and fails on a broken one', async () => {
    await storage.check();
    await expect((await medium.broken()).check()).rejects.toThrow();
  });
});

describe('BlobStorage disk: partial writes', () => {
  let root: string;
  let storage: BlobStorage;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'parley-blob-storage-'));
    storage = createDiskBlobStorage(path.join(root, 'blobs'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('sweepPartial removes only partial writes idle longer than idleMs', async () => {
    // A write in progress: its source has not ended yet.
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inProgress = storage.write(
      'slow',
      Readable.from(
        (async function* () {
          yield Buffer.from('first half ');
          await gate;
          yield Buffer.from('second half');
        })(),
      ),
    );
    await expect.poll(async () => (await allFiles(root)).filter((file) => file.endsWith('.part')).length).toBe(1);
    const [partial] = (await allFiles(root)).filter((file) => file.endsWith('.part'));
    const leftover = path.join(root, 'blobs', '.partial', 'crashed.part');
    await writeFile(leftover, 'left by a crash');
    const old = new Date(Date.now() - 3_600_000);
    await utimes(leftover, old, old);
    expect(await storage.sweepPartial(60_000)).toBe(1);
    await expect(stat(leftover)).rejects.toThrow();
    await stat(path.join(root, partial!));
    release();
    expect(await inProgress).toEqual({ size: 22 });
    expect(await allFiles(root)).toEqual([path.join('blobs', 'sl', 'slow')]);
  });
});
