/**
 * Storage and data benchmark: file upload and download throughput, and custom-object queries,
 * against a real server.
 *
 *   npx tsx bench/storage-data.ts [--db sqlite|postgres] [--small-files N] [--large-files N] [--concurrency C]
 *
 * The server runs as a child process (bench/lib/server-process.ts: `node packages/server/bin/parley.js
 * serve`, 127.0.0.1, free port) on a temporary SQLite folder or a throwaway PostgreSQL database, with its
 * blob folder in that data folder; this process only generates the load, over loopback. Phases run in
 * the order of `PHASES` below, each as the same user session:
 *   files 1 MB    N (default 64) files of 1 MiB: upload all, C at a time (default 4), then download all
 *   files 50 MB   N (default 4) files of 50 MiB, one at a time
 * A transfer row gives MiB/s over the wall time of its uploads (or downloads), and per-file p50/max.
 *   custom objects  R (default 1,000,000; --records 0 skips it) records seeded into one class, then
 *                   queries on an indexed field for S seconds each (bench/lib/data-phases.ts)
 * To add phases (e.g. custom-object queries), append `BenchPhase` values to `PHASES`.
 *
 * Prints one table per kind of phase, then one JSON line (the last line of stdout). Progress goes to
 * stderr. Exit status: 0 after a run (errors included), 1 if the server could not start or the run
 * broke, 2 for bad arguments.
 */
import { randomBytes } from 'node:crypto';
import type { TestDatabaseKind } from '@parley/testkit';
import { createUserSession } from './lib/api.js';
import { openBenchDatabase, type BenchDatabase } from './lib/bench-db.js';
import { parseCommandLine, withTimeout } from './lib/cli.js';
import { dataQueryPhase } from './lib/data-phases.js';
import { runFacts, serverModeLine } from './lib/report.js';
import { errorStack, GRACE_MS, onInterrupt, progressLine, runMain, SERVER_STOP_TIMEOUT_MS, startWatchdog, warn } from './lib/run.js';
import { fileTransferPhase, type BenchPhase, type StorageTarget } from './lib/storage-phases.js';
import { SERVER_PROCESS_START_TIMEOUT_MS, startWatchedServerProcess } from './lib/watched-server.js';

const MIB = 1024 * 1024;
/** The whole run's bound (the watchdog exits with status 1 past it). */
const RUN_BOUND_MS = 30 * 60 * 1000;
const PASSWORD_HASH_COST = 10;

const USAGE = `usage: npx tsx bench/storage-data.ts [--db sqlite|postgres] [--small-files N] [--large-files N] [--concurrency C]
  --db KIND          sqlite or postgres (default sqlite)
  --small-files N    1 MiB files to move (default 64)
  --large-files N    50 MiB files to move (default 4)
  --concurrency C    transfers at a time for the 1 MiB files (default 4; 50 MiB files go one at a time)
  --records R        custom-object records to seed and query (default 1000000; 0 = skip)
  --seconds S        length of each custom-object query phase (default 10, 8 workers)`;

interface Params {
  db: TestDatabaseKind;
  smallFiles: number;
  largeFiles: number;
  concurrency: number;
  records: number;
  seconds: number;
}

function parseParams(argv: string[]): Params {
  const cli = parseCommandLine(argv, USAGE, {
    db: { type: 'string' },
    'small-files': { type: 'string' },
    'large-files': { type: 'string' },
    concurrency: { type: 'string' },
    records: { type: 'string' },
    seconds: { type: 'string' },
  });
  return {
    db: cli.db(),
    smallFiles: cli.integer('small-files', cli.text('small-files'), 64, 0, 10_000),
    largeFiles: cli.integer('large-files', cli.text('large-files'), 4, 0, 100),
    concurrency: cli.integer('concurrency', cli.text('concurrency'), 4, 1, 256),
    records: cli.integer('records', cli.text('records'), 1_000_000, 0, 20_000_000),
    seconds: cli.integer('seconds', cli.text('seconds'), 10, 1, 600),
  };
}

/** The phase list, in run order. Append new phases here. */
function phases(params: Params, db: BenchDatabase): BenchPhase[] {
  const list: BenchPhase[] = [];
  if (params.smallFiles > 0) list.push(fileTransferPhase('1 MB', MIB, params.smallFiles, params.concurrency) as BenchPhase);
  if (params.largeFiles > 0) list.push(fileTransferPhase('50 MB', 50 * MIB, params.largeFiles, 1) as BenchPhase);
  if (params.records > 0) list.push(dataQueryPhase(db, params.records, { seconds: params.seconds, concurrency: 8, graceMs: GRACE_MS }, PASSWORD_HASH_COST) as BenchPhase);
  return list;
}

const progress = progressLine('storage-data');

async function main(): Promise<number> {
  const params = parseParams(process.argv.slice(2));
  const startedAt = new Date();
  const stopWatchdog = startWatchdog(RUN_BOUND_MS);
  const db = await openBenchDatabase(params.db);
  let server: Awaited<ReturnType<typeof startWatchedServerProcess>> | undefined;
  const cleanUp = async () => {
    await server?.stop().catch(warn);
    await db.dispose().catch(warn);
  };
  onInterrupt(progress, cleanUp);
  try {
    progress(`starting the server on ${db.description}`);
    server = await withTimeout(startWatchedServerProcess(db, PASSWORD_HASH_COST, progress), SERVER_PROCESS_START_TIMEOUT_MS + 5000, 'server start');
    const session = await createUserSession(server, `bench_${randomBytes(4).toString('hex')}`, 'bench-password', AbortSignal.timeout(30_000));
    if (!session.ok) throw new Error(`session: HTTP ${session.status}`);
    const target: StorageTarget = { url: server.url, app: server.app, token: session.token() };

    const results: { phase: BenchPhase; rows: { phase: string }[] }[] = [];
    for (const phase of phases(params, db)) {
      progress(`phase ${phase.name}`);
      results.push({ phase, rows: await phase.run(target, progress) });
    }

    // One table per run of phases sharing a format.
    const lines = [serverModeLine(true, server.pid), `database: ${params.db}`, ''];
    for (let index = 0; index < results.length; ) {
      const format = results[index]?.phase.format;
      const rows: { phase: string }[] = [];
      while (index < results.length && results[index]?.phase.format === format) rows.push(...(results[index++]?.rows ?? []));
      if (format) lines.push(format(rows), '');
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    process.stdout.write(`${JSON.stringify({ ...runFacts('storage-data', startedAt, true), db: params.db, params, phases: results.flatMap((result) => result.rows) })}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`error: ${errorStack(error)}\n`);
    return 1;
  } finally {
    await withTimeout(cleanUp(), SERVER_STOP_TIMEOUT_MS, 'clean-up').catch(warn);
    stopWatchdog();
  }
}

runMain(main);
