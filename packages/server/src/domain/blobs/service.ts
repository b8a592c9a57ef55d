import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { isBlobUid, toInteger } from '@parley/protocol';
import type { BlobRecord } from '../../ports/blob-store.js';
import { BlobTooLarge, type BlobStorage, type ByteRange } from '../../ports/blobs.js';
import type { Store } from '../../ports/store.js';
import type { Actor, Clock } from '../shared/actor.js';
import { DomainFailure } from '../shared/failure.js';
import { readBlobChange, readBlobPage, readDeclaredSize, readName, readNewBlob } from './input.js';
import { signBlobUrl, verifyBlobUrl, type SignedPurpose } from './signing.js';

export interface BlobOptions {
  /** Largest accepted upload in bytes (PARLEY_BLOB_MAX_BYTES). */
  maxBytes: number;
  /** Validity of signed upload and download URLs (PARLEY_BLOB_URL_TTL). */
  urlTtlSeconds: number;
}

/** The fields of a signed URL, in the order they go into its query string. */
export type SignedFields = [string, string][];

export interface SignedUrl {
  fields: SignedFields;
  expiresAt: number;
}

/** Who asks for the bytes: nobody (public blobs), a session token, or a signed download URL. */
export interface DownloadAccess {
  /** Resolves the token of `?token=` or `CB-Token` (throws the 401 of an unknown session). */
  authenticate?: () => Promise<Actor>;
  expires?: unknown;
  signature?: unknown;
}

export interface DownloadTarget {
  blob: BlobRecord;
  size: number;
  /** Strong validator: changes with every completed upload. */
  etag: string;
}

/** Partial uploads untouched this long are leftovers of a crash (a live upload keeps writing). */
const PARTIAL_IDLE_MS = 60 * 60 * 1000;

const notFound = () => new DomainFailure('NOT_FOUND');
const ownerOnly = () => new DomainFailure('FORBIDDEN', { message: 'Only the owner of the file may do this' });
const badSignature = () => new DomainFailure('UPLOAD_SIGNATURE_INVALID');
const urlUsed = () => new DomainFailure('UPLOAD_URL_USED');

/** A fresh uid: 128 random bits as lower-case hex + `00` (rest.md §1.6). */
export function newBlobUid(): string {
  return `${randomBytes(16).toString('hex')}00`;
}

/**
 * Files (rest.md §5): metadata through the store, bytes through the BlobStorage port under the blob's
 * uid. Uploads are authorised by a signature bound to the blob, downloads by visibility, a session of
 * the blob's application, or a signed download URL.
 */
export class BlobService {
  /** Uids with an upload in progress on this node: a second upload through the same URL waits for none. */
  private readonly uploading = new Set<string>();

  constructor(
    private readonly store: Pick<Store, 'apps' | 'blobs'>,
    private readonly storage: BlobStorage,
    private readonly clock: Clock,
    private readonly options: BlobOptions,
  ) {}

  get maxBytes(): number {
    return this.options.maxBytes;
  }

  async create(actor: Actor, body: unknown): Promise<{ blob: BlobRecord; upload: SignedUrl }> {
    const ownerId = requireUser(actor);
    const fields = readNewBlob(body);
    const now = this.clock();
    const blob = await this.store.blobs.create(actor.appId, {
      ownerId,
      uid: newBlobUid(),
      name: fields.name,
      contentType: fields.contentType,
      isPublic: fields.isPublic,
      storedSize: null,
      uploadedAt: null,
      completedAt: null,
      createdAt: now,
      updatedAt: now,
    });
    const { expires, signature, expiresAt } = await this.sign(blob, 'upload');
    return {
      blob,
      upload: {
        expiresAt,
        fields: [
          ['key', blob.uid],
          ['Content-Type', blob.contentType],
          ['Expires', String(expires)],
          ['success_action_status', '201'],
          ['signature', signature],
        ],
      },
    };
  }

  /**
   * Checks the signed fields of an upload before any byte of the file is read: the blob exists, the
   * signature was made for it by its application and has not expired.
   */
  async authorizeUpload(fields: Record<string, string>): Promise<BlobRecord> {
    const uid = fields.key;
    if (uid === undefined || !isBlobUid(uid)) throw badSignature();
    const blob = await this.store.blobs.findByUidInAnyApp(uid);
    if (!blob || !(await this.signatureHolds(blob, 'upload', fields.Expires, fields.signature))) throw badSignature();
    // Single-use: a replayed URL (even a still valid one) never replaces a file that arrived.
    if (blob.uploadedAt !== null || blob.completedAt !== null || this.uploading.has(blob.uid)) throw urlUsed();
    return blob;
  }

  /**
   * Streams the file to storage (never whole in memory) and records its size. A file over the limit
   * or cut off half-way leaves nothing behind and the blob as it was.
   */
  async storeUpload(blob: BlobRecord, file: Readable): Promise<BlobRecord> {
    if (this.uploading.has(blob.uid)) throw urlUsed();
    this.uploading.add(blob.uid);
    let size: number;
    try {
      const current = await this.store.blobs.findByUidInAnyApp(blob.uid);
      if (current && (current.uploadedAt !== null || current.completedAt !== null)) throw urlUsed();
      ({ size } = await this.storage.write(blob.uid, file, { maxBytes: this.options.maxBytes }));
    } catch (error) {
      this.uploading.delete(blob.uid);
      if (error instanceof BlobTooLarge) throw blobTooLarge(this.options.maxBytes);
      throw error;
    }
    const now = this.clock();
    const stored = await this.store.blobs.update(blob.appId, blob.id, { storedSize: size, uploadedAt: now, updatedAt: now }).finally(() => this.uploading.delete(blob.uid));
    if (!stored) {
      // Deleted while its bytes were arriving: the bytes must not outlive the row.
      await this.storage.delete(blob.uid);
      throw notFound();
    }
    return stored;
  }

  /** "Declare uploaded": the owner marks a blob whose bytes have arrived as complete. */
  async complete(actor: Actor, id: string, body: unknown): Promise<BlobRecord> {
    const blob = await this.owned(actor, id);
    readDeclaredSize(body);
    if (blob.storedSize === null) throw new DomainFailure('VALIDATION_FAILED', { fields: { blob: ['has no uploaded file yet'] } });
    const now = this.clock();
    return (await this.store.blobs.update(actor.appId, blob.id, { completedAt: now, updatedAt: now })) ?? blob;
  }

  /** By numeric id or by uid (all digits → id, rest.md §5.5); any user of the application. */
  async get(actor: Actor, ref: string): Promise<BlobRecord> {
    const blob = await this.find(actor, ref);
    if (!blob) throw notFound();
    return blob;
  }

  /** `storage.update` arrives as a GET with `blob[name]`: the owner's rename, else a plain read. */
  async getOrRename(actor: Actor, ref: string, query: Record<string, unknown>): Promise<BlobRecord> {
    const blob = await this.get(actor, ref);
    const wanted = (query.blob as Record<string, unknown> | undefined)?.name;
    if (wanted === undefined || blob.ownerId !== actor.userId) return blob;
    const name = readName(wanted);
    if (name === blob.name) return blob;
    return (await this.store.blobs.update(actor.appId, blob.id, { name, updatedAt: this.clock() })) ?? blob;
  }

  /** `PUT /blobs/{id}`: the owner changes name and/or content type. */
  async update(actor: Actor, ref: string, body: unknown): Promise<BlobRecord> {
    const blob = await this.owned(actor, ref);
    const change = readBlobChange(body);
    if (change.name === undefined && change.contentType === undefined) return blob;
    return (await this.store.blobs.update(actor.appId, blob.id, { ...change, updatedAt: this.clock() })) ?? blob;
  }

  /** A URL that downloads the bytes without headers, valid for the configured TTL (rest.md §5.6). */
  async downloadUrl(actor: Actor, ref: string): Promise<{ blob: BlobRecord; download: SignedUrl }> {
    const blob = await this.get(actor, ref);
    const { expires, signature, expiresAt } = await this.sign(blob, 'download');
    return { blob, download: { expiresAt, fields: [['expires', String(expires)], ['signature', signature]] } };
  }

  /**
   * A file the server itself made (a meeting recording), owned by `ownerId`, private, complete at once.
   * Nothing is left behind when the write fails.
   */
  async storeServerFile(appId: number, ownerId: number, name: string, contentType: string, source: Readable): Promise<BlobRecord> {
    const now = this.clock();
    const uid = newBlobUid();
    const { size } = await this.storage.write(uid, source);
    try {
      return await this.store.blobs.create(appId, {
        ownerId, uid, name, contentType, isPublic: false, storedSize: size, uploadedAt: now, completedAt: now, createdAt: now, updatedAt: now,
      });
    } catch (error) {
      await this.storage.delete(uid);
      throw error;
    }
  }

  /** A download URL's path and query for a blob the caller may read, valid `ttlSeconds`. */
  async signedDownloadPath(appId: number, blobId: number, ttlSeconds: number): Promise<string | undefined> {
    return (await this.signedDownload(appId, blobId, ttlSeconds))?.path;
  }

  /** The signed download path with what a player needs to know about the file (name, content type). */
  async signedDownload(appId: number, blobId: number, ttlSeconds: number): Promise<{ path: string; name: string; contentType: string } | undefined> {
    const blob = await this.store.blobs.findById(appId, blobId);
    if (!blob) return undefined;
    const expires = Math.floor(this.clock() / 1000) + ttlSeconds;
    const signature = signBlobUrl(await this.appSecret(appId), 'download', blob.uid, expires);
    return { path: `/blobs/${blob.uid}?expires=${expires}&signature=${encodeURIComponent(signature)}`, name: blob.name, contentType: blob.contentType };
  }

  async list(actor: Actor, query: Record<string, unknown>): Promise<{ page: number; perPage: number; total: number; blobs: BlobRecord[] }> {
    const ownerId = requireUser(actor);
    const { page, perPage } = readBlobPage(query);
    const { total, blobs } = await this.store.blobs.listByOwner(actor.appId, ownerId, { offset: (page - 1) * perPage, limit: perPage });
    return { page, perPage, total, blobs };
  }

  /** The owner deletes: the row first (no one can reach the bytes after), then the bytes. */
  async delete(actor: Actor, ref: string): Promise<void> {
    const blob = await this.owned(actor, ref);
    if (!(await this.store.blobs.delete(actor.appId, blob.id))) throw notFound();
    await this.storage.delete(blob.uid);
  }

  /** Every blob uid of an application (before it is deleted: its rows go with it, its bytes do not). */
  async uidsOfApp(appId: number): Promise<string[]> {
    const uids: string[] = [];
    for (let after = 0; ; ) {
      const page = await this.store.blobs.uidsOfApp(appId, after, 1000);
      uids.push(...page.map((row) => row.uid));
      if (page.length < 1000) return uids;
      after = page[page.length - 1]?.id ?? after;
    }
  }

  /** Removes stored bytes by uid; returns how many existed. */
  async deleteBytes(uids: string[]): Promise<number> {
    let removed = 0;
    for (const uid of uids) if (await this.storage.delete(uid)) removed += 1;
    return removed;
  }

  /**
   * Who may read the bytes (rest.md §5.7): anyone for a public blob; otherwise a valid signed download
   * URL, or a session of the blob's application. Another application's session sees no such blob.
   */
  async resolveDownload(uid: string, access: DownloadAccess): Promise<DownloadTarget> {
    if (!isBlobUid(uid)) throw notFound();
    const blob = await this.store.blobs.findByUidInAnyApp(uid);
    if (!blob) throw notFound();
    if (!blob.isPublic) {
      if (access.signature !== undefined) {
        if (!(await this.signatureHolds(blob, 'download', access.expires, access.signature))) throw badSignature();
      } else if (access.authenticate) {
        const actor = await access.authenticate();
        if (actor.appId !== blob.appId) throw notFound();
      } else {
        throw new DomainFailure('TOKEN_REQUIRED');
      }
    }
    // Served once bytes exist, declared complete or not.
    if (blob.storedSize === null || blob.uploadedAt === null) throw notFound();
    return { blob, size: blob.storedSize, etag: blobEtag(blob) };
  }

  async openBytes(blob: BlobRecord, range?: ByteRange): Promise<Readable> {
    const stream = await this.storage.read(blob.uid, range);
    if (!stream) throw notFound();
    return stream;
  }

  /** Removes partial uploads a crash left behind; uploads still in progress are kept. */
  sweepPartialUploads(idleMs = PARTIAL_IDLE_MS): Promise<number> {
    return this.storage.sweepPartial(idleMs);
  }

  private async find(actor: Actor, ref: string): Promise<BlobRecord | undefined> {
    if (/^\d+$/.test(ref)) {
      const id = toInteger(ref);
      return id === undefined ? undefined : this.store.blobs.findById(actor.appId, id);
    }
    return isBlobUid(ref) ? this.store.blobs.findByUid(actor.appId, ref) : undefined;
  }

  private async owned(actor: Actor, ref: string): Promise<BlobRecord> {
    const blob = await this.get(actor, ref);
    if (blob.ownerId !== actor.userId) throw ownerOnly();
    return blob;
  }

  private async sign(blob: BlobRecord, purpose: SignedPurpose): Promise<{ expires: number; signature: string; expiresAt: number }> {
    const expires = Math.floor(this.clock() / 1000) + this.options.urlTtlSeconds;
    const signature = signBlobUrl(await this.appSecret(blob.appId), purpose, blob.uid, expires);
    return { expires, signature, expiresAt: expires * 1000 };
  }

  private async signatureHolds(blob: BlobRecord, purpose: SignedPurpose, expiresField: unknown, signature: unknown): Promise<boolean> {
    const expires = typeof expiresField === 'string' && /^\d{1,12}$/.test(expiresField) ? Number(expiresField) : undefined;
    if (expires === undefined || typeof signature !== 'string' || signature === '') return false;
    if (expires * 1000 < this.clock()) return false;
    return verifyBlobUrl(await this.appSecret(blob.appId), purpose, blob.uid, expires, signature);
  }

  private async appSecret(appId: number): Promise<string> {
    const app = await this.store.apps.findById(appId);
    if (!app) throw notFound();
    return app.authSecret;
  }
}

function requireUser(actor: Actor): number {
  if (actor.userId === null) throw new DomainFailure('NEED_USER');
  return actor.userId;
}

/** The 413 of an upload over `maxBytes` (also used by the face when its multipart reader trips first). */
export function blobTooLarge(maxBytes: number): DomainFailure {
  return new DomainFailure('BLOB_TOO_LARGE', { message: `File is too large (the limit is ${maxBytes} bytes)` });
}

/** A strong validator that changes with every completed upload. */
export function blobEtag(blob: BlobRecord): string {
  return `"${blob.uid}-${(blob.uploadedAt ?? 0).toString(36)}-${(blob.storedSize ?? 0).toString(36)}"`;
}
