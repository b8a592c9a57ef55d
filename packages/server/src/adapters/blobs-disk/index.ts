import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, constants, mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BLOB_KEY_PATTERN, BlobTooLarge, InvalidBlobKey, type BlobStorage, type ByteRange } from '../../ports/blobs.js';

/** Partial writes live here until their rename; the sweeper looks nowhere else. */
const PARTIAL_DIR = '.partial';

/** Counts bytes on their way to disk and fails the stream once there are more than `maxBytes`. */
class SizeGuard extends Transform {
  size = 0;
  constructor(private readonly maxBytes: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) callback(new BlobTooLarge(this.maxBytes));
    else callback(null, chunk);
  }
}

/**
 * Blob bytes as files under one folder: `<root>/<first two key characters>/<key>`. Writes stream to
 * `<root>/.partial/<random>`, are fsynced, then renamed into place (atomic on one file system).
 */
export function createDiskBlobStorage(root: string): BlobStorage {
  const resolvedRoot = path.resolve(root);
  const partialDir = path.join(resolvedRoot, PARTIAL_DIR);

  /** The file of a key; keys are checked first, so the path can never leave the root. */
  function fileOf(key: string): string {
    if (typeof key !== 'string' || !BLOB_KEY_PATTERN.test(key)) throw new InvalidBlobKey();
    const file = path.join(resolvedRoot, key.slice(0, 2).toLowerCase(), key);
    // Belt and braces: the pattern already rules out separators, dots-only names and NUL.
    if (path.dirname(path.dirname(file)) !== resolvedRoot) throw new InvalidBlobKey();
    return file;
  }

  async function statOf(key: string): Promise<{ size: number } | undefined> {
    try {
      const info = await stat(fileOf(key));
      return info.isFile() ? { size: info.size } : undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async function fsyncFile(file: string): Promise<void> {
    const handle = await open(file, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  return {
    async write(key, source, options = {}) {
      const target = fileOf(key);
      await mkdir(partialDir, { recursive: true });
      await mkdir(path.dirname(target), { recursive: true });
      const partial = path.join(partialDir, `${randomBytes(12).toString('hex')}.part`);
      const guard = new SizeGuard(options.maxBytes ?? Number.MAX_SAFE_INTEGER);
      try {
        await pipeline(source, guard, createWriteStream(partial, { flags: 'wx' }));
        await fsyncFile(partial);
        await rename(partial, target);
      } catch (error) {
        source.destroy();
        await rm(partial, { force: true });
        throw error;
      }
      return { size: guard.size };
    },

    async read(key, range?: ByteRange) {
      // Checked first so a missing file is an answer (undefined), not a stream error after the headers went out.
      if (!(await statOf(key))) return undefined;
      return createReadStream(fileOf(key), range ? { start: range.start, end: range.end } : {});
    },

    stat: statOf,

    async delete(key) {
      try {
        await unlink(fileOf(key));
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw error;
      }
    },

    async sweepPartial(idleMs) {
      const names = await readdir(partialDir).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [] as string[];
        throw error;
      });
      const cutoff = Date.now() - idleMs;
      let removed = 0;
      for (const name of names) {
        const file = path.join(partialDir, name);
        const info = await stat(file).catch(() => undefined);
        if (info && info.mtimeMs <= cutoff) {
          await rm(file, { force: true });
          removed += 1;
        }
      }
      return removed;
    },

    async check() {
      await mkdir(resolvedRoot, { recursive: true });
      await access(resolvedRoot, constants.W_OK);
    },
  };
}
