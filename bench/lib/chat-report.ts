/**
 * The report of bench/chat-rest.ts on stdout: a header, a table per concurrency level with the read
 * p99 target's verdict, then one JSON line (the last line; its `phases` hold every level's rows).
 */
import type { ChatParams } from './chat-params.js';
import { DEEP_FRACTION, PAGE_LIMIT, UNREAD_DIALOGS, type LevelResult, type RunResult } from './chat-phases.js';
import { formatErrorKinds, formatTable, runFacts, serverModeLine } from './report.js';
import type { SeedData, SeedStats } from './seed-chat.js';

/** The goal every read phase is held to (at 1,000,000 messages on SQLite). */
const READ_P99_TARGET_MS = 5;

/** How the timed phases were served, for the report. */
export interface ServerMode {
  process: boolean;
  pid: number;
}

interface Miss {
  concurrency: number;
  phase: string;
  p99Ms: number | null;
  errors: number;
}

/** Writes the report; returns the exit status (0: errors and missed targets are results, not failures). */
export function report(params: ChatParams, startedAt: Date, data: SeedData, seed: SeedStats, messagesAtStart: number, result: RunResult, mode: ServerMode): number {
  const facts = runFacts('chat-rest', startedAt, mode.process);
  const missesOf = (level: LevelResult): Miss[] =>
    level.rows
      .filter((row) => row.phase !== 'create message')
      .filter((row) => row.p99Ms === null || row.p99Ms >= READ_P99_TARGET_MS || row.errors > 0)
      .map((row) => ({ concurrency: level.concurrency, phase: row.phase, p99Ms: row.p99Ms, errors: row.errors }));
  const seeding = seed.reused
    ? `reused seeded database (originally ${seed.messages} messages in ${seed.messagesSeconds} s, ${seed.messagesPerSecond} msg/s)`
    : `seeded in ${seed.totalSeconds} s: users ${seed.usersSeconds} s, dialogs ${seed.dialogsSeconds} s, ` +
      `messages ${seed.messagesSeconds} s (${seed.messagesPerSecond} msg/s incl. ${seed.readMarks} read marks)${seed.complete ? '' : ' — INCOMPLETE, hit --seed-seconds'}`;
  const lines = [
    `chat REST benchmark — db ${params.db}, ${data.users.length} users, ${data.dialogs.length} dialogs ` +
      `(${seed.privateDialogs} private, ${seed.groupDialogs} group), ${messagesAtStart} messages (largest dialog ${seed.largestDialog}), ` +
      `${params.seconds} s per phase, concurrency ${params.concurrency.join(', ')}, ${result.sessions} user sessions, node ${process.version}`,
    serverModeLine(mode.process, mode.pid),
    seeding,
    `deep page skip: mean ${result.deepSkipMean}, max ${result.deepSkipMax}`,
  ];
  const misses: Miss[] = [];
  for (const level of result.levels) {
    const levelMisses = missesOf(level);
    misses.push(...levelMisses);
    lines.push(
      '',
      `concurrency ${level.concurrency}:`,
      formatTable(level.rows),
      ...formatErrorKinds(level.rows),
      levelMisses.length === 0
        ? `read p99 target (< ${READ_P99_TARGET_MS} ms): all read phases met it`
        : `read p99 target (< ${READ_P99_TARGET_MS} ms) missed by: ${levelMisses.map((miss) => `${miss.phase} (p99 ${miss.p99Ms ?? '-'} ms, ${miss.errors} errors)`).join(', ')}`,
    );
  }
  lines.push('');
  process.stdout.write(`${lines.join('\n')}\n`);
  const json = {
    ...facts,
    params: {
      messages: params.messages,
      dialogs: params.dialogs,
      users: params.users,
      seconds: params.seconds,
      concurrency: params.concurrency,
      db: params.db,
      dataDir: params.dataDir ?? null,
      seedConcurrency: params.seedConcurrency,
      seedSeconds: params.seedSeconds,
      inProcess: params.inProcess,
      pageLimit: PAGE_LIMIT,
      deepFraction: DEEP_FRACTION,
      unreadDialogs: UNREAD_DIALOGS,
    },
    seed,
    dataset: { users: data.users.length, dialogs: data.dialogs.length, messagesAtStart, messagesAtEnd: messagesAtStart + result.created },
    sessions: { users: result.sessions, seconds: result.sessionSeconds },
    deepPage: { meanSkip: result.deepSkipMean, maxSkip: result.deepSkipMax },
    created: result.created,
    target: { readP99Ms: READ_P99_TARGET_MS, met: misses.length === 0, misses },
    phases: result.levels.flatMap((level) => level.rows.map((row) => ({ concurrency: level.concurrency, ...row }))),
  };
  process.stdout.write(`${JSON.stringify(json)}\n`);
  return 0;
}
