import { createServer as createNetServer } from 'node:net';
import type { Command } from 'commander';
import { createServer, openStore, startTurnRelay } from '../app.js';
import type { Config } from '../config/index.js';
import { connectSnippet } from '../ops/banner.js';
import { firstOperatorHint } from './operator-commands.js';
import { createLogger } from '../ops/logging.js';
import type { ServerStatus } from '../ops/status.js';
import { parleyVersion } from '../ops/version.js';
import { callRunningServer } from './admin-client.js';
import { CliError, type CliContext } from './context.js';
import { maskedConfig, maskUrlPassword } from './mask.js';
import { checkTlsFiles, describeStartupError, listenerLines, startupWarnings } from './startup.js';

async function serve(context: CliContext): Promise<void> {
  const stderrLine = (text: string) => context.io.stderr(`${text}\n`);
  const config = context.config();
  checkTlsFiles(config);
  const logger = createLogger(config.logLevel);
  // Whatever has started when a signal comes (coturn, the server) is stopped before exiting.
  const cleanups: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => logger.warn({ err: error }, 'shutdown step failed'));
  };
  let stopping = false;
  const stop = async (signal: string) => {
    // A repeated signal must not cut the clean-up short: a managed coturn or Janus would outlive us.
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await stopAll();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  const relay = await startTurnRelay(config, logger);
  cleanups.push(() => relay.stop());
  try {
    const server = await createServer(config, { logger, turn: relay.turn });
    cleanups.push(() => server.close());
    const { app, created } = await server.services.apps.ensureDefault();
    const listening = await server.listen();
    logger.info(
      { url: listening.url, xmppPort: listening.xmppPort, metricsUrl: listening.metricsUrl, store: server.store.kind, node: server.nodeId, bus: server.bus.kind, blobs: config.blobs, version: parleyVersion },
      'listening',
    );
    // The banner is for people: stderr, so stdout carries only the JSON log lines.
    stderrLine(`Parley ${parleyVersion} listening on ${listening.url} (store: ${server.store.kind}, data: ${config.databaseUrl === '' ? config.dataDir : maskUrlPassword(config.databaseUrl)})`);
    for (const line of listenerLines(config, listening)) stderrLine(line);
    stderrLine(relay.summary);
    stderrLine(connectSnippet(app, config.publicUrl || listening.url, config.chatDomain, created, server.conference?.path));
    if (config.dashboard) {
      const dashboardUrl = `${(config.publicUrl || listening.url).replace(/\/+$/, '')}/dashboard`;
      if ((await server.services.operators.count()) === 0) stderrLine(firstOperatorHint(dashboardUrl));
    }
    for (const warning of startupWarnings(config, listening, await server.services.apps.list())) {
      stderrLine(warning);
      logger.warn(warning.replace(/^warning: /, ''));
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function portFree(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const probe = createNetServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(undefined)));
  });
}

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** What `serve` will need: TLS files, free ports, a reachable database. */
async function runChecks(config: Config): Promise<Check[]> {
  const checks: Check[] = [];
  const attempt = async (name: string, run: () => Promise<string> | string) => {
    try {
      checks.push({ name, ok: true, detail: await run() });
    } catch (error) {
      checks.push({ name, ok: false, detail: describeStartupError(error, config) ?? (error as Error).message });
    }
  };
  await attempt('xmpp tls', () => (checkTlsFiles(config) === 'ok' ? 'certificate and key readable and matching' : 'off (no certificate)'));
  const ports: [string, string, number][] = [
    ['http port', config.host, config.port],
    ['xmpp tcp port', config.host, config.xmppPort],
    ['metrics port', config.metricsHost, config.metricsPort],
  ];
  for (const [name, host, port] of ports) {
    if (port === 0) {
      checks.push({ name, ok: true, detail: name === 'http port' ? 'any free port' : 'off' });
      continue;
    }
    await attempt(name, async () => {
      const problem = await portFree(host, port);
      if (problem) throw Object.assign(new Error(problem), { code: problem, port, address: host });
      return `${host}:${port} free`;
    });
  }
  await attempt('database', async () => {
    const store = openStore(config);
    try {
      await store.ping();
      return `${store.kind} answers${config.databaseUrl === '' ? ` (${config.dataDir})` : ''}`;
    } finally {
      await store.close().catch(() => undefined);
    }
  });
  return checks;
}

async function status(context: CliContext, json: boolean | undefined): Promise<void> {
  const report = (await callRunningServer(context.config(), 'GET', '/admin/status')) as ServerStatus;
  context.output(json, report, () => [
    `Parley ${report.version}, up ${report.uptimeSeconds}s`,
    ...report.listeners.map((listener) => `  ${listener.name.padEnd(10)} ${listener.url}${listener.tls === undefined ? '' : listener.tls ? '  (STARTTLS)' : '  (no TLS)'}`),
    `connections: ${report.connections.total} (websocket ${report.connections.websocket}, tcp ${report.connections.tcp})`,
    `database: ${report.database.kind} ${report.database.ok ? 'ok' : `FAILING: ${report.database.error ?? ''}`}`,
  ]);
}

/** `parley serve | migrate | config check | status`. */
export function registerServerCommands(program: Command, context: CliContext): void {
  program
    .command('serve', { isDefault: true })
    .description('start the server: REST, XMPP over WebSocket and TCP (the default command)')
    .action(() => serve(context));

  program
    .command('status')
    .description('ask the running server: version, listeners and TLS state, connections, database (needs PARLEY_ADMIN_TOKEN)')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => status(context, options.json));

  program
    .command('migrate')
    .description('apply pending database migrations and exit')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const store = openStore(context.config());
      try {
        const report = await store.migrate();
        context.output(options.json, report, () => (report.applied.length > 0 ? `applied: ${report.applied.join(', ')}` : `up to date (${report.current ?? 'empty'})`));
      } finally {
        await store.close();
      }
    });

  program
    .command('config')
    .description('configuration commands')
    .command('check')
    .description('check what serve needs (TLS files, free ports, database) and print the configuration with secrets masked')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const config = context.config();
      const checks = await runChecks(config);
      const masked = maskedConfig(config);
      context.output(options.json, { ok: checks.every((check) => check.ok), checks, config: masked }, () => [
        ...checks.map((check) => `${check.ok ? 'ok  ' : 'FAIL'}  ${check.name.padEnd(14)} ${check.detail}`),
        '',
        ...Object.entries(masked).map(([key, value]) => `${key} = ${JSON.stringify(value)}`),
      ]);
      if (!checks.every((check) => check.ok)) throw new CliError(`configuration check failed: ${checks.filter((check) => !check.ok).map((check) => check.name).join(', ')}`);
    });
}

export { describeStartupError };
