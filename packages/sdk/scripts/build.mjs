// Builds the publishable package into dist/: ESM for bundlers and browsers (dist/index.js), the Node
// entry with the `ws` fallback (dist/node.js), one self-contained browser bundle
// (dist/parley-sdk.browser.js) and the type declarations (dist/types). The repository's own tests import
// src/ directly; this build is for `npm pack` and apps that install the package.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dist = path.join(root, 'dist');
rmSync(dist, { recursive: true, force: true });

/** Browsers have no Node built-ins: the few xmpp.js modules that import them (DNS SRV lookup) get an empty stand-in. */
const noNodeBuiltins = {
  name: 'no-node-builtins',
  setup(builder) {
    builder.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'node-builtin' }));
    builder.onLoad({ filter: /.*/, namespace: 'node-builtin' }, () => ({ contents: 'export default {};', loader: 'js' }));
  },
};

const common = { bundle: true, format: 'esm', target: 'es2022', logLevel: 'warning', absWorkingDir: root };
const external = ['@xmpp/*', 'ws'];
await Promise.all([
  build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/index.js', platform: 'neutral', external, mainFields: ['module', 'main'] }),
  build({ ...common, entryPoints: ['src/node.ts'], outfile: 'dist/node.js', platform: 'node', external }),
  build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/parley-sdk.browser.js', platform: 'browser', minify: true, plugins: [noNodeBuiltins] }),
]);

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });

// @xmpp/client ships no types: our ambient declarations travel with the package and the entry points
// reference them, so a consumer's `tsc --strict` resolves every type the SDK's declarations use.
const ambient = 'chat/realtime/xmpp-client.d.ts';
copyFileSync(path.join(root, 'src', ambient), path.join(dist, 'types', ambient));
for (const entry of ['index.d.ts', 'node.d.ts']) {
  const file = path.join(dist, 'types', entry);
  writeFileSync(file, `/// <reference path="./${ambient}" />\n${readFileSync(file, 'utf8')}`);
}
