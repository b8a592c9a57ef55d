import path from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from '@parley/testkit';

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
  }).then((result) => result.outputFiles[0]!.text);
  return bundled;
}
