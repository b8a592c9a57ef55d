import type { Command } from 'commander';
import type { ConnectionInfo } from '../ports/connections.js';
import { callRunningServer } from './admin-client.js';
import { CliError, idOption, type CliContext } from './context.js';

/** `parley connections list|kick`: the running server's live XMPP connections, over its admin API. */
export function registerConnectionCommands(program: Command, context: CliContext): void {
  const connections = program.command('connections').description('live XMPP connections of the running server (list, kick)');

  connections
    .command('list')
    .description('list live connections (all applications, or --app [--user])')
    .option('--app <id>', 'application id')
    .option('--user <id>', 'user id (with --app)')
    .option('--json', 'print JSON')
    .action(async (options: { app?: string; user?: string; json?: boolean }) => {
      if (options.user !== undefined && options.app === undefined) throw new CliError('--user needs --app');
      const path =
        options.app === undefined
          ? '/admin/connections'
          : `/admin/apps/${idOption('app', options.app)}/connections${options.user === undefined ? '' : `?user_id=${idOption('user', options.user)}`}`;
      const list = (await callRunningServer(context.config(), 'GET', path)) as ConnectionInfo[];
      context.output(options.json, list, () => [
        ...list.map((c) => `${c.id}\tapp ${c.appId}\tuser ${c.userId}/${c.resource}\t${c.transport}${c.secure ? '+tls' : ''}\t${c.remoteAddress}${c.available ? '\tonline' : ''}${c.detached ? '\twaiting for resumption' : ''}`),
        `${list.length} connection${list.length === 1 ? '' : 's'}`,
      ]);
    });

  connections
    .command('kick')
    .description("close a user's connections (--user) or one connection (--id) with a policy-violation stream error")
    .requiredOption('--app <id>', 'application id')
    .option('--user <id>', 'user id')
    .option('--id <connection>', 'connection id (from connections list)')
    .option('--reason <text>', 'text sent with the stream error')
    .option('--json', 'print JSON')
    .action(async (options: { app: string; user?: string; id?: string; reason?: string; json?: boolean }) => {
      const appId = idOption('app', options.app);
      if (options.user === undefined && options.id === undefined) throw new CliError('give --user or --id');
      const body = {
        ...(options.user === undefined ? {} : { userId: idOption('user', options.user) }),
        ...(options.id === undefined ? {} : { id: options.id }),
        ...(options.reason === undefined ? {} : { reason: options.reason }),
      };
      const result = (await callRunningServer(context.config(), 'POST', `/admin/apps/${appId}/connections/kick`, body)) as { kicked: number };
      context.output(options.json, result, () => `kicked ${result.kicked} connection${result.kicked === 1 ? '' : 's'}`);
    });
}
