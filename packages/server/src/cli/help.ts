import type { Command, Help } from 'commander';
import { configSchema, type ConfigKey } from '../config/index.js';

/** Config flags grouped for `--help`, by option name; options added later land in the best match or "Other". */
const groups: [string, (key: string) => boolean][] = [
  ['Server', (key) => ['host', 'port', 'publicUrl', 'trustProxy', 'bodyLimit'].includes(key)],
  ['Storage', (key) => ['dataDir', 'databaseUrl'].includes(key) || key.startsWith('blob')],
  ['Sessions and users', (key) => /^(session|guestSession|password|login|addressBook)/.test(key)],
  ['Chat and XMPP', (key) => key.startsWith('xmpp') || key.startsWith('message') || key === 'chatDomain'],
  ['Operations', (key) => ['adminToken', 'logLevel'].includes(key) || key.startsWith('metrics')],
  ['Push', (key) => key.startsWith('push')],
  ['Calls and conferencing', (key) => /^(turn|call|conference|janus|meeting|sfu)/.test(key)],
  ['AI', (key) => key.startsWith('ai')],
];

function groupOf(key: string): string {
  return groups.find(([, test]) => test(key))?.[0] ?? 'Other';
}

/**
 * Root help: usage, then the commands with their one-line descriptions, then the config flags grouped
 * (each with its environment variable and default), and the precedence rule.
 */
export function formatRootHelp(command: Command, helper: Help): string {
  const width = helper.padWidth(command, helper);
  const row = (term: string, description: string) => `  ${term.padEnd(width)}  ${description}`;
  const lines = [`Usage: ${helper.commandUsage(command)}`, '', command.description(), '', 'Commands:'];
  for (const sub of helper.visibleCommands(command)) {
    lines.push(row(helper.subcommandTerm(sub), sub.description()));
    for (const leaf of sub.commands) lines.push(row(`  ${sub.name()} ${leaf.name()}`, leaf.description()));
  }
  lines.push('', 'General options:', row('-V, --version', 'print the version'), row('-h, --help', 'this help (also: parley <command> --help)'));
  const byGroup = new Map<string, string[]>();
  for (const [key, option] of Object.entries(configSchema) as [ConfigKey, (typeof configSchema)[ConfigKey]][]) {
    const list = byGroup.get(groupOf(key)) ?? [];
    list.push(row(`${option.flag} <value>`, `${option.description} [${option.env}, default "${option.default}"]`));
    byGroup.set(groupOf(key), list);
  }
  for (const [name] of [...groups, ['Other']]) {
    const list = byGroup.get(name as string);
    if (list) lines.push('', `Configuration: ${name as string}`, ...list);
  }
  lines.push('', 'Configuration precedence: flags > environment variables > .env in the working folder > defaults.', '');
  return lines.join('\n');
}
