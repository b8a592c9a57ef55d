// Builds the publishable package into dist/: ESM for bundlers and browsers (dist/index.js), the Node
// entry with the `ws` fallback (dist/node.js), one self-contained browser bundle
// (dist/parley-sdk.browser.js) and the bundled type declarations (dist/types). The repository's own tests import
// src/ directly; this build is for `npm pack` and apps that install the package.
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { rollup } from 'rollup';
import { dts } from 'rollup-plugin-dts';

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

// Declarations: one self-contained file per entry. @parley/protocol is a private workspace package that
// ships TypeScript source, so the wire types the SDK takes from it are inlined here (rollup-plugin-dts
// keeps only the types the SDK's API reaches) and the published package never names it.
const bundle = await rollup({
  input: { index: 'src/index.ts', node: 'src/node.ts' },
  external: ['@xmpp/client', 'ws'],
  plugins: [dts({ tsconfig: path.join(root, 'tsconfig.build.json'), includeExternal: ['@parley/protocol'] })],
  onwarn(warning) {
    // Declarations drop the value side of imports such as `xml` from @xmpp/client: expected, not a fault.
    if (warning.code === 'UNUSED_EXTERNAL_IMPORT') return;
    throw new Error(`declaration bundle: ${warning.message}`);
  },
});
await bundle.write({ dir: path.join(dist, 'types'), format: 'es', entryFileNames: '[name].d.ts', chunkFileNames: '[name]-[hash].d.ts' });
await bundle.close();

// @xmpp/client ships no types: our ambient declarations travel with the package and the entry points
// reference them, so a consumer's `tsc --strict` resolves every type the SDK's declarations use.
const ambient = 'xmpp-client.d.ts';
copyFileSync(path.join(root, 'src/chat/realtime', ambient), path.join(dist, 'types', ambient));
for (const entry of ['index.d.ts', 'node.d.ts']) {
  const file = path.join(dist, 'types', entry);
  writeFileSync(file, `/// <reference path="./${ambient}" />\n${readFileSync(file, 'utf8')}`);
}
