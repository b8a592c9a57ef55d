/**
 * REST history phase of bench/xmpp-goals.ts: `GET /chat/Message.json` pages of 100 (newest first) of
 * one private dialog holding `dialogMessages` messages, in a store of `totalMessages` (the rest spread
 * over filler group dialogs the reader is not in), on SQLite.
 *
 * Seeding: users, the dialogs and the reader's session go through the in-process server; the messages
 * are bulk-inserted with SQL straight into the SQLite file (recursive CTE, 500k rows per transaction,
 * synchronous off) — the server's own send path would take hours for 10M. Seeding stops starting
 * filler chunks once `seedBudgetSeconds` have passed; the phase reports the store size it really had.
 * With `keptDir` the seeded folder is kept and reused by later runs with the same sizes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ApiTarget } from './api.js';
import { getWithToken } from './api.js';
import { openBenchDatabase, openInProcessServer, type BenchDatabase } from './bench-db.js';
import { runLoad } from './load.js';
import { summarize, type PhaseSummary } from './report.js';
import type { Progress } from './run.js';
import { treeCpuMs } from './proc-stats.js';
import { startWatchedServerProcess } from './watched-server.js';
import { round } from './xmpp-measure.js';

const CHUNK = 500_000;
const FILLER_DIALOG_MESSAGES = 1_000_000;
const PAGE = 100;

export interface HistoryParams {
  dialogMessages: number;
  totalMessages: number;
  seedBudgetSeconds: number;
  seconds: number;
  concurrency: number;
  keptDir: string | undefined;
  hashCost: number;
  nodeArgs: readonly string[];
}

interface Manifest {
  dialogMessages: number;
  totalMessages: number;
  /** Messages really in the store (seeding may stop early). */
  storedMessages: number;
  dialogId: string;
  token: string;
  seedSeconds: number;
}

export interface HistoryResult {
  dialogMessages: number;
  storedMessages: number;
  requestedTotal: number;
  seedSeconds: number;
  reusedSeed: boolean;
  load: PhaseSummary;
  serverCores: number;
  /** Messages in the first page (sanity: 100). */
  pageSize: number;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Inserts `count` messages into `dialogId` (ids `<tag 8 hex><n 16 hex>`), in chunks; stops early past `deadline`. */
function insertMessages(db: Database.Database, appId: number, dialogId: string, tag: number, senderId: number, recipientId: number, count: number, deadline: number, progress: Progress): number {
  const base = Math.floor(Date.now() / 1000) - 400 * 86_400;
  const insert = db.prepare(`
    WITH RECURSIVE n(i) AS (SELECT @from UNION ALL SELECT i + 1 FROM n WHERE i < @to)
    INSERT INTO messages (id, app_id, dialog_id, sender_id, recipient_id, body, date_sent, attachments, custom, markable, created_at, updated_at)
    SELECT printf('%08x%016x', @tag, i), @app, @dialog,
           CASE WHEN i % 2 = 0 THEN @a ELSE @b END, CASE WHEN i % 2 = 0 THEN @b ELSE @a END,
           'history message ' || i || ' of the parley goals benchmark', @base + i / 4, '[]', NULL, 1,
           (@base + i / 4) * 1000, (@base + i / 4) * 1000
    FROM n`);
  let done = 0;
  while (done < count) {
    if (Date.now() > deadline) break;
    const size = Math.min(CHUNK, count - done);
    db.transaction(() => insert.run({ from: done + 1, to: done + size, tag, app: appId, dialog: dialogId, a: senderId, b: recipientId, base }))();
    done += size;
    progress(`history seed: dialog ${tag}: ${done} of ${count}`);
  }
  return done;
}

async function seed(db: BenchDatabase, params: HistoryParams, progress: Progress): Promise<Manifest> {
  const started = Date.now();
  const deadline = started + params.seedBudgetSeconds * 1000;
  const local = await openInProcessServer(db, params.hashCost);
  let appId: number;
  let reader: number;
  let peer: number;
  let dialogId: string;
  const fillers: { id: string; owner: number; other: number }[] = [];
  const token = randomBytes(40).toString('hex').toUpperCase();
  try {
    const { app } = await local.services.apps.ensureDefault();
    appId = app.id;
    const credentials = await local.services.users.credentialsFor('bench-history-password');
    const user = async (login: string) => (await local.services.users.createUser(app.id, { login, ...credentials }, false)).id;
    reader = await user('history_reader');
    peer = await user('history_peer');
    const [owner, other] = [await user('history_filler_a'), await user('history_filler_b')];
    dialogId = (await local.services.dialogs.create({ appId, userId: reader, sessionId: 0 }, { type: 3, occupantIds: [peer] })).dialog.id;
    const fillerCount = Math.ceil(Math.max(0, params.totalMessages - params.dialogMessages) / FILLER_DIALOG_MESSAGES);
    for (let index = 0; index < fillerCount; index += 1) {
      const created = await local.services.dialogs.create({ appId, userId: owner, sessionId: 0 }, { type: 2, name: `filler ${index}`, occupantIds: [other] });
      fillers.push({ id: created.dialog.id, owner, other });
    }
    const now = Date.now();
    await local.store.sessions.create({ appId, userId: reader, tokenHash: sha256(token), nonce: 1, ts: Math.floor(now / 1000), createdAt: now, updatedAt: now, expiresAt: now + 30 * 86_400_000, hardExpiresAt: null, scram: null });
  } finally {
    await local.close();
  }
  const sqlite = new Database(path.join(db.dataDir, 'parley.sqlite'));
  let stored = 0;
  try {
    sqlite.pragma('synchronous = OFF');
    stored += insertMessages(sqlite, appId, dialogId, 0, reader, peer, params.dialogMessages, Number.POSITIVE_INFINITY, progress);
    let left = params.totalMessages - stored;
    for (const [index, filler] of fillers.entries()) {
      if (left <= 0 || Date.now() > deadline) break;
      const inserted = insertMessages(sqlite, appId, filler.id, index + 1, filler.owner, filler.other, Math.min(left, FILLER_DIALOG_MESSAGES), deadline, progress);
      stored += inserted;
      left -= inserted;
    }
    progress('history seed: ANALYZE');
    sqlite.exec('ANALYZE');
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    sqlite.close();
  }
  return { dialogMessages: params.dialogMessages, totalMessages: params.totalMessages, storedMessages: stored, dialogId, token, seedSeconds: round((Date.now() - started) / 1000) };
}

export async function historyPhase(params: HistoryParams, progress: Progress): Promise<HistoryResult> {
  const db = await openBenchDatabase('sqlite', params.keptDir);
  try {
    const manifestFile = path.join(db.dataDir, 'goals-history.json');
    const kept = existsSync(manifestFile) ? (JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest) : undefined;
    const reusable = kept && kept.dialogMessages === params.dialogMessages && kept.totalMessages === params.totalMessages;
    if (kept && !reusable) throw new Error(`${db.dataDir} holds a history seed of other sizes (${kept.dialogMessages}/${kept.totalMessages}); use another --history-dir`);
    let manifest: Manifest;
    if (kept) {
      manifest = kept;
      progress(`history: reusing the seed in ${db.dataDir} (${manifest.storedMessages} messages)`);
    } else {
      progress(`history: seeding ${params.dialogMessages} messages in one dialog, ${params.totalMessages} in all (budget ${params.seedBudgetSeconds} s) in ${db.dataDir}`);
      manifest = await seed(db, params, progress);
      writeFileSync(manifestFile, JSON.stringify(manifest));
      progress(`history: seeded ${manifest.storedMessages} messages in ${manifest.seedSeconds} s`);
    }
    const server = await startWatchedServerProcess(db, params.hashCost, progress, params.nodeArgs);
    try {
      const target: ApiTarget = { url: server.url, app: server.app };
      const query = `/chat/Message.json?chat_dialog_id=${manifest.dialogId}&limit=${PAGE}&sort_desc=date_sent&mark_as_read=0`;
      const first = await fetch(`${server.url}${query}`, { headers: { 'CB-Token': manifest.token } });
      const body = (await first.json()) as { items?: unknown[] };
      if (!first.ok || !Array.isArray(body.items)) throw new Error(`history page failed: HTTP ${first.status} ${JSON.stringify(body).slice(0, 200)}`);
      // A short warm-up, so the page cache holds the index pages the phase reads.
      await runLoad({ concurrency: params.concurrency, durationMs: 1000, request: ({ signal }) => getWithToken(target, manifest.token, query, signal) });
      progress(`history: GET ${query} for ${params.seconds} s, ${params.concurrency} at a time`);
      const cpuBefore = treeCpuMs(server.pid);
      const result = await runLoad({ concurrency: params.concurrency, durationMs: params.seconds * 1000, request: ({ signal }) => getWithToken(target, manifest.token, query, signal) });
      const serverMs = treeCpuMs(server.pid) - cpuBefore;
      const load = summarize('history page', result);
      progress(`history: ${load.okRps} pages/s, p99 ${load.p99Ms} ms`);
      return {
        dialogMessages: manifest.dialogMessages,
        storedMessages: manifest.storedMessages,
        requestedTotal: manifest.totalMessages,
        seedSeconds: manifest.seedSeconds,
        reusedSeed: Boolean(kept),
        load,
        serverCores: round(serverMs / Math.max(1, result.elapsedMs), 2),
        pageSize: body.items.length,
      };
    } finally {
      await server.stop();
    }
  } finally {
    await db.dispose();
  }
}
