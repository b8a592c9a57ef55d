import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Esbuild from 'esbuild';

/** What a cached bundle was built from: esbuild's version and every input's size and mtime. */
interface Manifest {
  esbuild: string;
  inputs: Record<string, [mtimeMs: number, size: number]>;
}

/**
 * The worker's code bundled with esbuild into one CommonJS text (only `external` packages stay
 * `require`s), cached on disk in `cacheDir`: every process that opens a SQLite store needs it (each
 * test file is a process of its own), and a build costs 0.3–1 s of CPU while checking the inputs'
 * stats costs well under a millisecond. A cached bundle is used only while every input has the size
 * and mtime it was built from, so an edited source is always rebuilt. Writes are renames, so processes
 * starting together see the old bundle or the new one, whole.
 */
export function cachedWorkerBundle(entryFile: string, cacheDir: string, external: string[]): string {
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof Esbuild;
  const bundleFile = path.join(cacheDir, 'worker.cjs');
  const manifestFile = path.join(cacheDir, 'manifest.json');
  const cached = readCached(manifestFile, bundleFile, esbuild.version);
  if (cached !== undefined) return cached;

  const result = esbuild.buildSync({ entryPoints: [entryFile], bundle: true, platform: 'node', format: 'cjs', target: 'node20', external, write: false, metafile: true, absWorkingDir: path.dirname(entryFile) });
  const text = result.outputFiles[0]?.text ?? '';
  const inputs: Manifest['inputs'] = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    const file = path.resolve(path.dirname(entryFile), input);
    const info = statSync(file);
    inputs[file] = [info.mtimeMs, info.size];
  }
  try {
    mkdirSync(cacheDir, { recursive: true });
    const suffix = `.${process.pid}.${Date.now().toString(36)}`;
    writeFileSync(bundleFile + suffix, text);
    renameSync(bundleFile + suffix, bundleFile);
    writeFileSync(manifestFile + suffix, JSON.stringify({ esbuild: esbuild.version, inputs } satisfies Manifest));
    renameSync(manifestFile + suffix, manifestFile);
  } catch {
    // A read-only checkout: the bundle just built still serves this process.
  }
  return text;
}

function readCached(manifestFile: string, bundleFile: string, esbuildVersion: string): string | undefined {
  let manifest: Manifest;
  let text: string;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
    text = readFileSync(bundleFile, 'utf8');
  } catch {
    return undefined;
  }
  if (manifest.esbuild !== esbuildVersion) return undefined;
  for (const [file, [mtimeMs, size]] of Object.entries(manifest.inputs)) {
    const info = statSync(file, { throwIfNoEntry: false });
    if (info?.mtimeMs !== mtimeMs || info.size !== size) return undefined;
  }
  return text;
}
