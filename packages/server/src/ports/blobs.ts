import type { Readable } from 'node:stream';

/**
 * Where blob bytes live (the metadata rows are in the store, see `blob-store.ts`). Keys are opaque
 * `[A-Za-z0-9_-]{1,128}` strings chosen by the server; an adapter refuses anything else before it
 * touches its medium, so a key can never address something outside the blob area.
 *
 * Guarantees every adapter gives:
 * - `write` streams: memory use does not grow with the object's size;
 * - `write` is all or nothing: the object appears under its key only once every byte is durable; when
 *   the source fails, is cut off or passes `maxBytes`, nothing is left under the key (a previous object
 *   under the same key stays as it was) and the partial data is removed;
 * - a completed `write` replaces any previous object under the key atomically (readers see the old or
 *   the new bytes, never a mix);
 * - `read` of a range returns exactly bytes `start..end` (inclusive) of the object;
 * - `delete` of a missing key is not an error;
 * - `sweepPartial` removes leftovers of writes interrupted by a crash, never a write still in progress
 *   (one that wrote within `idleMs`).
 */
export interface BlobStorage {
  write(key: string, source: Readable, options?: { maxBytes?: number }): Promise<{ size: number }>;
  /** The object's bytes (or the inclusive range), or undefined when there is no such object. */
  read(key: string, range?: ByteRange): Promise<Readable | undefined>;
  stat(key: string): Promise<{ size: number } | undefined>;
  /** True when an object was removed. */
  delete(key: string): Promise<boolean>;
  /** Removes partial writes that have been idle for `idleMs`; returns how many. */
  sweepPartial(idleMs: number): Promise<number>;
  /** Resolves when the medium is usable (the folder writable, the bucket reachable); for /health. */
  check(): Promise<void>;
}

/** Inclusive byte offsets, `start <= end < size`. */
export interface ByteRange {
  start: number;
  end: number;
}

/** `write` read more than `maxBytes` from its source; nothing was kept. */
export class BlobTooLarge extends Error {
  override name = 'BlobTooLarge';
  constructor(readonly maxBytes: number) {
    super(`blob larger than ${maxBytes} bytes`);
  }
}

/** A key outside `[A-Za-z0-9_-]{1,128}`: refused before any file system or network access. */
export class InvalidBlobKey extends Error {
  override name = 'InvalidBlobKey';
  constructor() {
    super('invalid blob key');
  }
}

export const BLOB_KEY_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
