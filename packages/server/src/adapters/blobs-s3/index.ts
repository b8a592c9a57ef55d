import { Transform, type Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type CompletedPart,
} from '@aws-sdk/client-s3';
import { BLOB_KEY_PATTERN, BlobTooLarge, InvalidBlobKey, type BlobStorage, type ByteRange } from '../../ports/blobs.js';

export interface S3BlobOptions {
  /** Empty = AWS's own endpoint for the region; otherwise e.g. `http://127.0.0.1:9000` (MinIO, Ceph, R2 …). */
  endpoint: string;
  bucket: string;
  region: string;
  /** Empty key and secret = the AWS SDK's default credential chain (instance role, AWS_* variables …). */
  accessKeyId: string;
  secretAccessKey: string;
  /** `bucket` in the path instead of the host name (MinIO and most self-hosted servers need it). */
  forcePathStyle: boolean;
  /** Object key prefix in the bucket. */
  prefix?: string;
  /** Bytes buffered per part; objects up to this size go in one PUT. S3 needs at least 5 MiB. */
  partSize?: number;
}

/** 8 MiB parts: the memory one write holds at a time, and above S3's 5 MiB minimum part size. */
const DEFAULT_PART_SIZE = 8 * 1024 * 1024;

/**
 * Blob bytes as objects in an S3-compatible bucket, `<prefix><key>`. All-or-nothing writes come from
 * S3 itself: an object up to one part is a single PUT with a known length (S3 stores it whole or not
 * at all); a larger one is a multipart upload, which shows nothing under the key until it completes
 * and is aborted when the source fails or passes `maxBytes`. Memory per write is one part.
 */
export function createS3BlobStorage(options: S3BlobOptions): BlobStorage {
  const client = new S3Client({
    region: options.region,
    forcePathStyle: options.forcePathStyle,
    // Checksums only where S3 requires them: many S3-compatible servers refuse the SDK's newer defaults.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(options.endpoint !== '' ? { endpoint: options.endpoint } : {}),
    ...(options.accessKeyId !== '' ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } } : {}),
  });
  const Bucket = options.bucket;
  const prefix = options.prefix ?? 'blobs/';
  const partSize = options.partSize ?? DEFAULT_PART_SIZE;

  function objectKey(key: string): string {
    if (typeof key !== 'string' || !BLOB_KEY_PATTERN.test(key)) throw new InvalidBlobKey();
    return prefix + key;
  }

  async function statOf(key: string): Promise<{ size: number } | undefined> {
    const Key = objectKey(key);
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket, Key }));
      return { size: head.ContentLength ?? 0 };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Multipart upload of `first` and whatever the source still yields, in parts of `partSize`. */
  async function writeMultipart(Key: string, first: Buffer, rest: AsyncIterator<Buffer>, count: (chunk: Buffer) => void): Promise<void> {
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const parts: CompletedPart[] = [];
    const upload = async (body: Buffer) => {
      const PartNumber = parts.length + 1;
      const { ETag } = await client.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body: body, ContentLength: body.length }));
      parts.push({ ETag, PartNumber });
    };
    try {
      // Chunks gathered until a part is full; joined once per part, not once per chunk.
      let pending: Buffer[] = [first];
      let pendingBytes = first.length;
      const uploadFullParts = async () => {
        let joined = Buffer.concat(pending);
        while (joined.length >= partSize) {
          await upload(joined.subarray(0, partSize));
          joined = joined.subarray(partSize);
        }
        pending = [joined];
        pendingBytes = joined.length;
      };
      await uploadFullParts();
      for (let next = await rest.next(); !next.done; next = await rest.next()) {
        count(next.value);
        pending.push(next.value);
        pendingBytes += next.value.length;
        if (pendingBytes >= partSize) await uploadFullParts();
      }
      if (pendingBytes > 0 || parts.length === 0) await upload(Buffer.concat(pending));
      await client.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: parts } }));
    } catch (error) {
      // Best effort: a server that refuses leaves the parts for sweepPartial (or a bucket lifecycle rule).
      await client.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId })).catch(() => undefined);
      throw error;
    }
  }

  return {
    async write(key, source, writeOptions = {}) {
      const Key = objectKey(key);
      const maxBytes = writeOptions.maxBytes ?? Number.MAX_SAFE_INTEGER;
      let size = 0;
      const count = (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) throw new BlobTooLarge(maxBytes);
      };
      const chunks = (source as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
      const iterator: AsyncIterator<Buffer> = {
        next: async () => {
          const next = await chunks.next();
          return next.done ? next : { done: false, value: Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value) };
        },
      };
      try {
        // Buffer up to one part: a source that ends within it becomes one PUT.
        const head: Buffer[] = [];
        let buffered = 0;
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
          count(next.value);
          head.push(next.value);
          buffered += next.value.length;
          if (buffered >= partSize) {
            await writeMultipart(Key, Buffer.concat(head), iterator, count);
            return { size };
          }
        }
        const body = Buffer.concat(head);
        await client.send(new PutObjectCommand({ Bucket, Key, Body: body, ContentLength: body.length }));
        return { size };
      } catch (error) {
        source.destroy();
        throw error;
      }
    },

    async read(key, range?: ByteRange) {
      const Key = objectKey(key);
      try {
        const object = await client.send(new GetObjectCommand({ Bucket, Key, ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }));
        const body = object.Body as Readable;
        return range ? exactly(body, range.end - range.start + 1) : body;
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },

    stat: statOf,

    async delete(key) {
      const Key = objectKey(key);
      // S3 answers a delete of a missing key with success too, so ask first.
      if (!(await statOf(key))) return false;
      await client.send(new DeleteObjectCommand({ Bucket, Key }));
      return true;
    },

    async sweepPartial(idleMs) {
      const cutoff = Date.now() - idleMs;
      let removed = 0;
      let KeyMarker: string | undefined;
      let UploadIdMarker: string | undefined;
      do {
        const page = await client.send(new ListMultipartUploadsCommand({ Bucket, Prefix: prefix, KeyMarker, UploadIdMarker }));
        for (const upload of page.Uploads ?? []) {
          if (!upload.Key || !upload.UploadId || (upload.Initiated?.getTime() ?? 0) > cutoff) continue;
          // A write in progress uploaded a part lately: leave it alone.
          const parts = await client.send(new ListPartsCommand({ Bucket, Key: upload.Key, UploadId: upload.UploadId }));
          const lastWrite = Math.max(0, ...(parts.Parts ?? []).map((part) => part.LastModified?.getTime() ?? 0));
          if (lastWrite > cutoff) continue;
          await client.send(new AbortMultipartUploadCommand({ Bucket, Key: upload.Key, UploadId: upload.UploadId }));
          removed += 1;
        }
        ({ NextKeyMarker: KeyMarker, NextUploadIdMarker: UploadIdMarker } = page);
        if (!page.IsTruncated) break;
      } while (KeyMarker);
      return removed;
    },

    async check() {
      await client.send(new HeadBucketCommand({ Bucket }));
    },
  };
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}

/**
 * At most `length` bytes of `body`. The port promises exactly the range; some S3-compatible servers
 * send more for some ranges (s3rver answers `bytes=0-0` with the whole object), so it is enforced here.
 */
function exactly(body: Readable, length: number): Readable {
  let left = length;
  const limited = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (left <= 0) return callback();
      const part = chunk.length > left ? chunk.subarray(0, left) : chunk;
      left -= part.length;
      callback(null, part);
      if (left === 0) {
        this.push(null);
        body.unpipe(limited);
        body.destroy();
      }
    },
  });
  body.on('error', (error) => limited.destroy(error));
  return body.pipe(limited);
}
