import { readFileSync } from 'node:fs';

/** The server package's version (package.json), shown by `parley --version`, `status` and the admin API. */
export const parleyVersion: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
