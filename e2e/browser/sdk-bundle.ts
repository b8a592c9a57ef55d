import path from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from '@parley/testkit/browser';

let bundled: Promise<string> | undefined;

/**
 * @parley/sdk as one browser script whose global `ConnectyCube` is the SDK's default instance, the way a
 * page would load the official `connectycube.min.js` (esbuild, as Vite and tsx use it; built in memory).
 */
export function bundleParleySdk(): Promise<string> {
  bundled ??= build({
    entryPoints: [path.join(REPO_ROOT, 'packages/sdk/src/index.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'ParleySdk',
    platform: 'browser',
    target: 'chrome120',
    footer: { js: 'var ConnectyCube = ParleySdk.default;' },
    logLevel: 'silent',
    // @xmpp/client's DNS SRV lookup is Node-only (its package maps it out for browsers under another file
    // name); the SDK always connects to a configured WebSocket URL, so an empty module stands in.
    plugins: [
      {
        name: 'no-node-builtins',
        setup(plugin) {
          plugin.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'node-builtin' }));
          plugin.onLoad({ filter: /.*/, namespace: 'node-builtin' }, () => ({ contents: 'export default {};', loader: 'js' }));
        },
      },
    ],
  }).then((result) => result.outputFiles[0]!.text);
  return bundled;
}
