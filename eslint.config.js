// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const sqlAndDrivers = ['kysely', 'pg', 'better-sqlite3'];
const sockets = ['fastify', '@fastify/*', 'ws', 'node:net', 'node:tls', 'node:http', 'node:http2', '@xmpp/*'];

/** The floors of design.md §2 (protocol → ports → domain → faces → app.ts and composition/): imports only point down. */
function floor(files, forbidden, message) {
  return {
    files,
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: forbidden, message }] }] },
  };
}

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/.build/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', fetch: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // No import cycles (issue 13): a cycle makes load order matter and hides which floor a file is on.
    // Type-only imports are not counted (they vanish at run time); `import type` cycles are kept out by review.
    files: ['packages/*/src/**/*.ts', 'packages/*/src/**/*.tsx'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/extensions': ['.ts', '.tsx', '.js'], 'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] }, 'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['tsconfig.json', 'packages/dashboard/tsconfig.json'], noWarnOnMultipleProjects: true })] },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    // No god files (design.md §3): split by feature before a file passes 400 lines of code.
    files: ['packages/*/src/**/*.ts', 'packages/*/src/**/*.tsx'],
    rules: { 'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }] },
  },
  floor(
    ['packages/protocol/src/**'],
    ['@parley/server', '@parley/server/*', '@parley/sdk', 'node:*', ...sqlAndDrivers, ...sockets],
    'protocol is the lowest floor: wire types and codecs only, no I/O and no Node built-ins.',
  ),
  floor(
    ['packages/server/src/ports/**'],
    ['**/domain/**', '**/http/**', '**/xmpp/**', '**/adapters/**', '**/ops/**', '**/app.js', '**/composition/**', ...sqlAndDrivers, ...sockets],
    'ports are interfaces: they import only protocol and each other.',
  ),
  floor(
    ['packages/server/src/domain/**'],
    ['**/http/**', '**/xmpp/**', '**/adapters/**', '**/ops/**', '**/app.js', '**/composition/**', ...sqlAndDrivers, ...sockets],
    'domain services never touch SQL, sockets or faces: they use ports.',
  ),
  floor(
    ['packages/server/src/http/**', 'packages/server/src/xmpp/**', 'packages/server/src/conference/**', 'packages/server/src/ops/**'],
    ['**/adapters/**', '**/app.js', '**/composition/**', ...sqlAndDrivers],
    'faces call domain services; adapters are chosen only in app.ts and composition/, and SQL stays in adapters.',
  ),
  floor(
    ['packages/server/src/adapters/**'],
    ['**/domain/**', '**/http/**', '**/xmpp/**', '**/app.js', '**/composition/**'],
    'adapters implement ports and import only ports and protocol.',
  ),
  floor(
    ['packages/sdk/src/**'],
    ['@parley/server', '@parley/server/*', 'node:*', ...sqlAndDrivers],
    'the SDK runs in browsers too: no server code and no Node built-ins.',
  ),
);
