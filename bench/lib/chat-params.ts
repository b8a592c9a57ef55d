/** The command line of bench/chat-rest.ts: its usage text and options. */
import path from 'node:path';
import type { TestDatabaseKind } from '@parley/testkit';
import { parseCommandLine, type CommandLine } from './cli.js';

export interface ChatParams {
  messages: number;
  dialogs: number;
  users: number;
  seconds: number;
  /** Concurrency levels, run one after the other (every phase at each). */
  concurrency: number[];
  db: TestDatabaseKind;
  dataDir: string | undefined;
  seedConcurrency: number;
  seedSeconds: number;
  /** Serve the timed phases from this process instead of a server child process. */
  inProcess: boolean;
}

const USAGE = `usage: npx tsx bench/chat-rest.ts [--messages N] [--dialogs N] [--users N] [--seconds S] [--concurrency C[,C...]]
                                  [--db sqlite|postgres] [--data-dir DIR] [--seed-concurrency N] [--seed-seconds T]
                                  [--in-process]
  --messages N          messages to seed (default 1000000)
  --dialogs N           dialogs to seed (default 10000)
  --users N             users to seed (default 2000)
  --seconds S           duration of each timed phase (default 10)
  --concurrency C       concurrent HTTP workers (default 16); a list (1,4,16) runs every phase at each level
  --db KIND             sqlite or postgres (default sqlite)
  --data-dir DIR        keep the SQLite database in DIR and reuse it when its counts match (default: a temp folder)
  --seed-concurrency N  dialogs seeded at once (default 4 on SQLite, 16 on PostgreSQL)
  --seed-seconds T      time cap for seeding messages (default 1800)
  --in-process          serve the timed phases from this process (shares its thread with the load generator)
                        instead of a server child process`;

/** `16` or `1,4,16`: levels in the order given, each from 1 to 10,000, no repeats. */
function concurrencyOption(cli: CommandLine, raw: string | undefined): number[] {
  if (raw === undefined) return [16];
  const levels = raw.split(',').map((part) => cli.integer('concurrency', part, 0, 1, 10_000));
  if (new Set(levels).size !== levels.length) cli.fail(`--concurrency lists a level twice: '${raw}'`);
  return levels;
}

/** Exits with status 2 (usage on stderr) on a bad argument, and with 0 after --help. */
export function parseChatParams(argv: string[]): ChatParams {
  const cli = parseCommandLine(argv, USAGE, {
    messages: { type: 'string' },
    dialogs: { type: 'string' },
    users: { type: 'string' },
    seconds: { type: 'string' },
    concurrency: { type: 'string' },
    db: { type: 'string' },
    'data-dir': { type: 'string' },
    'seed-concurrency': { type: 'string' },
    'seed-seconds': { type: 'string' },
    'in-process': { type: 'boolean' },
  });
  const { text } = cli;
  const db = cli.db();
  const dataDir = text('data-dir');
  if (dataDir !== undefined && dataDir.trim() === '') cli.fail('--data-dir must not be empty');
  if (dataDir !== undefined && db === 'postgres') cli.fail('--data-dir works with --db sqlite only (PostgreSQL runs on a throwaway database)');
  return {
    messages: cli.integer('messages', text('messages'), 1_000_000, 0, 100_000_000),
    dialogs: cli.integer('dialogs', text('dialogs'), 10_000, 1, 10_000_000),
    users: cli.integer('users', text('users'), 2000, 3, 1_000_000),
    seconds: cli.integer('seconds', text('seconds'), 10, 1, 3600),
    concurrency: concurrencyOption(cli, text('concurrency')),
    db,
    dataDir: dataDir === undefined ? undefined : path.resolve(dataDir),
    seedConcurrency: cli.integer('seed-concurrency', text('seed-concurrency'), db === 'sqlite' ? 4 : 16, 1, 1000),
    seedSeconds: cli.integer('seed-seconds', text('seed-seconds'), 1800, 1, 24 * 3600),
    inProcess: cli.flag('in-process'),
  };
}
