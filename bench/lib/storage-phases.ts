/**
 * File transfer phases for bench/storage-data.ts: N files of one size are created (POST /blobs.json),
 * uploaded as multipart to their signed URL, declared complete, then downloaded (GET /blobs/{uid}),
 * C at a time, each over its own loopback HTTP request (node:http). Bodies are streamed from one reused
 * 64 KiB chunk on the way up and counted, not kept, on the way down, so the client holds no file.
 *
 * A phase reports two rows, upload and download: files moved, MiB moved, wall seconds of the transfer
 * (create and complete are outside the clock), MiB/s over that wall time, and per-file latency p50/max.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { ApiTarget } from './api.js';
import { JSON_HEADERS } from './api.js';
import { percentile } from './report.js';
import type { Progress } from './run.js';

/** The server and a user session the phases act as. */
export interface StorageTarget extends ApiTarget {
  token: string;
}

export interface TransferRow {
  phase: string;
  files: number;
  mebibytes: number;
  seconds: number;
  mibPerSecond: number;
  p50Ms: number | null;
  maxMs: number | null;
  errors: number;
}

/**
 * One entry of bench/storage-data.ts's phase list: it runs, returns its rows (any number, any shape
 * with a `phase` name), and renders them; consecutive phases sharing a `format` share one table.
 */
export interface BenchPhase<Row extends { phase: string } = { phase: string }> {
  name: string;
  run(target: StorageTarget, progress: Progress): Promise<Row[]>;
  format(rows: Row[]): string;
}

const MIB = 1024 * 1024;
const CHUNK = randomBytes(64 * 1024);

interface UploadTicket {
  id: number;
  uid: string;
  url: string;
  fields: [string, string][];
}

async function createBlob(target: StorageTarget, name: string): Promise<UploadTicket> {
  const response = await fetch(`${target.url}/blobs.json`, {
    method: 'POST',
    headers: { ...JSON_HEADERS, 'CB-Token': target.token },
    body: JSON.stringify({ blob: { name, content_type: 'application/octet-stream', public: false } }),
  });
  const body = (await response.json()) as { blob: { id: number; uid: string; blob_object_access: { params: string } } };
  if (!response.ok) throw new Error(`create blob: HTTP ${response.status}`);
  const params = new URL(body.blob.blob_object_access.params);
  return { id: body.blob.id, uid: body.blob.uid, url: `${params.origin}${params.pathname}`, fields: [...params.searchParams.entries()] };
}

/** Streams a multipart upload of `size` bytes; resolves with the HTTP status. */
function upload(ticket: UploadTicket, size: number): Promise<number> {
  const boundary = `----bench${randomBytes(8).toString('hex')}`;
  const head =
    ticket.fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join('') +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const length = Buffer.byteLength(head) + size + Buffer.byteLength(tail);
  return new Promise((resolve, reject) => {
    const request = http.request(ticket.url, { method: 'POST', headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': String(length) } });
    request.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', reject);
    request.write(head);
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        const piece = Math.min(CHUNK.length, size - sent);
        sent += piece;
        if (!request.write(piece === CHUNK.length ? CHUNK : CHUNK.subarray(0, piece))) {
          request.once('drain', pump);
          return;
        }
      }
      request.end(tail);
    };
    pump();
  });
}

/** Downloads a file, counting its bytes; resolves with the count (rejects on a non-200). */
function download(target: StorageTarget, uid: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(`${target.url}/blobs/${uid}?token=${target.token}`, (response) => {
        let bytes = 0;
        response.on('data', (chunk: Buffer) => (bytes += chunk.length));
        response.on('end', () => (response.statusCode === 200 ? resolve(bytes) : reject(new Error(`download: HTTP ${response.statusCode}`))));
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

async function complete(target: StorageTarget, ticket: UploadTicket, size: number): Promise<void> {
  const response = await fetch(`${target.url}/blobs/${ticket.id}/complete.json`, {
    method: 'PUT',
    headers: { ...JSON_HEADERS, 'CB-Token': target.token },
    body: JSON.stringify({ size }),
  });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`complete: HTTP ${response.status}`);
}

async function deleteBlob(target: StorageTarget, id: number): Promise<void> {
  const response = await fetch(`${target.url}/blobs/${id}.json`, { method: 'DELETE', headers: { 'CB-Token': target.token } });
  await response.arrayBuffer();
}

/** Runs `task` for every item, `concurrency` at a time; per-item latencies in ms and the error count. */
async function timedPool<T>(items: readonly T[], concurrency: number, task: (item: T) => Promise<void>) {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        const t0 = performance.now();
        try {
          await task(item);
          latencies.push(performance.now() - t0);
        } catch {
          errors += 1;
        }
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, latencies: Float64Array.from(latencies).sort(), errors };
}

function row(phase: string, fileBytes: number, result: { seconds: number; latencies: Float64Array; errors: number }): TransferRow {
  const files = result.latencies.length;
  const mebibytes = (files * fileBytes) / MIB;
  const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
  const p50 = percentile(result.latencies, 50);
  const max = percentile(result.latencies, 100);
  return {
    phase,
    files,
    mebibytes: round(mebibytes),
    seconds: round(result.seconds, 3),
    mibPerSecond: result.seconds > 0 ? round(mebibytes / result.seconds) : 0,
    p50Ms: p50 === null ? null : round(p50),
    maxMs: max === null ? null : round(max),
    errors: result.errors,
  };
}

/** Upload then download `files` files of `fileBytes` each, `concurrency` at a time; the files are deleted afterwards. */
export function fileTransferPhase(label: string, fileBytes: number, files: number, concurrency: number): BenchPhase<TransferRow> {
  return {
    name: `files ${label}`,
    async run(target, progress) {
      progress(`${label}: creating ${files} blobs`);
      const tickets = await Promise.all(Array.from({ length: files }, (_, index) => createBlob(target, `bench-${label}-${index}.bin`)));
      progress(`${label}: uploading ${files} × ${fileBytes} bytes, ${concurrency} at a time`);
      const uploaded = await timedPool(tickets, concurrency, async (ticket) => {
        const status = await upload(ticket, fileBytes);
        if (status !== 201) throw new Error(`upload: HTTP ${status}`);
      });
      for (const ticket of tickets) await complete(target, ticket, fileBytes).catch(() => undefined);
      progress(`${label}: downloading ${files} files, ${concurrency} at a time`);
      const downloaded = await timedPool(tickets, concurrency, async (ticket) => {
        const bytes = await download(target, ticket.uid);
        if (bytes !== fileBytes) throw new Error(`download: ${bytes} of ${fileBytes} bytes`);
      });
      for (const ticket of tickets) await deleteBlob(target, ticket.id).catch(() => undefined);
      return [row(`upload ${label}`, fileBytes, uploaded), row(`download ${label}`, fileBytes, downloaded)];
    },
    format: formatTransferTable,
  };
}

/** Columns: phase, files, MiB, seconds, MiB/s, p50 ms, max ms, errors. */
export function formatTransferTable(rows: readonly TransferRow[]): string {
  const header = ['phase', 'files', 'MiB', 's', 'MiB/s', 'p50 ms', 'max ms', 'errors'];
  const cell = (value: number | null) => (value === null ? '-' : String(value));
  const body = rows.map((r) => [r.phase, String(r.files), cell(r.mebibytes), cell(r.seconds), cell(r.mibPerSecond), cell(r.p50Ms), cell(r.maxMs), String(r.errors)]);
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((line) => (line[column] ?? '').length)));
  const render = (line: readonly string[]) => line.map((text, column) => (column === 0 ? text.padEnd(widths[column] ?? 0) : text.padStart(widths[column] ?? 0))).join('  ');
  return [render(header), widths.map((width) => '-'.repeat(width)).join('  '), ...body.map(render)].join('\n');
}
