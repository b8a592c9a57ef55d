/**
 * The message write path of the SQLite store alone, in this process: `pairs` private dialogs, each with
 * `window` creates in flight (closed loop), for `seconds`, through `store.messages.create` — the call
 * the XMPP and REST faces make before their ack.
 *
 *   npx tsx bench/message-writer.ts [--thread worker|main] [--synchronous full|normal] [--pairs 20]
 *                                   [--window 8] [--seconds 5] [--tmpdir DIR]
 *
 * Prints messages/s, process CPU-ms per 1,000 messages (every thread), and the main thread's event-loop
 * utilisation (the share of the one thread that also parses XML and writes sockets): the numbers that
 * tell the worker thread and the group commit apart from a busy shared machine's noise.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSqliteStore } from '../packages/server/src/adapters/store-sqlite/index.js';
import { defaultAppSettings } from '../packages/server/src/ports/store.js';
import { parseCommandLine } from './lib/cli.js';
import { runMain } from './lib/run.js';

const USAGE = `usage: npx tsx bench/message-writer.ts [--thread worker|main] [--synchronous full|normal] [--pairs N] [--window N] [--seconds S] [--tmpdir DIR]`;

runMain(async () => {
  const cli = parseCommandLine(process.argv.slice(2), USAGE, {
    thread: { type: 'string' },
    synchronous: { type: 'string' },
    pairs: { type: 'string' },
    window: { type: 'string' },
    seconds: { type: 'string' },
    tmpdir: { type: 'string' },
  });
  const thread = cli.text('thread') ?? 'worker';
  const synchronous = cli.text('synchronous') ?? 'full';
  if (thread !== 'worker' && thread !== 'main') return cli.fail('--thread is worker or main');
  if (synchronous !== 'full' && synchronous !== 'normal') return cli.fail('--synchronous is full or normal');
  const pairs = cli.integer('pairs', cli.text('pairs'), 20, 1, 1000);
  const window = cli.integer('window', cli.text('window'), 8, 1, 256);
  const seconds = cli.integer('seconds', cli.text('seconds'), 5, 1, 120);
  const dir = await mkdtemp(path.join(cli.text('tmpdir') ?? os.tmpdir(), 'parley-message-writer-'));
  const store = createSqliteStore(dir, { thread, synchronous });
  try {
    await store.migrate();
    const app = await store.apps.create({ name: 'bench', authKey: 'bench-key', authSecret: 'bench-secret', settings: defaultAppSettings, createdAt: Date.now() });
    const dialogs = [];
    for (let n = 0; n < pairs; n += 1) {
      const [a, b] = [2 * n + 1, 2 * n + 2];
      const id = `6800${n.toString(16).padStart(20, '0')}`;
      const now = Date.now();
      dialogs.push(await store.dialogs.create({ id, appId: app.id, type: 3, ownerId: a, name: null, description: null, photo: null, occupantIds: [a, b], adminIds: [], pinnedMessageIds: [], extensions: null, permissions: null, createdAt: now, updatedAt: now }, [a, b], now));
    }
    let written = 0;
    let counter = 0;
    const deadline = performance.now() + seconds * 1000;
    const cpu = process.cpuUsage();
    const elu = performance.eventLoopUtilization();
    const started = performance.now();
    await Promise.all(
      dialogs.flatMap((dialog) =>
        Array.from({ length: window }, async () => {
          while (performance.now() < deadline) {
            counter += 1;
            const now = Date.now();
            await store.messages.create({ id: `6900${counter.toString(16).padStart(20, '0')}`, appId: app.id, dialogId: dialog.id, senderId: dialog.ownerId, recipientId: dialog.ownerId + 1, body: 'hello, this is a benchmark message', dateSent: Math.floor(now / 1000), attachments: [], custom: {}, markable: true, createdAt: now, updatedAt: now });
            written += 1;
          }
        }),
      ),
    );
    const elapsed = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const loop = performance.eventLoopUtilization(elu);
    const result = {
      thread,
      synchronous,
      messagesPerSecond: Math.round(written / elapsed),
      cpuMsPer1k: Math.round((used.user + used.system) / 1000 / (written / 1000)),
      mainThreadBusy: Number(loop.utilization.toFixed(2)),
      mainThreadMsPer1k: Math.round((loop.active / written) * 1000),
      loadAverage: os.loadavg().map((load) => Number(load.toFixed(1))),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});
