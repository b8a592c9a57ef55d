import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { errorCatalogue, type ErrorCode, type ErrorDefinition } from '@parley/protocol';
import { rawRequest, startServer } from '@parley/testkit';
import { describe, expect, it } from 'vitest';
import { blobTooLarge } from '../packages/server/src/domain/blobs/service.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const read = (file: string) => readFileSync(`${repo}/${file}`, 'utf8');

/** Claims in docs/ that drifted once; each is checked against the code or the running server. */
describe('docs match behaviour', () => {
  it('docs/architecture.md names the xmpp face, the CLI and every domain module', () => {
    const architecture = read('docs/architecture.md');
    const modules = readdirSync(`${repo}/packages/server/src/domain`, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    expect(modules.length).toBeGreaterThan(5);
    for (const module of modules) expect(architecture, `docs/architecture.md lacks src/domain/${module}`).toContain(`src/domain/${module}`);
    for (const folder of ['src/xmpp/', 'src/cli/', 'src/http/admin']) expect(architecture).toContain(folder);
  });

  it('docs/errors.md shows the texts the server sends', async () => {
    const withText = (Object.entries(errorCatalogue) as [ErrorCode, ErrorDefinition][]).filter(([, entry]) => entry.sentAs !== undefined);
    expect(withText.map(([code]) => code).sort()).toEqual(['BLOB_TOO_LARGE', 'ROUTE_NOT_FOUND']);
    const pattern = (code: ErrorCode) => new RegExp(`^${(errorCatalogue[code] as ErrorDefinition).sentAs!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/<[^>]+>/g, '.+')}$`);
    const errors = read('docs/errors.md');
    for (const [, entry] of withText) expect(errors).toContain(entry.sentAs);

    const server = await startServer();
    try {
      const response = await rawRequest(server.url, '/no/such/route');
      expect(response.status).toBe(404);
      expect((response.json as { errors: { base: string[] } }).errors.base[0]).toMatch(pattern('ROUTE_NOT_FOUND'));
    } finally {
      await server.stop();
    }
    // The face sends this failure's message as is (the wire itself: blobs-upload.test.ts).
    expect(blobTooLarge(1024).message).toMatch(pattern('BLOB_TOO_LARGE'));
  });

  it('the deployment kit names only options that exist', async () => {
    const { configSchema } = await import('../packages/server/src/config/schema.js');
    const known = new Set<string>(Object.values(configSchema).map((option) => option.env));
    for (const file of ['Dockerfile', 'deploy/compose.yaml', 'deploy/systemd/parley.service', 'deploy/nginx/parley.conf', 'deploy/caddy/Caddyfile', 'docs/deploy.md', 'README.md']) {
      for (const name of read(file).match(/PARLEY_[A-Z_]+/g) ?? []) {
        if (name === 'PARLEY_TEST_DATABASE_URL') continue;
        expect(known.has(name), `${file} names ${name}, which is no option`).toBe(true);
      }
    }
  });

  it('docs/compat-notes.md says who is online as the XMPP face decides it', () => {
    const notes = read('docs/compat-notes.md');
    expect(notes).not.toMatch(/until then nobody is online/);
    expect(notes).toMatch(/online from the initial presence/);
  });
});
