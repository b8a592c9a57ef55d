import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, sessionToken } from '@parley/testkit';
import { createBlob, patternChunk, uploadStream } from './blob-helpers.js';

/**
 * Uploads and downloads stream: a 100 MB file through the real server in its own process must not grow
 * that process's peak resident memory by anything near the file's size. The file is generated and
 * checked chunk by chunk, so this test never holds it either.
 *
 * Streaming still leaves garbage chunks until the next collection (V8 collects external memory lazily):
 * measured here ~35 MB of peak growth, the same for 50 MB and 100 MB files. A server holding the file
 * would grow by at least its 100 MB.
 */

const SERVER_BIN = fileURLToPath(new URL('../../bin/parley.js', import.meta.url));
const FILE_BYTES = 100 * 1024 * 1024;
/** A server that buffered the file would grow by at least FILE_BYTES; streaming stays far below. */
const GROWTH_LIMIT = 60 * 1024 * 1024;

async function peakRss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  if (!kib) throw new Error('no VmHWM in /proc status');
  return Number(kib) * 1024;
}

describe.runIf(process.platform === 'linux')('a 100 MB file through a server process', () => {
  let child: ChildProcess;
  let dataDir: string;
  let url: string;
  let app: { id: number; authKey: string };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-blob-memory-'));
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('PARLEY_')));
    child = spawn(process.execPath, [SERVER_BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--log-level', 'warn', '--data-dir', dataDir, '--password-hash-cost', '10', '--blob-max-bytes', '200mb'], {
      env: { ...env, PARLEY_XMPP_PORT: '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    ({ url, app } = await new Promise<{ url: string; app: { id: number; authKey: string } }>((resolve, reject) => {
      let out = '';
      child.once('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
      // The banner goes to stderr (stdout carries the JSON log lines).
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        const listening = /Parley (?:\S+ )?listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        const created = /application "default": id (\d+), auth key (\S+)/.exec(out);
        if (listening?.[1] && created?.[1] && created[2]) resolve({ url: listening[1], app: { id: Number(created[1]), authKey: created[2] } });
      });
    }));
  }, 60_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('streams the upload to disk and the download back without buffering it', async () => {
    const token = await sessionToken(url, app, { login: 'bigfile', password: 'password123' });
    // Warm up every code path once, so the baseline includes them.
    const warm = await createBlob(url, token, { name: 'warm.bin', content_type: 'application/octet-stream' });
    expect((await uploadStream(warm.target, 1024 * 1024, patternChunk)).status).toBe(201);
    await (await fetch(`${url}/blobs/${warm.blob.uid}?token=${token}`)).arrayBuffer();
    const pid = child.pid ?? 0;
    const baseline = await peakRss(pid);

    const { blob, target } = await createBlob(url, token, { name: 'big.bin', content_type: 'application/octet-stream' });
    expect((await uploadStream(target, FILE_BYTES, patternChunk)).status).toBe(201);
    expect((await rawRequest(url, `/blobs/${blob.id}/complete.json`, { method: 'PUT', token, body: { size: FILE_BYTES } })).status).toBe(200);

    const response = await fetch(`${url}/blobs/${blob.uid}?token=${token}`);
    expect(response.headers.get('content-length')).toBe(String(FILE_BYTES));
    let received = 0;
    let mismatches = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      if (!Buffer.from(chunk).equals(patternChunk(received, chunk.length))) mismatches += 1;
      received += chunk.length;
    }
    expect(received).toBe(FILE_BYTES);
    expect(mismatches).toBe(0);

    const growth = (await peakRss(pid)) - baseline;
    expect(growth).toBeLessThan(GROWTH_LIMIT);
  }, 120_000);
});
