import { Command, CommanderError, Help } from 'commander';
import { createServices, openStore } from '../app.js';
import { configSchema, ConfigError, loadConfigFromFolder, type Config, type ConfigKey } from '../config/index.js';
import { DomainFailure } from '../domain/shared/failure.js';
import { parleyVersion } from '../ops/version.js';
import { registerAiCommands } from './ai-commands.js';
import { registerAppCommands } from './app-commands.js';
import { registerBackupCommands } from './backup-commands.js';
import { registerConnectionCommands } from './connection-commands.js';
import { CliError, type CliContext, type CliIo, type WithServices } from './context.js';
import { registerDataCommands } from './data-commands.js';
import { registerOperatorCommands } from './operator-commands.js';
import { formatRootHelp } from './help.js';
import { registerPushCommands } from './push-commands.js';
import { describeStartupError, registerServerCommands } from './server-commands.js';
import { registerUserCommands } from './user-commands.js';

/** The `parley` program, like ejabberdctl/prosodyctl: serve, status, app/user/connections administration. */
function buildProgram(io: CliIo, state: { config?: Config }): Command {
  const program = new Command('parley')
    .description('Parley: a self-hostable ConnectyCube-compatible server (REST + XMPP chat)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .version(parleyVersion, '-V, --version', 'print the version')
    .showHelpAfterError('(parley --help lists the commands; parley <command> --help its options)')
    .configureHelp({ formatHelp: (command, helper) => (command.parent ? new Help().formatHelp(command, helper) : formatRootHelp(command, helper)) });

  // Flags are the camel-cased option names (--data-dir → dataDir), checked by config tests.
  for (const option of Object.values(configSchema)) {
    program.option(`${option.flag} <value>`, `${option.description} [env ${option.env}, default "${option.default}"]`);
  }

  /** Flags > environment > .env in the working folder > defaults. */
  const config = (): Config => (state.config ??= loadConfigFromFolder(program.opts<Partial<Record<ConfigKey, string>>>(), io.cwd, io.env));
  const withServices: WithServices = async (action) => {
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
  };
  const context: CliContext = {
    io,
    config,
    withServices,
    output(json, value, text) {
      io.stdout(`${json ? JSON.stringify(value, null, 2) : [text()].flat().join('\n')}\n`);
    },
  };
  registerServerCommands(program, context);
  registerAppCommands(program, context);
  registerUserCommands(program, context);
  registerConnectionCommands(program, context);
  registerBackupCommands(program, context);
  const print = (value: unknown) => io.stdout(`${typeof value === 'string' ? value : JSON.stringify(value)}\n`);
  registerDataCommands(program, withServices, print);
  registerAiCommands(program, withServices, print);
  registerPushCommands(program, withServices, print);
  registerOperatorCommands(program, context);
  return program;
}

/** Known failures as one line (and JSON with --json); undefined for bugs, which keep their stack. */
function knownFailure(error: unknown, config: Config | undefined): { message: string; code?: string; fields?: Record<string, string[]> } | undefined {
  if (error instanceof ConfigError || error instanceof CliError) return { message: error.message };
  if (error instanceof DomainFailure) {
    const fields = error.detail.fields;
    const message = fields ? Object.entries(fields).map(([field, messages]) => `${field === 'base' ? '' : `${field}: `}${messages.join('; ')}`).join('; ') : error.message;
    return { message, code: error.code, ...(fields ? { fields } : {}) };
  }
  const startup = config ? describeStartupError(error, config) : undefined;
  return startup === undefined ? undefined : { message: startup };
}

/**
 * Runs one command line; resolves with the exit code (0 also while `serve` keeps running). Every known
 * failure is one line on stderr and exit code 1, and changes nothing.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const state: { config?: Config } = {};
  try {
    await buildProgram(io, state).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    // Commander already printed its own message (unknown option, --help, --version).
    if (error instanceof CommanderError) return error.exitCode;
    const known = knownFailure(error, state.config);
    if (!known) io.stderr(`parley: ${(error as Error).stack ?? String(error)}\n`);
    else io.stderr(argv.includes('--json') ? `${JSON.stringify({ error: known })}\n` : `parley: ${known.message}\n`);
    return 1;
  }
}
