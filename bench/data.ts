/**
 * Custom-object benchmark: REST queries on an indexed field of a class holding --records records.
 *
 *   npx tsx bench/data.ts [--records 1000000] [--seconds 10] [--concurrency 8] [--db sqlite|postgres]
 *
 * Seeding runs in this process through the store of a server built here without listening
 * (bench/lib/data-phases.ts: the class is defined through the class service, its `score` and `category`
 * fields indexed; records go in batches of 5,000, one transaction each). That server is closed and the
 * timed phases run against the real server started as a child process (`node packages/server/bin/parley.js
 * serve`, 127.0.0.1, free port) on the same database — a temporary SQLite folder or a throwaway
 * PostgreSQL database, removed afterwards. Phases and their requests are listed in data-phases.ts.
 *
 * Any non-2xx response, network error or timeout is an error; percentiles are of successful requests.
 * Prints a table, then one JSON line (the last line of stdout). Progress goes to stderr.
 * Exit status: 0 after a run (errors included), 1 if the server could not start or the run broke,
 * 2 for bad arguments.
 */
import { openBenchDatabase, openInProcessServer } from './lib/bench-db.js';
import { createUserSession } from './lib/api.js';
import { parseCommandLine, withTimeout } from './lib/cli.js';
import { COUNT_WIDTH, DATA_CLASS, RANGE_WIDTH, SCORE_RANGE, runDataPhases, seedDataRecords } from './lib/data-phases.js';
import { formatErrorKinds, formatTable, runFacts, serverModeLine } from './lib/report.js';
import { GRACE_MS, onInterrupt, progressLine, runMain, SERVER_START_TIMEOUT_MS, startWatchdog, warn } from './lib/run.js';
import { startWatchedServerProcess } from './lib/watched-server.js';

const USAGE = `usage: npx tsx bench/data.ts [--records N] [--seconds S] [--concurrency C] [--db sqlite|postgres]`;
const PASSWORD_HASH_COST = 10;
const LOGIN = 'bench-data-user';
const PASSWORD = 'bench-data-password';

const progress = progressLine('data');

async function main(): Promise<number> {
  const args = parseCommandLine(process.argv.slice(2), USAGE, {
    records: { type: 'string' },
    seconds: { type: 'string' },
    concurrency: { type: 'string' },
    db: { type: 'string' },
  });
  const params = {
    records: args.integer('records', args.text('records'), 1_000_000, 1, 20_000_000),
    seconds: args.integer('seconds', args.text('seconds'), 10, 1, 3600),
    concurrency: args.integer('concurrency', args.text('concurrency'), 8, 1, 1024),
    db: args.db(),
  };
  const startedAt = new Date();
  const stopWatchdog = startWatchdog((params.records / 1000 + params.seconds * 3 + 600) * 1000);
  const db = await openBenchDatabase(params.db);
  let child: Awaited<ReturnType<typeof startWatchedServerProcess>> | undefined;
  onInterrupt(progress, async () => {
    await child?.stop().catch(warn);
    await db.dispose().catch(warn);
  });
  try {
    progress(`seeding ${params.records} records into ${DATA_CLASS} (${db.description})`);
    const seeder = await openInProcessServer(db, PASSWORD_HASH_COST);
    let seed;
    try {
      const { app } = await seeder.services.apps.ensureDefault();
      const user = await seeder.services.users.signup(app.id, { login: LOGIN, password: PASSWORD });
      seed = await seedDataRecords(seeder, app.id, user.id, params.records, progress);
    } finally {
      await seeder.close();
    }
    progress(`seeded in ${seed.seconds} s (${seed.recordsPerSecond} records/s); starting the server process`);
    child = await withTimeout(startWatchedServerProcess(db, PASSWORD_HASH_COST, progress), SERVER_START_TIMEOUT_MS, 'server start');
    const session = await createUserSession(child, LOGIN, PASSWORD, AbortSignal.timeout(30_000));
    if (!session.ok) throw new Error(`session failed with ${session.status}`);
    const rows = await runDataPhases(child, session.token(), { seconds: params.seconds, concurrency: params.concurrency, graceMs: GRACE_MS }, progress);

    const lines = [
      `custom-object benchmark — db ${params.db}, ${params.records} records in one class, indexed Integer field (values 0..${SCORE_RANGE - 1}), ` +
        `range width ${RANGE_WIDTH}, count width ${COUNT_WIDTH}, concurrency ${params.concurrency}, ${params.seconds} s per phase`,
      `seeded in ${seed.seconds} s (${seed.recordsPerSecond} records/s, batches of 5,000 through the store port)`,
      serverModeLine(true, child.pid),
      '',
      formatTable(rows),
      ...formatErrorKinds(rows),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    process.stdout.write(`${JSON.stringify({ ...runFacts('data', startedAt, true), db: params.db, records: params.records, concurrency: params.concurrency, seed, phases: rows })}\n`);
    return 0;
  } finally {
    stopWatchdog();
    await child?.stop().catch(warn);
    await db.dispose().catch(warn);
  }
}

runMain(main);
