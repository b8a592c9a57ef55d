import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { readPassword } from './password-input.js';

/** What the first start prints while no operator exists. */
export function firstOperatorHint(dashboardUrl: string): string {
  return [
    `No dashboard operator yet. Create the first one, then sign in at ${dashboardUrl}:`,
    '  npm run parley -- admin create --login admin      (asks for the password twice)',
  ].join('\n');
}

/** `parley admin create|passwd`: dashboard operator accounts (the password from a prompt, stdin or --password). */
export function registerOperatorCommands(program: Command, context: CliContext): void {
  const admin = program.command('admin').description('manage dashboard operators (create, passwd)');

  admin
    .command('create')
    .description('create an operator who signs in at /dashboard (the password is read from a prompt or stdin unless --password is given)')
    .requiredOption('--login <login>', 'operator login (3–64 letters, digits or . _ @ -)')
    .option('--password <password>', 'password, at least 8 characters (prefer the prompt or stdin: command lines end up in shell history)')
    .option('--json', 'print JSON')
    .action(async (options: { login: string; password?: string; json?: boolean }) => {
      const password = options.password ?? (await readPassword('Password', context.io.stdin));
      const operator = await context.withServices((services) => services.operators.create(options.login, password));
      context.output(options.json, { id: operator.id, login: operator.login }, () => `created operator "${operator.login}": sign in at /dashboard`);
    });

  admin
    .command('passwd')
    .description("set an operator's password (prompt, stdin or --password); their dashboard sessions end")
    .requiredOption('--login <login>', 'operator login')
    .option('--password <password>', 'new password')
    .action(async (options: { login: string; password?: string }) => {
      const password = options.password ?? (await readPassword('New password', context.io.stdin));
      await context.withServices((services) => services.operators.setPassword(options.login, password));
      context.output(false, {}, () => `password of operator "${options.login}" changed; their sessions ended`);
    });
}
