import type { Command } from 'commander';
import { removeApplication } from '../domain/apps/removal.js';
import { appSettingDefinitions } from '../domain/apps/settings.js';
import { adminAppWire } from '../http/admin/presenters.js';
import type { AppRecord, AppSettings } from '../ports/store.js';
import { callRunningServer, viaServerOrStore } from './admin-client.js';
import { CliError, idOption, type CliContext } from './context.js';

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** `--deny-session-without-user` / `--no-deny-session-without-user` … for each app setting. */
function addSettingFlags(command: Command): Command {
  for (const setting of appSettingDefinitions) {
    command.option(`--${setting.flag}`, setting.description);
    command.option(`--no-${setting.flag}`, `turn ${setting.key} off`);
  }
  return command;
}

/** The settings named by flags (undefined = not given). */
function settingsFromFlags(options: Record<string, unknown>): Partial<AppSettings> {
  const change: Partial<AppSettings> = {};
  for (const setting of appSettingDefinitions) {
    const value = options[camel(setting.flag)];
    if (typeof value === 'boolean') change[setting.key] = value;
  }
  return change;
}

function describeApp(app: AppRecord): string[] {
  return [
    `id           ${app.id}`,
    `name         ${app.name}`,
    `auth key     ${app.authKey}`,
    `auth secret  ${app.authSecret}`,
    `created      ${new Date(app.createdAt).toISOString()}`,
    'settings:',
    ...appSettingDefinitions.map((setting) => `  ${setting.flag.padEnd(26)} ${app.settings[setting.key] ? 'on' : 'off'}`),
  ];
}

/** `parley app create|list|show|set|rotate-secret|delete`. */
export function registerAppCommands(program: Command, context: CliContext): void {
  const app = program.command('app').description('manage applications (create, list, show, set, rotate-secret, delete)');

  addSettingFlags(
    app
      .command('create')
      .description('create an application (a name in use is refused unless --allow-duplicate)')
      .requiredOption('--name <name>', 'application name')
      .option('--allow-duplicate', 'create it even if another application has this name'),
  )
    .option('--json', 'print JSON')
    .action(async (options: { name: string; allowDuplicate?: boolean; json?: boolean }) => {
      const created = await context.withServices((services) => services.apps.create(options.name, settingsFromFlags(options), { uniqueName: !options.allowDuplicate }));
      context.output(options.json, adminAppWire(created), () => [`created application ${created.id} "${created.name}"`, ...describeApp(created)]);
    });

  app
    .command('list')
    .description('list applications (id, name, auth key)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const apps = await context.withServices((services) => services.apps.list());
      context.output(options.json, apps.map((entry) => adminAppWire(entry, false)), () => apps.map((entry) => `${entry.id}\t${entry.name}\t${entry.authKey}`));
    });

  app
    .command('show')
    .description('show an application: credentials and every setting')
    .requiredOption('--app <id>', 'application id')
    .option('--json', 'print JSON')
    .action(async (options: { app: string; json?: boolean }) => {
      const appId = idOption('app', options.app);
      const shown = await context.withServices((services) => services.apps.get(appId));
      context.output(options.json, adminAppWire(shown), () => describeApp(shown));
    });

  addSettingFlags(
    app
      .command('set')
      .description('change settings (--deny-session-without-user locks down sign-up; --no-… turns a setting off) or the name')
      .requiredOption('--app <id>', 'application id')
      .option('--name <name>', 'new name'),
  )
    .option('--json', 'print JSON')
    .action(async (options: { app: string; name?: string; json?: boolean }) => {
      const appId = idOption('app', options.app);
      const change = settingsFromFlags(options);
      if (Object.keys(change).length === 0 && options.name === undefined) {
        throw new CliError(`nothing to change: give --name or a setting flag (${appSettingDefinitions.map((setting) => `--[no-]${setting.flag}`).join(', ')})`);
      }
      const updated = await context.withServices(async (services) => {
        await services.apps.get(appId);
        if (options.name !== undefined) await services.apps.rename(appId, options.name);
        return Object.keys(change).length > 0 ? services.apps.updateSettings(appId, change) : services.apps.get(appId);
      });
      context.output(options.json, adminAppWire(updated), () => describeApp(updated));
    });

  app
    .command('rotate-secret')
    .description('replace the auth secret (the auth key stays; signed file URLs issued before stop working)')
    .requiredOption('--app <id>', 'application id')
    .option('--json', 'print JSON')
    .action(async (options: { app: string; json?: boolean }) => {
      const appId = idOption('app', options.app);
      const rotated = await context.withServices((services) => services.apps.rotateSecret(appId));
      context.output(options.json, adminAppWire(rotated), () => `application ${rotated.id}: new auth secret ${rotated.authSecret}`);
    });

  app
    .command('delete')
    .description('delete an application and ALL of its data (needs --yes)')
    .requiredOption('--app <id>', 'application id')
    .option('--yes', 'confirm')
    .option('--json', 'print JSON')
    .action(async (options: { app: string; yes?: boolean; json?: boolean }) => {
      const appId = idOption('app', options.app);
      const target = await context.withServices((services) => services.apps.get(appId));
      if (!options.yes) throw new CliError(`app delete removes application ${appId} "${target.name}" with all of its users, messages and data: add --yes to confirm`);
      const { liveConnections } = await viaServerOrStore(
        context.config(),
        () => callRunningServer(context.config(), 'DELETE', `/admin/apps/${appId}`),
        () => context.withServices((services) => removeApplication(services.apps, services.blobs, appId)),
      );
      context.output(options.json, { deleted: appId, liveConnections }, () => `deleted application ${appId} "${target.name}"; live connections ${liveConnections}`);
    });
}

