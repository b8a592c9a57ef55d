import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** Lint keeps the code's shape (ADR 0013): no import cycles, no file over 400 lines of code in packages/*\/src. */
describe('lint shape', () => {
  const eslint = new ESLint();
  const problems = async (filePath: string, code: string, ruleId: string) => {
    const [result] = await eslint.lintText(code, { filePath });
    return (result?.messages ?? []).filter((message) => message.ruleId === ruleId).length;
  };

  it('refuses a value import that closes a cycle (delivery.ts imports ns.ts)', async () => {
    const code = "import { Delivery } from './delivery.js';\nexport const NS = { client: 'jabber:client' } as const;\nexport const uses = Delivery;\n";
    expect(await problems('packages/server/src/xmpp/ns.ts', code, 'import-x/no-cycle')).toBe(1);
  });

  it('allows the same import where no cycle closes', async () => {
    const code = "import { Delivery } from './delivery.js';\nexport const uses = Delivery;\n";
    expect(await problems('packages/server/src/xmpp/example.ts', code, 'import-x/no-cycle')).toBe(0);
  });

  it('refuses more than 400 lines of code, not counting blank lines and comments', async () => {
    const lines = (count: number) => Array.from({ length: count }, (_, index) => `export const value${index} = ${index};`).join('\n');
    expect(await problems('packages/server/src/domain/example.ts', `${lines(401)}\n`, 'max-lines')).toBe(1);
    expect(await problems('packages/server/src/domain/example.ts', `${lines(400)}\n\n\n// a comment\n/** and a doc comment */\n`, 'max-lines')).toBe(0);
  });
});
