#!/usr/bin/env node
// The server's JavaScript (docs/adr/0023-run-the-server-from-a-cached-bundle.md): src/main.ts and the
// workspace sources it imports, bundled by esbuild into packages/server/.build/ with a source map;
// packages from node_modules stay imports. The bundle is reused while every file it was built from
// has the same content (size and mtime first, then a SHA-1 when the mtime moved), so a start never
// runs stale code and an unchanged tree starts without compiling. Run as a script, it only builds.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const serverRoot = fileURLToPath(new URL('../', import.meta.url));
/** The tree `parley` runs: the workspace root, the entry and the cache folder. */
export const SERVER = { root: path.resolve(serverRoot, '../..'), entry: path.join(serverRoot, 'src/main.ts'), buildDir: path.join(serverRoot, '.build') };
/** Read by esbuild besides the sources (tsconfig settings such as verbatimModuleSyntax). */
const SETTINGS = ['tsconfig.json', 'tsconfig.base.json'];
/** An older bundle may still be about to be imported by a process that read the previous manifest. */
const KEEP_OLD_MS = 10 * 60_000;
const LOADERS = { '.ts': 'ts', '.mts': 'ts', '.js': 'js', '.mjs': 'js', '.json': 'json' };

const sha1 = (data) => createHash('sha1').update(data).digest('hex');
const slashes = (file) => file.split(path.sep).join('/');

/** This file and the esbuild version: a new build recipe invalidates every bundle. */
function recipe() {
  const esbuildPackage = createRequire(import.meta.url).resolve('esbuild/package.json');
  return sha1(readFileSync(fileURLToPath(import.meta.url)) + readFileSync(esbuildPackage, 'utf8'));
}

function readManifest(tree) {
  try {
    return JSON.parse(readFileSync(path.join(tree.buildDir, 'manifest.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

function isFresh(tree, manifest) {
  if (manifest?.recipe !== recipe()) return false;
  for (const [file, [mtimeMs, size, digest]] of Object.entries(manifest.files)) {
    const info = statSync(path.join(tree.root, file), { throwIfNoEntry: false });
    // size -1: absent when built (a settings file an image leaves out), so its arrival is a change too.
    if ((info?.size ?? -1) !== size) return false;
    if (info && info.mtimeMs !== mtimeMs && sha1(readFileSync(path.join(tree.root, file))) !== digest) return false;
  }
  return statSync(path.join(tree.buildDir, manifest.bundle), { throwIfNoEntry: false })?.isFile() === true;
}

/** Records a file as read: stat before read, so a later edit always moves the mtime away from the recorded one. */
function track(tree, files, absolute) {
  const info = statSync(absolute);
  const data = readFileSync(absolute);
  files[slashes(path.relative(tree.root, absolute))] = [info.mtimeMs, info.size, sha1(data)];
  return data.toString('utf8');
}

/**
 * Loads the workspace sources itself: each is tracked for the manifest, and `import.meta.url` becomes
 * the source file's own URL (relative to the bundle, so the tree can move), which keeps lookups such
 * as `new URL('../../package.json', import.meta.url)` pointing where they did.
 */
function workspaceSources(tree, files) {
  return {
    name: 'parley-workspace-sources',
    setup(build) {
      // Bare imports stay imports (resolved from the bundle's folder, as from src/), except the workspace's own packages.
      build.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@parley/') ? undefined : { path: args.path, external: true }));
      build.onLoad({ filter: /\.(m?[jt]s|json)$/ }, (args) => {
        const text = track(tree, files, args.path);
        const own = JSON.stringify(slashes(path.relative(tree.buildDir, args.path)));
        return { contents: text.replaceAll('import.meta.url', `new URL(${own}, import.meta.url).href`), loader: LOADERS[path.extname(args.path)] };
      });
    },
  };
}

async function build(tree) {
  const esbuild = await import('esbuild');
  const files = {};
  for (const name of SETTINGS) {
    if (statSync(path.join(tree.root, name), { throwIfNoEntry: false })) track(tree, files, path.join(tree.root, name));
    else files[name] = [0, -1, ''];
  }
  const bundle = `main-${Date.now().toString(36)}-${process.pid}.mjs`;
  const result = await esbuild.build({
    absWorkingDir: tree.root,
    entryPoints: [tree.entry],
    outfile: path.join(tree.buildDir, bundle),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    sourcesContent: false,
    write: false,
    metafile: true,
    logLevel: 'warning',
    plugins: [workspaceSources(tree, files)],
  });
  // A source outside the plugin's filter would be compiled but not watched.
  const untracked = Object.keys(result.metafile.inputs).filter((input) => !files[input]);
  if (untracked.length > 0) throw new Error(`bin/build.js: inputs not tracked for freshness: ${untracked.join(', ')}`);
  // Each workspace package's package.json decides how its sources load (type, exports).
  for (const input of Object.keys(files)) {
    const match = /^packages\/[^/]+\//.exec(input);
    if (match) track(tree, files, path.join(tree.root, match[0], 'package.json'));
  }
  mkdirSync(tree.buildDir, { recursive: true });
  for (const output of result.outputFiles) writeFileSync(output.path, output.contents);
  // The manifest is replaced in one rename: a concurrent start sees the old bundle or the new one, whole.
  const manifest = path.join(tree.buildDir, 'manifest.json');
  writeFileSync(`${manifest}.${process.pid}`, JSON.stringify({ recipe: recipe(), bundle, files }));
  renameSync(`${manifest}.${process.pid}`, manifest);
  removeOldBundles(tree, bundle);
  return bundle;
}

function removeOldBundles(tree, current) {
  for (const name of readdirSync(tree.buildDir)) {
    if (!name.startsWith('main-') || name.startsWith(current)) continue;
    const file = path.join(tree.buildDir, name);
    // Another start may be removing the same file.
    const builtAt = statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
    if (Date.now() - builtAt > KEEP_OLD_MS) rmSync(file, { force: true });
  }
}

/** The file URL of an up-to-date bundle of `tree.entry`, built first when any of its sources changed. */
export async function bundled(tree = SERVER) {
  const manifest = readManifest(tree);
  const bundle = isFresh(tree, manifest) ? manifest.bundle : await build(tree);
  return pathToFileURL(path.join(tree.buildDir, bundle)).href;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await bundled();
}
