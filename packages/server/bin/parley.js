#!/usr/bin/env node
// Runs the server from a bundle of its TypeScript sources, rebuilt whenever a source changed, with
// source maps so stack traces name the .ts files (docs/adr/0023-run-the-server-from-a-cached-bundle.md).
import { bundled } from './build.js';

process.setSourceMapsEnabled(true);
let entry;
try {
  entry = await bundled();
} catch (error) {
  // A read-only checkout (an image or a service user) with changed sources: still run them, slower.
  if (!['EACCES', 'EPERM', 'EROFS'].includes(error?.code)) throw error;
  process.stderr.write(`warning: cannot write the server's bundle (${error.message}); running the sources through tsx, which is slower — build it as a user who may write there: node packages/server/bin/build.js\n`);
  const { register } = await import('tsx/esm/api');
  register();
  entry = '../src/main.ts';
}
await import(entry);
