import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

/**
 * Browser test helpers (import `@parley/testkit/browser`, kept out of the main entry so suites without a
 * browser do not load playwright-core).
 */

/** The repository root (for files under node_modules and packages). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Debian's Chromium; never a downloaded browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Headless, quiet, no QUIC; fake camera and microphone granted without a prompt; loopback ICE allowed. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
  // Background pages (several per browser) must keep their timers and media running.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

/** One headless Chromium per test file; pages in separate contexts stand for separate users. */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/** What a static route serves: a file on disk, or inline content. */
export type StaticEntry = { file: string } | { content: string | Buffer; type?: string };

export interface StaticServer {
  /** `http://127.0.0.1:PORT` (a secure context for getUserMedia, as localhost is). */
  url: string;
  /** Adds or replaces a route. */
  set(urlPath: string, entry: StaticEntry): void;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.css': 'text/css',
};

/**
 * A static server on a free port of 127.0.0.1 that serves only the routes it was given (test pages, the
 * official SDK's browser bundle, webrtc-adapter, the @parley/sdk bundle): nothing else of the disk.
 */
export async function startStaticServer(routes: Record<string, StaticEntry> = {}): Promise<StaticServer> {
  const table = new Map(Object.entries(routes));
  const server = http.createServer((request, response) => {
    const urlPath = new URL(request.url ?? '/', 'http://x').pathname;
    const entry = table.get(urlPath);
    if (!entry || request.method !== 'GET') {
      response.writeHead(404).end();
      return;
    }
    const send = (body: string | Buffer, type: string) => {
      response.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' }).end(body);
    };
    if ('file' in entry) {
      readFile(entry.file).then(
        (body) => send(body, TYPES[path.extname(entry.file)] ?? 'application/octet-stream'),
        () => response.writeHead(404).end(),
      );
    } else {
      send(entry.content, entry.type ?? TYPES[path.extname(urlPath)] ?? 'text/plain');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    set(urlPath, entry) {
      table.set(urlPath, entry);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The official SDK's browser bundle (global `ConnectyCube`) and webrtc-adapter, from node_modules. */
export const OFFICIAL_SDK_ROUTES: Record<string, StaticEntry> = {
  '/vendor/connectycube.min.js': { file: path.join(REPO_ROOT, 'node_modules/connectycube/dist/connectycube.min.js') },
  '/vendor/adapter.js': { file: path.join(REPO_ROOT, 'node_modules/webrtc-adapter/out/adapter.js') },
};
