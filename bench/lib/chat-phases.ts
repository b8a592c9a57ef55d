/**
 * The timed phases of bench/chat-rest.ts: user sessions for ~100 seeded users, then every phase for
 * `seconds` at each concurrency level in turn, each request as a random one of those users.
 */
import { createUserSession, getWithToken, JSON_HEADERS, type ApiTarget } from './api.js';
import { pick, runLoad, type LoadContext } from './load.js';
import { emptySummary, summarize, type PhaseSummary } from './report.js';
import { GRACE_MS, type Progress } from './run.js';
import type { SeedData, SeedDialog } from './seed-chat.js';

/** Users that get a session token; each request runs as a random one of them. */
const SESSION_USERS = 100;
export const SESSION_SETUP_SECONDS = 60;
export const PAGE_LIMIT = 50;
export const DEEP_FRACTION = 0.8;
export const UNREAD_DIALOGS = 5;
export const PHASE_NAMES = ['dialog list', 'latest page', 'deep page', 'unread total', 'unread 5 dialogs', 'create message'];

interface BenchSession {
  userId: number;
  token: string;
  dialogs: SeedDialog[];
  /** The user's dialogs that hold messages, with cumulative sizes for size-weighted picks. */
  filled: SeedDialog[];
  cumulative: number[];
}

export interface LevelResult {
  concurrency: number;
  rows: PhaseSummary[];
}

export interface RunResult {
  levels: LevelResult[];
  sessions: number;
  sessionSeconds: number;
  deepSkipMean: number;
  deepSkipMax: number;
  created: number;
}

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(Math.random() * (index + 1));
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}

/** A dialog of the session's user, picked with probability proportional to its size. */
function pickBySize(session: BenchSession): SeedDialog {
  const total = session.cumulative[session.cumulative.length - 1] ?? 0;
  const target = Math.random() * total;
  let low = 0;
  let high = session.cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((session.cumulative[middle] ?? 0) > target) high = middle;
    else low = middle + 1;
  }
  return session.filled[low] ?? pick(session.dialogs);
}

/**
 * Runs every phase at each of `params.concurrency` in turn. Messages the `create message` phase sends
 * are added to `data`'s per-dialog counts, so a manifest written from it stays true to the database.
 */
export async function runPhases(target: ApiTarget, data: SeedData, params: { seconds: number; concurrency: number[] }, progress: Progress): Promise<RunResult> {
  const { url } = target;
  const durationMs = params.seconds * 1000;

  // Sessions for ~100 random users that have dialogs with messages.
  const dialogsOf = new Map<number, SeedDialog[]>();
  for (const dialog of data.dialogs) {
    for (const member of dialog.memberIds) dialogsOf.set(member, [...(dialogsOf.get(member) ?? []), dialog]);
  }
  const candidates = shuffled(data.users.filter((user) => (dialogsOf.get(user.id) ?? []).some((dialog) => dialog.messages > 0))).slice(0, SESSION_USERS);
  progress(`creating sessions for ${candidates.length} users`);
  const sessions: BenchSession[] = [];
  const sessionLoad = await runLoad({
    concurrency: Math.min(Math.max(...params.concurrency), 8),
    durationMs: SESSION_SETUP_SECONDS * 1000,
    graceMs: GRACE_MS,
    maxRequests: candidates.length,
    request: async ({ sequence, signal }: LoadContext) => {
      const user = candidates[sequence];
      if (!user) return 0;
      const session = await createUserSession(target, user.login, data.password, signal);
      if (session.ok) {
        const dialogs = dialogsOf.get(user.id) ?? [];
        const filled = dialogs.filter((dialog) => dialog.messages > 0);
        let running = 0;
        sessions.push({ userId: user.id, token: session.token(), dialogs, filled, cumulative: filled.map((dialog) => (running += dialog.messages)) });
      }
      return session.status;
    },
  });
  const sessionSeconds = Math.round(sessionLoad.elapsedMs) / 1000;
  if (sessionLoad.errors > 0) progress(`session errors: ${JSON.stringify(sessionLoad.errorKinds)}`);
  if (sessions.length === 0) {
    progress('no session token could be obtained; the timed phases are skipped');
    return {
      levels: params.concurrency.map((concurrency) => ({ concurrency, rows: PHASE_NAMES.map(emptySummary) })),
      sessions: 0,
      sessionSeconds,
      deepSkipMean: 0,
      deepSkipMax: 0,
      created: 0,
    };
  }

  const get = (session: BenchSession, pathAndQuery: string, signal: AbortSignal) => getWithToken(target, session.token, pathAndQuery, signal);
  let deepSkipTotal = 0;
  let deepRequests = 0;
  let deepSkipMax = 0;
  const createdIn = new Map<string, number>();
  let created = 0;
  const phases: { name: string; request: (context: LoadContext) => Promise<number> }[] = [
    {
      name: 'dialog list',
      request: ({ signal }) => get(pick(sessions), `/chat/Dialog.json?limit=${PAGE_LIMIT}`, signal),
    },
    {
      name: 'latest page',
      request: ({ signal }) => {
        const session = pick(sessions);
        const dialog = pick(session.dialogs);
        return get(session, `/chat/Message.json?chat_dialog_id=${dialog.id}&sort_desc=date_sent&limit=${PAGE_LIMIT}&mark_as_read=0`, signal);
      },
    },
    {
      name: 'deep page',
      request: ({ signal }) => {
        const session = pick(sessions);
        const dialog = pickBySize(session);
        const skip = Math.floor(dialog.messages * DEEP_FRACTION);
        deepSkipTotal += skip;
        deepRequests += 1;
        deepSkipMax = Math.max(deepSkipMax, skip);
        return get(session, `/chat/Message.json?chat_dialog_id=${dialog.id}&sort_asc=date_sent&skip=${skip}&limit=${PAGE_LIMIT}&mark_as_read=0`, signal);
      },
    },
    {
      name: 'unread total',
      request: ({ signal }) => get(pick(sessions), '/chat/Message/unread.json', signal),
    },
    {
      name: 'unread 5 dialogs',
      request: ({ signal }) => {
        const session = pick(sessions);
        const ids = shuffled(session.dialogs).slice(0, UNREAD_DIALOGS).map((dialog) => dialog.id);
        return get(session, `/chat/Message/unread.json?chat_dialog_ids=${ids.join(',')}`, signal);
      },
    },
    {
      name: 'create message',
      request: async ({ signal, sequence }) => {
        const session = pick(sessions);
        const dialog = pick(session.dialogs);
        const response = await fetch(`${url}/chat/Message.json`, {
          method: 'POST',
          headers: { ...JSON_HEADERS, 'CB-Token': session.token },
          body: JSON.stringify({ chat_dialog_id: dialog.id, message: `bench message ${sequence}`, markable: 1 }),
          signal,
        });
        await response.arrayBuffer();
        if (response.ok) {
          createdIn.set(dialog.id, (createdIn.get(dialog.id) ?? 0) + 1);
          created += 1;
        }
        return response.status;
      },
    },
  ];

  const levels: LevelResult[] = [];
  for (const [levelIndex, concurrency] of params.concurrency.entries()) {
    const rows: PhaseSummary[] = [];
    const level = params.concurrency.length > 1 ? `level ${levelIndex + 1}/${params.concurrency.length}, ` : '';
    for (const [index, phase] of phases.entries()) {
      progress(`${level}phase ${index + 1}/${phases.length}: ${phase.name} for ${params.seconds} s (concurrency ${concurrency})`);
      rows.push(summarize(phase.name, await runLoad({ concurrency, durationMs, graceMs: GRACE_MS, request: phase.request })));
    }
    levels.push({ concurrency, rows });
  }
  // Keep the seed's per-dialog counts true to the database (the manifest is rewritten from them).
  for (const dialog of data.dialogs) dialog.messages += createdIn.get(dialog.id) ?? 0;
  return {
    levels,
    sessions: sessions.length,
    sessionSeconds,
    deepSkipMean: deepRequests > 0 ? Math.round(deepSkipTotal / deepRequests) : 0,
    deepSkipMax,
    created,
  };
}
