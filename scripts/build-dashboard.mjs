#!/usr/bin/env node
// Builds packages/dashboard into its dist/ when dist is missing or older than any source file.
// Run by `npm ci`/`npm install` (prepare), `npm start` (prestart) and the dashboard's browser tests,
// so an operator never needs a separate build command. A fresh build takes a few seconds.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../packages/dashboard/', import.meta.url));
const output = path.join(root, 'dist', 'index.html');

function newest(entry) {
  const info = statSync(entry);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(entry).map((name) => newest(path.join(entry, name))));
}

export async function buildDashboardIfStale({ quiet = false } = {}) {
  const sources = ['src', 'index.html', 'vite.config.ts', 'package.json'].map((name) => path.join(root, name));
  let builtAt = 0;
  try {
    builtAt = statSync(output).mtimeMs;
  } catch {
    builtAt = 0;
  }
  if (builtAt > Math.max(...sources.map(newest))) return false;
  const { build } = await import('vite');
  if (!quiet) process.stderr.write('Building the dashboard (packages/dashboard → dist)…\n');
  await build({ root, configFile: path.join(root, 'vite.config.ts'), logLevel: quiet ? 'silent' : 'warn' });
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await buildDashboardIfStale();
}
