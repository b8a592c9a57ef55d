import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { rawRequest } from '@parley/testkit';
import type { BlobWire } from '@parley/protocol';

/** Raw wire helpers for the blob suites: create through REST, upload as hand-made multipart over node:http. */

export interface UploadTarget {
  /** The upload URL without its query (where the form is POSTed). */
  url: string;
  /** The signed fields, in URL order, decoded. */
  fields: [string, string][];
}

export async function createBlob(baseUrl: string, token: string, blob: Record<string, unknown>): Promise<{ blob: BlobWire; target: UploadTarget }> {
  const response = await rawRequest(baseUrl, '/blobs.json', { method: 'POST', token, body: { blob } });
  if (response.status !== 201) throw new Error(`create failed: ${response.status} ${response.text}`);
  const wire = (response.json as { blob: BlobWire }).blob;
  const params = new URL(wire.blob_object_access?.params ?? '');
  const fields = [...params.searchParams.entries()];
  return { blob: wire, target: { url: `${params.origin}${params.pathname}`, fields } };
}

export interface UploadResult {
  status: number;
  text: string;
  headers: http.IncomingHttpHeaders;
}

export interface UploadOptions {
  /** Leave out the file name and send `application/octet-stream`, as the official SDK does in Node. */
  filename?: string | null;
  /** Destroy the socket after this many file bytes were written (a client that goes away). */
  cutAfterBytes?: number;
  extraHeaders?: Record<string, string>;
}

/**
 * POSTs `fields` then a `file` part holding `size` bytes produced by `chunk(offset, length)`, streamed
 * (never built in memory). Resolves with the response, or with status 0 when the connection ended first.
 */
export function uploadStream(target: UploadTarget | { url: string; fields: [string, string][] }, size: number, chunk: (offset: number, length: number) => Buffer, options: UploadOptions = {}): Promise<UploadResult> {
  const boundary = `----parley${randomBytes(8).toString('hex')}`;
  const head = target.fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join('');
  const filename = options.filename === undefined ? null : options.filename;
  const fileHead =
    `--${boundary}\r\nContent-Disposition: form-data; name="file"${filename === null ? '' : `; filename="${filename}"`}\r\n` +
    'Content-Type: application/octet-stream\r\n\r\n';
  const tail = `\r\n--${boundary}--\r\n`;
  const total = Buffer.byteLength(head) + Buffer.byteLength(fileHead) + size + Buffer.byteLength(tail);

  return new Promise((resolve) => {
    const request = http.request(target.url, {
      method: 'POST',
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': String(total), ...options.extraHeaders },
    });
    let settled = false;
    const settle = (result: UploadResult) => {
      if (!settled) {
        settled = true;
        resolve(result);
      }
    };
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (data: string) => (text += data));
      response.on('end', () => settle({ status: response.statusCode ?? 0, text, headers: response.headers }));
      response.on('error', () => settle({ status: response.statusCode ?? 0, text, headers: response.headers }));
    });
    // The server may answer and close before the body is through (signature refused, too large).
    request.on('error', () => setImmediate(() => settle({ status: 0, text: '', headers: {} })));

    const write = async () => {
      request.write(head);
      request.write(fileHead);
      const step = 64 * 1024;
      for (let offset = 0; offset < size; offset += step) {
        if (request.destroyed) return;
        const length = Math.min(step, size - offset);
        if (options.cutAfterBytes !== undefined && offset + length > options.cutAfterBytes) {
          // Let the bytes reach the server, then vanish without finishing the body.
          await new Promise<void>((done) => request.write(chunk(offset, (options.cutAfterBytes ?? 0) - offset), () => done()));
          request.destroy();
          settle({ status: 0, text: '', headers: {} });
          return;
        }
        if (!request.write(chunk(offset, length))) await new Promise((done) => request.once('drain', done));
      }
      request.end(tail);
    };
    write().catch(() => settle({ status: 0, text: '', headers: {} }));
  });
}

/** A deterministic byte pattern: byte i is `(i * 31 + 7) & 0xff`; cheap to regenerate for any range. */
export function patternChunk(offset: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i += 1) buffer[i] = ((offset + i) * 31 + 7) & 0xff;
  return buffer;
}

export function uploadBuffer(target: UploadTarget, bytes: Buffer, options: UploadOptions = {}): Promise<UploadResult> {
  return uploadStream(target, bytes.length, (offset, length) => bytes.subarray(offset, offset + length), options);
}

/** Every file under the blob folder (the committed blobs and the partial writes). */
export async function filesUnder(blobRoot: string): Promise<string[]> {
  const entries = await readdir(blobRoot, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name)).sort();
}

export function blobRootOf(dataDir: string): string {
  return path.join(dataDir, 'blobs');
}
