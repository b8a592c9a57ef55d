// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const sqlAndDrivers = ['kysely', 'pg', 'better-sqlite3'];
const sockets = ['fastify', '@fastify/*', 'ws', 'node:net', 'node:tls', 'node:http', 'node:http2', '@xmpp/*'];

/** The floors of design.md §2 (protocol → ports → domain → faces → app.ts): imports only point down. */
function floor(files, forbidden, message) {
  return {
    files,
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: forbidden, message }] }] },
  };
}

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', fetch: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  floor(
    ['packages/protocol/src/**'],
    ['@parley/server', '@parley/server/*', '@parley/sdk', 'node:*', ...sqlAndDrivers, ...sockets],
    'protocol is the lowest floor: wire types and codecs only, no I/O and no Node built-ins.',
  ),
  floor(
    ['packages/server/src/ports/**'],
    ['**/domain/**', '**/http/**', '**/xmpp/**', '**/adapters/**', '**/ops/**', '**/app.js', ...sqlAndDrivers, ...sockets],
    'ports are interfaces: they import only protocol and each other.',
  ),
  floor(
    ['packages/server/src/domain/**'],
    ['**/http/**', '**/xmpp/**', '**/adapters/**', '**/ops/**', '**/app.js', ...sqlAndDrivers, ...sockets],
    'domain services never touch SQL, sockets or faces: they use ports.',
  ),
  floor(
    ['packages/server/src/http/**', 'packages/server/src/xmpp/**', 'packages/server/src/conference/**', 'packages/server/src/ops/**'],
    ['**/adapters/**', '**/app.js', ...sqlAndDrivers],
    'faces call domain services; adapters are chosen only in app.ts, and SQL stays in adapters.',
  ),
  floor(
    ['packages/server/src/adapters/**'],
    ['**/domain/**', '**/http/**', '**/xmpp/**', '**/app.js'],
    'adapters implement ports and import only ports and protocol.',
  ),
  floor(
    ['packages/sdk/src/**'],
    ['@parley/server', '@parley/server/*', 'node:*', ...sqlAndDrivers],
    'the SDK runs in browsers too: no server code and no Node built-ins.',
  ),
);
