import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser.js';

/**
 * Browser helpers for conference tests: the shared Chromium launcher (browser.ts) with autoplay on, and a
 * static server for the pages and the scripts they load (official SDK bundle, adapter.js).
 */

export function launchConferenceChromium(): Promise<Browser> {
  return launchChromium(['--autoplay-policy=no-user-gesture-required']);
}

const require = createRequire(import.meta.url);

/** Scripts a conference page may load, by URL path. */
export const conferenceScripts: Record<string, string> = {
  '/adapter.js': require.resolve('webrtc-adapter/out/adapter.js'),
  // The package's exports hide dist/; its Node entry sits in dist/node/.
  '/connectycube.min.js': path.join(path.dirname(require.resolve('connectycube')), '..', 'connectycube.min.js'),
};

/**
 * @parley/sdk as one browser script (global `ParleyConnectyCube`, the package's exports), bundled from
 * source with esbuild (already installed with the test tools).
 */
export async function bundleParleySdk(): Promise<string> {
  const { build } = await import('esbuild');
  type Plugin = NonNullable<Parameters<typeof build>[0]['plugins']>[number];
  // Node built-ins reached only by the chat's TCP/DNS paths are never used in a page: empty stand-ins.
  const nodeBuiltins: Plugin = {
    name: 'node-builtins-empty',
    setup(builder) {
      builder.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'empty' }));
      builder.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
    },
  };
  const result = await build({
    // The source, not the package's built dist/ (which exists only after `npm run build -w @parley/sdk`).
    entryPoints: [path.join(path.dirname(require.resolve('@parley/sdk/package.json')), 'src/index.ts')],
    bundle: true,
    format: 'iife',
    globalName: 'ParleyConnectyCube',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
    plugins: [nodeBuiltins],
  });
  return result.outputFiles[0]?.text ?? '';
}

export interface StaticSite {
  url: string;
  close(): Promise<void>;
}

/** Serves files (path → file on disk) and in-memory texts (path → `{ body, type }`) on 127.0.0.1. */
export async function serveStatic(files: Record<string, string | { body: string; type: string }>): Promise<StaticSite> {
  const server: Server = createServer((request, response) => {
    const entry = files[(request.url ?? '/').split('?')[0] ?? '/'];
    if (entry === undefined) {
      response.writeHead(404).end();
      return;
    }
    const send = (body: string | Buffer, type: string) => response.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' }).end(body);
    if (typeof entry !== 'string') send(entry.body, entry.type);
    else readFile(entry).then((body) => send(body, 'text/javascript; charset=utf-8'), () => response.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * In-page script: records every RTCPeerConnection so a test can read `getStats()` of all of them
 * (the SDKs keep theirs private). Load it before any SDK script.
 */
export const peerConnectionProbe = `
(() => {
  const Native = window.RTCPeerConnection;
  window.__pcs = [];
  window.RTCPeerConnection = class extends Native {
    constructor(...args) { super(...args); window.__pcs.push(this); }
  };
  /** Every JSON frame sent over a WebSocket (the Janus requests), for comparing the SDKs' wire. */
  window.__sent = [];
  const nativeSend = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    try { if (typeof data === 'string') window.__sent.push(JSON.parse(data)); } catch (_) { /* not JSON */ }
    return nativeSend.call(this, data);
  };
  /** Inbound video bytes per receiving stream (ssrc) over all live connections. */
  window.__inboundVideo = async () => {
    const out = {};
    for (const pc of window.__pcs) {
      if (pc.connectionState === 'closed') continue;
      const stats = await pc.getStats();
      stats.forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'video') out[String(s.ssrc)] = s.bytesReceived; });
    }
    return out;
  };
})();
`;
