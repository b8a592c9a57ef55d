import { describe, expect, it } from 'vitest';
import { runCrashRestart, type CrashRestartReport } from '../../bench/lib/crash-restart.js';

/** The burst on SQLite; PARLEY_CRASH_MESSAGES changes it when debugging by hand. */
const MESSAGES = Number(process.env['PARLEY_CRASH_MESSAGES'] ?? 4000);
/** PostgreSQL runs half of it: e2e/cluster/chaos.test.ts already kills a node on PostgreSQL in a 10k burst. */
const POSTGRES_MESSAGES = Math.ceil(MESSAGES / 2);

/** Every message of the burst once, in the store and in its dialog's history, and the kill really was in the middle. */
function expectEveryMessageOnce(report: CrashRestartReport, messages: number): void {
  expect(report.exitSignal).toBe('SIGKILL');
  // Killed in the middle, with messages in flight.
  expect(report.killedAtAcked).toBeGreaterThanOrEqual(messages / 2);
  expect(report.ackedBeforeKill).toBeLessThan(messages);
  expect(report.resent).toBeGreaterThan(0);
  // What the client saw acknowledged was in the store right after the kill…
  expect(report.lostAtKill).toBe(0);
  expect(report.storedAtKill).toBeGreaterThanOrEqual(report.ackedBeforeKill);
  // …and some stored messages had not been acknowledged yet: their resend met them in the store.
  expect(report.storedUnackedAtKill).toBeGreaterThan(0);
  // Every sender came back on a new stream (nothing to resume in a new process).
  expect(report.reconnects).toEqual({ resumed: 0, newStream: 16 });
  expect(report.errorSamples).toEqual([]);
  // At the end: every message once in the store and in its dialog's REST history, nothing else.
  expect(report.lost).toBe(0);
  expect(report.duplicates).toBe(0);
  expect(report.unexpected).toBe(0);
  expect(report.stored).toBe(messages);
}

/**
 * Issue 13, "Reliability that must hold", at test size (bench/crash-restart.ts runs it at 100k): one
 * `parley serve` process, 16 users sending 4,000 chat messages over XMPP with XEP-0198 (client ids,
 * save_to_history=1, 100 in flight each), SIGKILL when half are acknowledged, the same server started
 * again on the same store, the users back (a new stream: resumption cannot survive the process) sending
 * again whatever was not acknowledged under the same ids. On SQLite (the default store) and on PostgreSQL
 * with 2,000 messages. Loopback only. Proven able to fail: with the server's XEP-0198 `h` counted
 * before a stanza's handling (its commit) finished, the SQLite run found ~1,000 acked messages lost.
 */
// Two server starts and the burst: 61 s (SQLite) and 93 s (PostgreSQL) measured at load 15–20 on 2 cores; the bound leaves room for that.
describe('kill -9 and restart of the server in the middle of a burst with XEP-0198', () => {
  const run = async (db: 'sqlite' | 'postgres', messages: number) => {
    const report = await runCrashRestart({
      db,
      messages,
      senders: 16,
      window: 100,
      killAtPercent: 50,
      hashCost: 10,
      progress: (line) => process.stderr.write(`kill-restart (${db}): ${line}\n`),
    });
    process.stderr.write(`kill-restart (${db}): ${JSON.stringify(report)}\n`);
    return report;
  };

  it('SQLite (the default, synchronous=FULL): every acknowledged message is stored once; resends store nothing twice', async () => {
    expectEveryMessageOnce(await run('sqlite', MESSAGES), MESSAGES);
  }, 240_000);

  it('PostgreSQL (half the burst): the same', async () => {
    expectEveryMessageOnce(await run('postgres', POSTGRES_MESSAGES), POSTGRES_MESSAGES);
  }, 240_000);
});
