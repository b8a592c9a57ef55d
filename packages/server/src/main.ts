import { Command } from 'commander';
import { createServer, createServices, openStore, startTurnRelay } from './app.js';
import { registerAiCommands } from './cli/ai-commands.js';
import { registerDataCommands } from './cli/data-commands.js';
import { registerPushCommands } from './cli/push-commands.js';
import { configSchema, ConfigError, loadConfig, type Config, type ConfigKey } from './config/index.js';
import { DomainFailure } from './domain/shared/failure.js';
import { connectSnippet } from './ops/banner.js';
import { createLogger } from './ops/logging.js';

/** The `parley` command line: serve, migrate, config check, app and user administration. */
const program = new Command('parley').description('Parley: a self-hostable ConnectyCube-compatible server').showHelpAfterError();

// Flags are the camel-cased option names (--data-dir → dataDir), checked by config tests.
for (const option of Object.values(configSchema)) {
  program.option(`${option.flag} <value>`, `${option.description} [env ${option.env}, default "${option.default}"]`);
}

function config(): Config {
  const flags = program.opts<Partial<Record<ConfigKey, string>>>();
  return loadConfig(flags);
}

/** Runs a command against the configured store, closing it afterwards. */
async function withServices<T>(action: (services: ReturnType<typeof createServices>, cfg: Config) => Promise<T>): Promise<T> {
  const cfg = config();
  const store = openStore(cfg);
  try {
    await store.migrate();
    const services = createServices(cfg, store);
    try {
      return await action(services, cfg);
    } finally {
      // Pushes a command started (a new user's "contact joined") are queued before the store closes.
      await services.push.settled();
    }
  } finally {
    await store.close();
  }
}

const print = (value: unknown) => process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value)}\n`);

program
  .command('serve', { isDefault: true })
  .description('start the server (REST and XMPP over WebSocket)')
  .action(async () => {
    const cfg = config();
    const logger = createLogger(cfg.logLevel);
    // Whatever has started when a signal comes (coturn, the server) is stopped before exiting.
    const cleanups: (() => Promise<void>)[] = [];
    const stop = async (signal: string) => {
      logger.info({ signal }, 'shutting down');
      for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => logger.warn({ err: error }, 'shutdown step failed'));
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
    const relay = await startTurnRelay(cfg, logger);
    cleanups.push(() => relay.stop());
    const server = await createServer(cfg, { logger, turn: relay.turn }).catch(async (error: unknown) => {
      await relay.stop();
      throw error;
    });
    cleanups.push(() => server.close());
    const { app, created } = await server.services.apps.ensureDefault();
    const { url } = await server.listen();
    logger.info({ url, store: server.store.kind, node: server.nodeId, bus: server.bus.kind, blobs: cfg.blobs }, 'listening');
    print(`Parley listening on ${url} (store: ${server.store.kind}, data: ${cfg.databaseUrl === '' ? cfg.dataDir : 'PostgreSQL'})`);
    const publicUrl = cfg.publicUrl || url;
    print(relay.summary);
    print(connectSnippet(app, publicUrl, cfg.chatDomain, created, server.conference?.path));
  });

program
  .command('migrate')
  .description('apply pending database migrations and exit')
  .action(async () => {
    const cfg = config();
    const store = openStore(cfg);
    try {
      const report = await store.migrate();
      print(report.applied.length > 0 ? `applied: ${report.applied.join(', ')}` : `up to date (${report.current ?? 'empty'})`);
    } finally {
      await store.close();
    }
  });

program
  .command('config')
  .description('configuration commands')
  .command('check')
  .description('validate the configuration and print it')
  .action(() => {
    const cfg = config();
    // A database password must not end up in terminals or CI logs.
    // Nor an AI provider key or the secret that seals per-app keys.
    const hidden = (value: string) => (value === '' ? '' : '***');
    print(JSON.stringify({ ...cfg, databaseUrl: cfg.databaseUrl.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@'), aiApiKey: hidden(cfg.aiApiKey), aiSecret: hidden(cfg.aiSecret) }, null, 2));
  });

const appCommand = program.command('app').description('manage applications');
appCommand
  .command('create')
  .requiredOption('--name <name>', 'application name')
  .option('--json', 'print JSON')
  .action(async (options: { name: string; json?: boolean }) => {
    const app = await withServices((services) => services.apps.create(options.name));
    print(options.json ? { id: app.id, name: app.name, authKey: app.authKey, authSecret: app.authSecret } : `created application ${app.id} "${app.name}" auth key ${app.authKey} auth secret ${app.authSecret}`);
  });
appCommand
  .command('list')
  .option('--json', 'print JSON')
  .action(async (options: { json?: boolean }) => {
    const apps = await withServices((services) => services.apps.list());
    if (options.json) print(apps.map((app) => ({ id: app.id, name: app.name, authKey: app.authKey, authSecret: app.authSecret })));
    else for (const app of apps) print(`${app.id}\t${app.name}\t${app.authKey}`);
  });

program
  .command('user')
  .description('manage users')
  .command('create')
  .requiredOption('--app <id>', 'application id')
  .requiredOption('--login <login>', 'login')
  .requiredOption('--password <password>', 'password')
  .option('--email <email>', 'email')
  .option('--full-name <name>', 'full name')
  .option('--json', 'print JSON')
  .action(async (options: { app: string; login: string; password: string; email?: string; fullName?: string; json?: boolean }) => {
    const user = await withServices(async (services) => {
      const app = await services.apps.get(Number(options.app));
      return services.users.signup(app.id, { login: options.login, password: options.password, email: options.email ?? null, full_name: options.fullName ?? null });
    });
    print(options.json ? { id: user.id, appId: user.appId, login: user.login, email: user.email } : `created user ${user.id} "${user.login}" in application ${user.appId}`);
  });

registerDataCommands(program, withServices, print);
registerAiCommands(program, withServices, print);
registerPushCommands(program, withServices, print);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof ConfigError) process.stderr.write(`parley: ${error.message}\n`);
  else if (error instanceof DomainFailure) process.stderr.write(`parley: ${error.code}: ${JSON.stringify(error.detail.fields ?? error.message)}\n`);
  else process.stderr.write(`parley: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
