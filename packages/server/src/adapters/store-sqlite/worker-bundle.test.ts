import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cachedWorkerBundle } from './worker-bundle.js';

describe('the SQLite worker bundle cache', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function tree(): { entry: string; helper: string; cache: string } {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'parley-worker-bundle-'));
    dirs.push(dir);
    const entry = path.join(dir, 'entry.ts');
    const helper = path.join(dir, 'helper.ts');
    writeFileSync(entry, "import { word } from './helper.js';\nconsole.log(word);\n");
    writeFileSync(helper, "export const word: string = 'first';\n");
    return { entry, helper, cache: path.join(dir, 'cache') };
  }

  it('reuses the cached bundle while no input changed, and rebuilds when one did', () => {
    const { entry, helper, cache } = tree();
    expect(cachedWorkerBundle(entry, cache, [])).toContain('"first"');
    const bundleFile = path.join(cache, 'worker.cjs');
    // Mark the cached file so that a reuse (not a rebuild) is visible in the text returned.
    writeFileSync(bundleFile, `// cached\n${readFileSync(bundleFile, 'utf8')}`);
    expect(cachedWorkerBundle(entry, cache, [])).toContain('// cached');

    writeFileSync(helper, "export const word: string = 'second';\n");
    const rebuilt = cachedWorkerBundle(entry, cache, []);
    expect(rebuilt).toContain('"second"');
    expect(rebuilt).not.toContain('// cached');
  });

  it('keeps external packages as require calls', () => {
    const { entry, cache } = tree();
    writeFileSync(entry, "import Database from 'better-sqlite3';\nconsole.log(typeof Database);\n");
    expect(cachedWorkerBundle(entry, cache, ['better-sqlite3'])).toContain('require("better-sqlite3")');
  });
});
