import type { Command } from 'commander';
import type { UserRecord } from '../ports/store.js';
import { callRunningServer, viaServerOrStore } from './admin-client.js';
import { CliError, idOption, type CliContext } from './context.js';
import { readPassword } from './password-input.js';

function userJson(user: UserRecord) {
  return {
    id: user.id,
    appId: user.appId,
    login: user.login,
    email: user.email,
    fullName: user.fullName,
    tags: user.tags,
    isGuest: user.isGuest,
    blocked: Boolean(user.blockedAt),
    createdAt: new Date(user.createdAt).toISOString(),
    lastRequestAt: user.lastRequestAt === null ? null : new Date(user.lastRequestAt).toISOString(),
  };
}

const line = (user: UserRecord) => `${user.id}\t${user.login ?? ''}\t${user.email ?? ''}\t${user.fullName ?? ''}${user.blockedAt ? '\tblocked' : ''}`;

/** `parley user create|list|show|passwd|block|delete`. */
export function registerUserCommands(program: Command, context: CliContext): void {
  const user = program.command('user').description('manage users (create, list, show, passwd, block, delete)');
  const target = (command: Command) => command.requiredOption('--app <id>', 'application id').requiredOption('--user <id>', 'user id');

  user
    .command('create')
    .description('create a user (the password is read from a prompt or stdin unless --password is given)')
    .requiredOption('--app <id>', 'application id')
    .option('--login <login>', 'login')
    .option('--email <email>', 'email')
    .option('--password <password>', 'password (prefer the prompt or stdin: command lines end up in shell history)')
    .option('--full-name <name>', 'full name')
    .option('--json', 'print JSON')
    .action(async (options: { app: string; login?: string; email?: string; password?: string; fullName?: string; json?: boolean }) => {
      const appId = idOption('app', options.app);
      if (options.login === undefined && options.email === undefined) throw new CliError('give --login or --email');
      await context.withServices((services) => services.apps.get(appId));
      const password = options.password ?? (await readPassword('Password', context.io.stdin));
      const created = await context.withServices((services) =>
        services.users.signup(appId, { login: options.login ?? null, password, email: options.email ?? null, full_name: options.fullName ?? null }),
      );
      context.output(options.json, userJson(created), () => `created user ${created.id} "${created.login ?? created.email}" in application ${created.appId}`);
    });

  user
    .command('list')
    .description('list users, optionally by substrings of login, email or full name')
    .requiredOption('--app <id>', 'application id')
    .option('--login <text>', 'login contains')
    .option('--email <text>', 'email contains')
    .option('--full-name <text>', 'full name contains')
    .option('--limit <n>', 'at most this many (1-1000)', '100')
    .option('--offset <n>', 'skip this many', '0')
    .option('--json', 'print JSON')
    .action(async (options: { app: string; login?: string; email?: string; fullName?: string; limit: string; offset: string; json?: boolean }) => {
      const appId = idOption('app', options.app);
      const limit = Number(options.limit);
      const offset = Number(options.offset);
      if (!/^\d+$/.test(options.limit) || limit < 1 || limit > 1000) throw new CliError('--limit must be an integer from 1 to 1000');
      if (!/^\d+$/.test(options.offset)) throw new CliError('--offset must be an integer ≥ 0');
      const page = await context.withServices(async (services) => {
        await services.apps.get(appId);
        return services.userAdmin.search(appId, { login: options.login, email: options.email, fullName: options.fullName, limit, offset });
      });
      context.output(options.json, { total: page.total, items: page.users.map(userJson) }, () => [...page.users.map(line), `${page.users.length} of ${page.total}`]);
    });

  target(user.command('show').description('show a user'))
    .option('--json', 'print JSON')
    .action(async (options: { app: string; user: string; json?: boolean }) => {
      const [appId, userId] = [idOption('app', options.app), idOption('user', options.user)];
      const shown = await context.withServices((services) => services.users.get(appId, userId));
      context.output(options.json, userJson(shown), () => Object.entries(userJson(shown)).map(([key, value]) => `${key.padEnd(13)} ${Array.isArray(value) ? value.join(',') : String(value)}`));
    });

  target(user.command('passwd').description("set a user's password, read from a prompt (twice) or the first line of stdin; their sessions and connections end"))
    .option('--json', 'print JSON')
    .action(async (options: { app: string; user: string; json?: boolean }) => {
      const [appId, userId] = [idOption('app', options.app), idOption('user', options.user)];
      await context.withServices((services) => services.users.get(appId, userId));
      const password = await readPassword('New password', context.io.stdin);
      const { liveConnections } = await viaServerOrStore(
        context.config(),
        () => callRunningServer(context.config(), 'PUT', `/admin/apps/${appId}/users/${userId}/password`, { password }),
        () => context.withServices((services) => services.userAdmin.setPassword(appId, userId, password)),
      );
      context.output(options.json, { appId, userId, passwordChanged: true, liveConnections }, () => `password of user ${userId} changed; sessions ended; live connections ${liveConnections}`);
    });

  target(user.command('block').description('block a user (no logins; sessions and connections end); --unblock lifts it'))
    .option('--unblock', 'lift the block')
    .option('--json', 'print JSON')
    .action(async (options: { app: string; user: string; unblock?: boolean; json?: boolean }) => {
      const [appId, userId] = [idOption('app', options.app), idOption('user', options.user)];
      await context.withServices((services) => services.users.get(appId, userId));
      const blocked = !options.unblock;
      const { liveConnections } = await viaServerOrStore(
        context.config(),
        () => callRunningServer(context.config(), 'PUT', `/admin/apps/${appId}/users/${userId}/blocked`, { blocked }),
        () => context.withServices((services) => services.userAdmin.setBlocked(appId, userId, blocked)),
      );
      context.output(options.json, { appId, userId, blocked, liveConnections }, () => `user ${userId} ${blocked ? 'blocked' : 'unblocked'}; live connections ${liveConnections}`);
    });

  target(user.command('delete').description('delete a user and its sessions (needs --yes); its connections end'))
    .option('--yes', 'confirm')
    .option('--json', 'print JSON')
    .action(async (options: { app: string; user: string; yes?: boolean; json?: boolean }) => {
      const [appId, userId] = [idOption('app', options.app), idOption('user', options.user)];
      const found = await context.withServices((services) => services.users.get(appId, userId));
      if (!options.yes) throw new CliError(`user delete removes user ${userId} "${found.login ?? found.email}" of application ${appId}: add --yes to confirm`);
      const { liveConnections } = await viaServerOrStore(
        context.config(),
        () => callRunningServer(context.config(), 'DELETE', `/admin/apps/${appId}/users/${userId}`),
        () => context.withServices((services) => services.userAdmin.remove(appId, userId)),
      );
      context.output(options.json, { deleted: userId, appId, liveConnections }, () => `deleted user ${userId} of application ${appId}; live connections ${liveConnections}`);
    });
}
