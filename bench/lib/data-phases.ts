/**
 * Custom objects (rest.md §6) under load: seeding a class with N records straight through the store's
 * port (batched, atomic inserts — the fastest path the server has), then timed REST queries on an
 * indexed field. Used by bench/data.ts; another benchmark can call the same two functions.
 *
 * The class `BenchNote`: `score` Integer (indexed, uniform in [0, SCORE_RANGE)), `category` String
 * (indexed, one of CATEGORIES), `title` String, `tags` Array. Record permissions are the defaults (read
 * open, at record level), so every query carries the record-level read check in SQL as a real app's would.
 * `dataQueryPhase` packages seeding + queries as one phase of bench/storage-data.ts.
 *
 * Phases (each --seconds long, with --concurrency workers, as one seeded user):
 *   indexed eq      GET /data/BenchNote.json?score=S&limit=10          (~N/SCORE_RANGE hits, ≤ 10 returned)
 *   indexed range   GET /data/BenchNote.json?score[gte]=S&score[lt]=S+RANGE_WIDTH&sort_asc=score&limit=20
 *   indexed count   GET /data/BenchNote.json?count=1&score[gte]=S&score[lt]=S+COUNT_WIDTH  (~N·COUNT_WIDTH/SCORE_RANGE
 *                   records counted in SQL; each is read for its record-level read rule)
 */
import { newObjectId } from '@parley/protocol';
import type { ParleyServer } from '@parley/server';
import { getWithToken, type ApiTarget } from './api.js';
import { openInProcessServer, type BenchDatabase } from './bench-db.js';
import { runLoad, type LoadContext } from './load.js';
import { formatTable, summarize, type PhaseSummary } from './report.js';
import type { Progress } from './run.js';
import type { BenchPhase, StorageTarget } from './storage-phases.js';

export const DATA_CLASS = 'BenchNote';
export const SCORE_RANGE = 100_000;
export const RANGE_WIDTH = 50;
export const COUNT_WIDTH = 100;
export const CATEGORIES = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];
/** Records per store.insert call (one transaction). */
const SEED_BATCH = 5_000;

export const DATA_PHASE_NAMES = ['indexed eq', 'indexed range', 'indexed count'] as const;

type Records = Parameters<ParleyServer['store']['dataRecords']['insert']>[0];

export interface DataSeedStats {
  records: number;
  seconds: number;
  recordsPerSecond: number;
}

/** A cheap deterministic generator, so two runs seed the same values. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Defines `BenchNote` in the app and inserts `records` records owned by `ownerId`. */
export async function seedDataRecords(server: ParleyServer, appId: number, ownerId: number, records: number, progress: Progress): Promise<DataSeedStats> {
  const dataClass = await server.services.dataClasses.define(appId, {
    name: DATA_CLASS,
    fields: [
      { name: 'score', type: 'Integer', indexed: true },
      { name: 'category', type: 'String', indexed: true },
      { name: 'title', type: 'String' },
      { name: 'tags', type: 'Array' },
    ],
  });
  const random = lcg(42);
  const rules = { read: { access: 'open' as const, userIds: [], groups: [] }, update: { access: 'owner' as const, userIds: [], groups: [] }, delete: { access: 'owner' as const, userIds: [], groups: [] } };
  const started = performance.now();
  let lastReport = started;
  for (let done = 0; done < records; ) {
    const size = Math.min(SEED_BATCH, records - done);
    const now = Date.now();
    const batch: Records = Array.from({ length: size }, (_, index) => ({
      id: newObjectId(now),
      appId,
      classId: dataClass.id,
      parentId: null,
      userId: ownerId,
      fields: {
        score: Math.floor(random() * SCORE_RANGE),
        category: CATEGORIES[Math.floor(random() * CATEGORIES.length)],
        title: `note ${done + index}`,
        tags: ['bench', `t${Math.floor(random() * 100)}`],
      },
      permissions: rules,
      createdAt: now,
      updatedAt: now,
    }));
    await server.store.dataRecords.insert(batch);
    done += size;
    if (performance.now() - lastReport > 5_000) {
      lastReport = performance.now();
      progress(`seeded ${done} of ${records} records (${Math.round(done / ((lastReport - started) / 1000))} records/s)`);
    }
  }
  // Fresh statistics, so the planners pick the field indexes straight away.
  await server.store.optimize();
  const seconds = (performance.now() - started) / 1000;
  return { records, seconds: Math.round(seconds * 10) / 10, recordsPerSecond: Math.round(records / seconds) };
}

export interface DataPhaseOptions {
  seconds: number;
  concurrency: number;
  graceMs: number;
}

/** The query phases, in order, as one user's token. */
export async function runDataPhases(target: ApiTarget, token: string, options: DataPhaseOptions, progress: Progress): Promise<PhaseSummary[]> {
  const random = lcg(7);
  const score = () => Math.floor(random() * SCORE_RANGE);
  const path = `/data/${DATA_CLASS}.json?`;
  const requests: Record<(typeof DATA_PHASE_NAMES)[number], (context: LoadContext) => Promise<number>> = {
    'indexed eq': ({ signal }) => getWithToken(target, token, `${path}limit=10&score=${score()}`, signal),
    'indexed range': ({ signal }) => {
      const low = score();
      return getWithToken(target, token, `${path}limit=20&score%5Bgte%5D=${low}&score%5Blt%5D=${low + RANGE_WIDTH}&sort_asc=score`, signal);
    },
    'indexed count': ({ signal }) => {
      const low = score();
      return getWithToken(target, token, `${path}count=1&score%5Bgte%5D=${low}&score%5Blt%5D=${low + COUNT_WIDTH}`, signal);
    },
  };
  const rows: PhaseSummary[] = [];
  for (const phase of DATA_PHASE_NAMES) {
    progress(`phase ${phase}: ${options.seconds} s at concurrency ${options.concurrency}`);
    const result = await runLoad({ concurrency: options.concurrency, durationMs: options.seconds * 1000, graceMs: options.graceMs, request: requests[phase] });
    rows.push(summarize(phase, result));
  }
  return rows;
}

/**
 * Seeding and the query phases as one phase of bench/storage-data.ts: the records are written through
 * a second, non-listening server on the same database (the running server only reads the class per
 * request, so it sees them at once), then queried as the phase's user.
 */
export function dataQueryPhase(db: BenchDatabase, records: number, options: DataPhaseOptions, passwordHashCost: number): BenchPhase<PhaseSummary> {
  return {
    name: `custom objects (${records} records)`,
    async run(target: StorageTarget, progress: Progress) {
      const seeder = await openInProcessServer(db, passwordHashCost);
      try {
        progress(`seeding ${records} records into ${DATA_CLASS}`);
        const seed = await seedDataRecords(seeder, target.app.id, 1, records, progress);
        progress(`seeded in ${seed.seconds} s (${seed.recordsPerSecond} records/s)`);
      } finally {
        await seeder.close();
      }
      return runDataPhases(target, target.token, options, progress);
    },
    format: (rows) => `custom objects: ${records} records, indexed Integer field, concurrency ${options.concurrency}\n${formatTable(rows)}`,
  };
}
