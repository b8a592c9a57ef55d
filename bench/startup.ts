/**
 * Start-up of `parley serve` (ADR 0023): from spawning the process to the first 200 from /health, on
 * a new SQLite folder each round (so every round also creates the database and runs the migrations),
 * and the server's CPU time (all threads) at that moment. Prints one line per round, then one JSON line.
 *
 *   npx tsx bench/startup.ts [--rounds 5] [--rebuild]
 *
 * --rebuild deletes packages/server/.build before each round, so each start bundles the sources first.
 * BENCH_SERVER_BIN=path runs another entry script instead of packages/server/bin/parley.js (A/B runs).
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCommandLine } from './lib/cli.js';
import { cpuMs } from './lib/proc-stats.js';
import { runFacts } from './lib/report.js';
import { progressLine, runMain } from './lib/run.js';
import { SERVER_BIN, startServerProcess } from './lib/server-process.js';

const USAGE = `usage: npx tsx bench/startup.ts [options]
  --rounds N     starts to time (default 5)
  --rebuild      delete packages/server/.build before each start (time a start that bundles)`;

const BUILD_DIR = fileURLToPath(new URL('../packages/server/.build/', import.meta.url));
const progress = progressLine('startup');

interface Round {
  wallMs: number;
  cpuMs: number;
}

async function oneStart(rebuild: boolean): Promise<Round> {
  if (rebuild) rmSync(BUILD_DIR, { recursive: true, force: true });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-startup-'));
  const started = performance.now();
  const server = await startServerProcess({ dataDir });
  try {
    for (;;) {
      const response = await fetch(`${server.url}/health`).catch(() => undefined);
      if (response?.ok) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return { wallMs: Math.round(performance.now() - started), cpuMs: cpuMs(server.pid) };
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

runMain(async () => {
  const line = parseCommandLine(process.argv.slice(2), USAGE, { rounds: { type: 'string' }, rebuild: { type: 'boolean' } });
  const rounds = line.integer('rounds', line.text('rounds'), 5, 1, 100);
  const rebuild = line.flag('rebuild');
  const startedAt = new Date();
  progress(`${SERVER_BIN} serve, ${rounds} starts${rebuild ? ', rebuilding the bundle before each' : ''}`);
  const results: Round[] = [];
  for (let round = 1; round <= rounds; round++) {
    const result = await oneStart(rebuild);
    results.push(result);
    progress(`start ${round}: /health after ${result.wallMs} ms, server CPU ${result.cpuMs} ms`);
  }
  const summary = { wallMsMedian: median(results.map((r) => r.wallMs)), cpuMsMedian: median(results.map((r) => r.cpuMs)) };
  process.stdout.write(`median: /health after ${summary.wallMsMedian} ms, server CPU ${summary.cpuMsMedian} ms\n`);
  process.stdout.write(`${JSON.stringify({ ...runFacts('startup', startedAt, true), bin: SERVER_BIN, rebuild, rounds: results, ...summary })}\n`);
  return 0;
});
