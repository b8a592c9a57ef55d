import { mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiskBlobStorage } from '../../src/adapters/blobs-disk/index.js';
import { BlobTooLarge, InvalidBlobKey, type BlobStorage } from '../../src/ports/blobs.js';

/** The BlobStorage port's guarantees (ports/blobs.ts), on every adapter (the disk one for now). */
const adapters: [string, (root: string) => BlobStorage][] = [['disk', createDiskBlobStorage]];

/** A source that yields `chunks` and then fails, like a client that went away. */
function failingSource(chunks: string[]): Readable {
  return Readable.from(
    (async function* () {
      for (const chunk of chunks) yield Buffer.from(chunk);
      throw new Error('connection reset');
    })(),
  );
}

async function allFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(root, path.join(entry.parentPath, entry.name))).sort();
}

describe.each(adapters)('BlobStorage contract: %s', (_name, create) => {
  let root: string;
  let storage: BlobStorage;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'parley-blob-storage-'));
    storage = create(path.join(root, 'blobs'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

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
    expect(await allFiles(root)).toEqual([path.join('blobs', 'ke', 'kept')]);
  });

  it('more than maxBytes fails with BlobTooLarge and keeps nothing; exactly maxBytes is fine', async () => {
    await expect(storage.write('big', Readable.from([Buffer.alloc(6), Buffer.alloc(5)]), { maxBytes: 10 })).rejects.toBeInstanceOf(BlobTooLarge);
    expect(await storage.stat('big')).toBeUndefined();
    expect(await allFiles(root)).toEqual([]);
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
      expect(await allFiles(root)).toEqual([]);
    },
  );

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
