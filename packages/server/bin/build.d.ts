/** Where a bundle's sources live and where it is cached (paths are absolute). */
export interface Tree {
  /** The workspace root: manifest paths are relative to it. */
  root: string;
  entry: string;
  buildDir: string;
}
/** packages/server/src/main.ts, cached in packages/server/.build. */
export const SERVER: Tree;
/** The file URL of an up-to-date bundle of `tree.entry`, built first when any of its sources changed. */
export function bundled(tree?: Tree): Promise<string>;
