import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundled, type Tree } from '../../bin/build.js';

/**
 * bin/build.js (ADR 0023) on a small workspace of its own: a package importing a sibling file, a
 * workspace package and its own package.json by `import.meta.url`, bundled by the real esbuild and run
 * by node. The server itself is covered by every test that spawns bin/parley.js.
 */
describe('the server bundle (bin/build.js)', () => {
  let root: string;
  let tree: Tree;
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  const run = (url: string, ...args: string[]) => spawnSync(process.execPath, ['--enable-source-maps', fileURLToPath(url), ...args], { encoding: 'utf8' });

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'parley-bundle-'));
    write('tsconfig.json', '{ "compilerOptions": { "verbatimModuleSyntax": true } }');
    write('packages/app/package.json', '{ "type": "module", "version": "7.7.7" }');
    write('packages/app/src/greet.ts', "export const greet = (): string => 'hello';\n");
    write(
      'packages/app/src/main.ts',
      [
        "import { readFileSync } from 'node:fs';",
        "import { shout } from '@parley/lib';",
        "import { greet } from './greet.js';",
        "const own = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };",
        'const named = { hi: () => greet() };',
        'console.log(shout(named.hi()), own.version);',
        "if (process.argv[2] === 'throw') throw new Error('boom');",
        '',
      ].join('\n'),
    );
    write('packages/lib/package.json', '{ "name": "@parley/lib", "type": "module", "exports": { ".": "./src/index.ts" } }');
    write('packages/lib/src/index.ts', 'export const shout = (text: string): string => text.toUpperCase();\n');
    mkdirSync(path.join(root, 'node_modules/@parley'), { recursive: true });
    symlinkSync(path.join(root, 'packages/lib'), path.join(root, 'node_modules/@parley/lib'));
    tree = { root, entry: path.join(root, 'packages/app/src/main.ts'), buildDir: path.join(root, 'packages/app/.cache/parley') };
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('bundles the workspace sources without keepNames, keeps import.meta.url lookups and maps stack traces to the .ts lines', async () => {
    const url = await bundled(tree);
    expect(run(url)).toMatchObject({ status: 0, stdout: 'HELLO 7.7.7\n' });
    expect(readFileSync(fileURLToPath(url), 'utf8')).not.toContain('__name');
    const failed = run(url, 'throw');
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain(`${path.join(root, 'packages/app/src/main.ts')}:7`);
  });

  it('reuses the bundle while the sources are unchanged, even when an mtime moved', async () => {
    const first = await bundled(tree);
    expect(await bundled(tree)).toBe(first);
    const later = new Date(Date.now() + 60_000);
    utimesSync(path.join(root, 'packages/app/src/greet.ts'), later, later);
    expect(await bundled(tree)).toBe(first);
  });

  it('rebuilds when a source, a workspace package or a settings file changes', async () => {
    const first = await bundled(tree);
    write('packages/app/src/greet.ts', "export const greet = (): string => 'bye';\n");
    const second = await bundled(tree);
    expect(second).not.toBe(first);
    expect(run(second).stdout).toBe('BYE 7.7.7\n');

    write('packages/lib/src/index.ts', "export const shout = (text: string): string => `${text}!`;\n");
    const third = await bundled(tree);
    expect(run(third).stdout).toBe('bye! 7.7.7\n');

    // Absent when built, so its arrival is a change.
    write('tsconfig.base.json', '{}');
    expect(await bundled(tree)).not.toBe(third);
  });

  it("fails with esbuild's message when a source does not compile, and keeps the last good bundle", async () => {
    const before = await bundled(tree);
    const good = readFileSync(path.join(root, 'packages/app/src/greet.ts'), 'utf8');
    write('packages/app/src/greet.ts', 'export const greet = (: string => ;\n');
    await expect(bundled(tree)).rejects.toThrow(/greet\.ts/);
    write('packages/app/src/greet.ts', good);
    expect(await bundled(tree)).toBe(before);
  });
});
