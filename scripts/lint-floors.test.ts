import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The import floors of design.md §2 are lint rules: a wrong import must fail `npm run lint`. */
describe('lint floors', () => {
  const eslint = new ESLint();
  const restrictedImports = async (filePath: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath });
    return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports').length;
  };

  it.each([
    ['packages/server/src/domain/users/example.ts', "import { createSqliteStore } from '../../adapters/store-sqlite/index.js';"],
    ['packages/server/src/domain/users/example.ts', "import { Kysely } from 'kysely';"],
    ['packages/server/src/domain/users/example.ts', "import Fastify from 'fastify';"],
    ['packages/server/src/http/routes/example.ts', "import { sql } from 'kysely';"],
    ['packages/server/src/http/routes/example.ts', "import { createPostgresStore } from '../../adapters/store-postgres/index.js';"],
    ['packages/server/src/ports/example.ts', "import { AppService } from '../domain/apps/service.js';"],
    ['packages/server/src/adapters/store-sql/example.ts', "import { UserService } from '../../domain/users/service.js';"],
    ['packages/protocol/src/example.ts', "import { readFileSync } from 'node:fs';"],
    ['packages/sdk/src/example.ts', "import { createServer } from '@parley/server';"],
    ['packages/server/src/http/routes/example.ts', "import { openStore } from '../../composition/store.js';"],
    ['packages/server/src/domain/users/example.ts', "import type { Services } from '../../composition/services.js';"],
  ])('%s may not: %s', async (filePath, code) => {
    expect(await restrictedImports(filePath, `${code}\nexport {};\n`)).toBe(1);
  });

  it.each([
    ['packages/server/src/domain/users/example.ts', "import type { Store } from '../../ports/store.js';"],
    ['packages/server/src/http/routes/example.ts', "import { DomainFailure } from '../../domain/shared/failure.js';"],
    ['packages/server/src/app.ts', "import { createSqliteStore } from './adapters/store-sqlite/index.js';"],
    ['packages/server/src/composition/store.ts', "import { createSqliteStore } from '../adapters/store-sqlite/index.js';"],
  ])('%s may: %s', async (filePath, code) => {
    expect(await restrictedImports(filePath, `${code}\nexport {};\n`)).toBe(0);
  });
});
