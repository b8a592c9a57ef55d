/**
 * Seeds a chat data set for benchmarks through the server's own ports only (`services.users`,
 * `store.dialogs.create`, `store.messages.create`, `store.messages.mark`), so it works on every store
 * adapter and never depends on their tables.
 *
 * The data set is deterministic for given counts (fixed PRNG seed); only the ids the database assigns
 * differ between runs:
 * - users `chatbench_<n>`, all with one password (hashed once: logins are not what is measured);
 *   some users are much more active than others (member picks are skewed towards low numbers);
 * - dialogs: ~80% private (type 3, unique pairs), ~20% group (type 2, 3–8 occupants), each with its
 *   member rows;
 * - messages: per-dialog sizes follow a log-normal distribution (most dialogs small, a few with
 *   thousands of messages); each dialog is active over a random window of the last year and its
 *   `date_sent` values are spread over that window;
 * - read state: each member marks the dialog read (`mark` of all messages) at a point of its history —
 *   most at its end, many a few messages before it, some somewhere in the middle, a few never — so
 *   unread counters and read receipts have a realistic mix.
 *
 * Messages of one dialog are written in order by one worker; `concurrency` dialogs are written at once
 * (SQLite serialises the transactions anyway; PostgreSQL runs them on its pool).
 */
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { newObjectId } from '@parley/protocol';
import type { TestServer } from '@parley/testkit';

type ParleyServer = TestServer['server'];
type ParleyStore = ParleyServer['store'];
type NewDialog = Parameters<ParleyStore['dialogs']['create']>[0];
type NewMessage = Parameters<ParleyStore['messages']['create']>[0];

export interface SeedParams {
  users: number;
  dialogs: number;
  messages: number;
  /** Dialogs (or users) written at once. */
  concurrency: number;
  /** Message seeding stops after this long; the data set is then incomplete (and reported so). */
  maxSeconds: number;
}

export interface SeedUser {
  id: number;
  login: string;
}

export interface SeedDialog {
  id: string;
  type: 2 | 3;
  memberIds: number[];
  /** Messages stored in the dialog (after seeding; benchmarks that add messages keep it current). */
  messages: number;
}

export interface SeedData {
  appId: number;
  /** The password of every seeded user. */
  password: string;
  users: SeedUser[];
  dialogs: SeedDialog[];
}

export interface SeedStats {
  /** True when an existing seeded database was reused (the timings are then the original seeding's). */
  reused: boolean;
  /** False when message seeding hit its time cap. */
  complete: boolean;
  users: number;
  dialogs: number;
  privateDialogs: number;
  groupDialogs: number;
  memberRows: number;
  messagesPlanned: number;
  messages: number;
  /** `messages.mark` calls (one member marking a whole dialog read). */
  readMarks: number;
  largestDialog: number;
  emptyDialogs: number;
  usersSeconds: number;
  dialogsSeconds: number;
  /** Wall time of the message phase (creates and read marks interleaved). */
  messagesSeconds: number;
  messagesPerSecond: number;
  totalSeconds: number;
  concurrency: number;
}

export interface SeedManifest {
  format: 'parley-bench-chat-seed/1';
  db: 'sqlite' | 'postgres';
  params: { users: number; dialogs: number; messages: number };
  data: SeedData;
  stats: SeedStats;
  writtenAt: string;
}

const PASSWORD = 'bench-chat-password';
const PRNG_SEED = 0x5eed_c4a7;
const YEAR_MS = 365 * 24 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;
const PRIVATE_SHARE = 0.8;
/** Log-normal sigma of dialog sizes: the largest of 10,000 dialogs holds ~100× the mean. */
const SIZE_SIGMA = 1.5;
const PROGRESS_EVERY_MS = 10_000;
const YIELD_EVERY = 1000;
const WORDS = (
  'hi hello ok sure thanks yes no maybe later today tomorrow meeting call lunch coffee project deadline ' +
  'review merge deploy ticket bug fix test release weekend plan photo link see you soon great cool sorry ' +
  'running late on my way almost there did you get it send me the file what about the budget let us talk'
).split(' ');

/** mulberry32: small, fast and good enough for picking benchmark data. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;

/** Runs `task(0 … count-1)` with at most `concurrency` at once; stops handing out work once `stop()` is true. */
async function forEachLimited(count: number, concurrency: number, task: (index: number) => Promise<void>, stop: () => boolean = () => false): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count && !stop()) {
      const index = next;
      next += 1;
      await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, () => worker()));
}

function every<T>(intervalMs: number, report: () => T): () => void {
  const timer = setInterval(report, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

interface DialogPlan {
  type: 2 | 3;
  /** Indexes into the user list; the first is the owner. */
  members: number[];
  messages: number;
  /** Active window (epoch ms). */
  from: number;
  to: number;
}

/** Dialog shapes and sizes; deterministic for given counts. */
function planDialogs(params: SeedParams, now: number): DialogPlan[] {
  const random = createRandom(PRNG_SEED);
  // Power skew: user n is picked with density ∝ n^(-1/3), so a few users sit in many dialogs.
  const pickUser = () => Math.min(params.users - 1, Math.floor(params.users * random() ** 1.5));
  const pairs = new Set<string>();
  const plans: DialogPlan[] = [];
  for (let index = 0; index < params.dialogs; index += 1) {
    let members: number[] | undefined;
    let type: 2 | 3 = 2;
    if (random() < PRIVATE_SHARE) {
      for (let attempt = 0; attempt < 50 && !members; attempt += 1) {
        const a = pickUser();
        const b = pickUser();
        const key = a < b ? `${a}:${b}` : `${b}:${a}`;
        if (a === b || pairs.has(key)) continue;
        pairs.add(key);
        members = [a, b];
        type = 3;
      }
    }
    if (!members) {
      const size = Math.min(params.users, 3 + Math.floor(random() * 6));
      const chosen = new Set<number>();
      for (let attempt = 0; chosen.size < size; attempt += 1) chosen.add(attempt < 1000 ? pickUser() : Math.floor(random() * params.users));
      members = [...chosen];
      type = 2;
    }
    // Starts at least 36 days ago; half the dialogs are still active (last hour), half went quiet.
    const from = now - YEAR_MS + Math.floor(random() * 0.9 * YEAR_MS);
    const to = random() < 0.5 ? now - Math.floor(random() * 3600_000) : from + DAY_MS + Math.floor(random() * (now - from - DAY_MS));
    plans.push({ type, members, messages: 0, from, to });
  }
  // Log-normal sizes scaled to the requested total; the remainder goes one by one to random dialogs.
  const weights = plans.map(() => Math.exp(SIZE_SIGMA * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())));
  const sum = weights.reduce((total, weight) => total + weight, 0);
  let assigned = 0;
  plans.forEach((plan, index) => {
    plan.messages = Math.floor((params.messages * (weights[index] ?? 0)) / sum);
    assigned += plan.messages;
  });
  for (let left = params.messages - assigned; left > 0; left -= 1) {
    const plan = plans[Math.floor(random() * plans.length)];
    if (plan) plan.messages += 1;
  }
  return plans;
}

function messageBody(random: () => number): string {
  const count = 2 + Math.floor(random() * random() * 30);
  const words: string[] = [];
  for (let index = 0; index < count; index += 1) words.push(WORDS[Math.floor(random() * WORDS.length)] ?? 'ok');
  return words.join(' ');
}

/**
 * Where a member marks the dialog read, as a number of messages seen (0 = never): 55% at the end,
 * 30% a few messages before it, 10% somewhere in the history, 5% never.
 */
function readPoint(random: () => number, size: number): number {
  const draw = random();
  if (draw < 0.55) return size;
  if (draw < 0.85) return Math.max(0, size - 1 - Math.floor(random() * random() * 20));
  if (draw < 0.95) return Math.floor(random() * size);
  return 0;
}

export async function seedChat(server: ParleyServer, appId: number, params: SeedParams, progress: (message: string) => void): Promise<{ data: SeedData; stats: SeedStats }> {
  const { store, services } = server;
  const started = Date.now();
  const now = started;
  const plans = planDialogs(params, now);

  // Users: one password hash for all, then plain inserts.
  progress(`seeding ${params.users} users`);
  const credentials = await services.users.credentialsFor(PASSWORD);
  const users: SeedUser[] = new Array<SeedUser>(params.users);
  await forEachLimited(params.users, params.concurrency, async (index) => {
    const login = `chatbench_${index}`;
    const user = await services.users.createUser(appId, { login, fullName: `Bench User ${index}`, ...credentials }, false);
    users[index] = { id: user.id, login };
  });
  const usersDone = Date.now();

  // Dialogs with their member rows.
  progress(`seeding ${params.dialogs} dialogs`);
  const dialogs: SeedDialog[] = new Array<SeedDialog>(plans.length);
  const userId = (index: number) => users[index]?.id ?? 0;
  await forEachLimited(plans.length, params.concurrency, async (index) => {
    const plan = plans[index];
    if (!plan) return;
    const memberIds = plan.members.map(userId);
    const dialog: NewDialog = {
      id: newObjectId(plan.from),
      appId,
      type: plan.type,
      ownerId: memberIds[0] ?? 0,
      name: plan.type === 3 ? null : `Bench group ${index}`,
      description: null,
      photo: null,
      occupantIds: memberIds,
      adminIds: [],
      pinnedMessageIds: [],
      extensions: null,
      permissions: null,
      createdAt: plan.from,
      updatedAt: plan.from,
    };
    const created = await store.dialogs.create(dialog, memberIds, plan.from);
    dialogs[index] = { id: created.id, type: plan.type, memberIds, messages: 0 };
  });
  const dialogsDone = Date.now();

  // Messages, largest dialogs first so the workers finish together.
  const order = plans.map((_, index) => index).sort((a, b) => (plans[b]?.messages ?? 0) - (plans[a]?.messages ?? 0));
  const deadline = dialogsDone + params.maxSeconds * 1000;
  let written = 0;
  let readMarks = 0;
  let capped = false;
  const overTime = () => {
    if (!capped && Date.now() > deadline) {
      capped = true;
      progress(`message seeding hit its ${params.maxSeconds} s cap after ${written} messages`);
    }
    return capped;
  };
  progress(`seeding ${params.messages} messages into ${plans.length} dialogs (concurrency ${params.concurrency}, cap ${params.maxSeconds} s)`);
  const stopProgress = every(PROGRESS_EVERY_MS, () => {
    const elapsed = (Date.now() - dialogsDone) / 1000;
    const rate = written / Math.max(elapsed, 0.001);
    const eta = rate > 0 ? Math.round((params.messages - written) / rate) : 0;
    progress(`  ${written}/${params.messages} messages, ${readMarks} read marks, ${Math.round(rate)} msg/s, ~${eta} s left`);
  });
  try {
    await forEachLimited(
      order.length,
      params.concurrency,
      async (position) => {
        const index = order[position] ?? 0;
        const plan = plans[index];
        const dialog = dialogs[index];
        if (!plan || !dialog) return;
        // One PRNG per dialog keeps the content independent of the workers' interleaving.
        const random = createRandom(PRNG_SEED ^ Math.imul(index + 1, 0x9e3779b1));
        const size = plan.messages;
        const times = Array.from({ length: size }, () => plan.from + Math.floor(random() * (plan.to - plan.from))).sort((a, b) => a - b);
        const marksAfter = new Map<number, number[]>();
        for (const member of dialog.memberIds) {
          const point = readPoint(random, size);
          if (point > 0) marksAfter.set(point, [...(marksAfter.get(point) ?? []), member]);
        }
        for (let position = 0; position < size; position += 1) {
          if (overTime()) return;
          const sentAt = times[position] ?? now;
          const senderId = dialog.memberIds[Math.floor(random() * dialog.memberIds.length)] ?? 0;
          const withPhoto = random() < 0.05;
          const message: NewMessage = {
            id: newObjectId(sentAt),
            appId,
            dialogId: dialog.id,
            senderId,
            recipientId: dialog.type === 3 ? (dialog.memberIds.find((id) => id !== senderId) ?? 0) : 0,
            body: withPhoto ? 'Photo' : messageBody(random),
            dateSent: Math.floor(sentAt / 1000),
            attachments: withPhoto ? [{ type: 'image', uid: `bench-${index}-${position}`, content_type: 'image/jpeg' }] : [],
            custom: {},
            markable: true,
            createdAt: sentAt,
            updatedAt: sentAt,
          };
          await store.messages.create(message);
          dialog.messages += 1;
          written += 1;
          // SQLite calls settle as microtasks only; yield now and then so timers (progress) still run.
          if (written % YIELD_EVERY === 0) await yieldToEventLoop();
          for (const member of marksAfter.get(position + 1) ?? []) {
            // Read within the hour after the message it catches up to.
            await store.messages.mark(appId, dialog.id, member, undefined, { read: true }, Math.min(now, sentAt + Math.floor(random() * 3600_000)));
            readMarks += 1;
          }
        }
      },
      overTime,
    );
  } finally {
    stopProgress();
  }
  const messagesDone = Date.now();
  const messagesSeconds = (messagesDone - dialogsDone) / 1000;
  const stats: SeedStats = {
    reused: false,
    complete: !capped,
    users: users.length,
    dialogs: dialogs.length,
    privateDialogs: dialogs.filter((dialog) => dialog.type === 3).length,
    groupDialogs: dialogs.filter((dialog) => dialog.type === 2).length,
    memberRows: dialogs.reduce((total, dialog) => total + dialog.memberIds.length, 0),
    messagesPlanned: params.messages,
    messages: written,
    readMarks,
    largestDialog: dialogs.reduce((largest, dialog) => Math.max(largest, dialog.messages), 0),
    emptyDialogs: dialogs.filter((dialog) => dialog.messages === 0).length,
    usersSeconds: seconds(usersDone - started),
    dialogsSeconds: seconds(dialogsDone - usersDone),
    messagesSeconds: seconds(messagesDone - dialogsDone),
    messagesPerSecond: messagesSeconds > 0 ? Math.round(written / messagesSeconds) : 0,
    totalSeconds: seconds(messagesDone - started),
    concurrency: params.concurrency,
  };
  return { data: { appId, password: PASSWORD, users, dialogs }, stats };
}

export async function readManifest(file: string): Promise<SeedManifest | undefined> {
  if (!existsSync(file)) return undefined;
  try {
    const manifest = JSON.parse(await readFile(file, 'utf8')) as SeedManifest;
    return manifest.format === 'parley-bench-chat-seed/1' ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/** Writes atomically (temp file + rename), so a crash never leaves half a manifest. */
export async function writeManifest(file: string, manifest: SeedManifest): Promise<void> {
  await writeFile(`${file}.tmp`, JSON.stringify(manifest));
  await rename(`${file}.tmp`, file);
}

/**
 * Checks through the ports that the database holds what the manifest says: the user count, every
 * dialog with its members, and each dialog's message count. Returns why not, or undefined when it does.
 */
export async function verifySeed(store: ParleyStore, appId: number, data: SeedData, concurrency: number): Promise<string | undefined> {
  if (data.appId !== appId) return `the application id is ${appId}, the manifest says ${data.appId}`;
  const { total } = await store.users.query(appId, { conditions: [], limit: 1, offset: 0 });
  if (total !== data.users.length) return `${total} users in the database, ${data.users.length} in the manifest`;
  let problem: string | undefined;
  await forEachLimited(
    data.dialogs.length,
    concurrency,
    async (index) => {
      const dialog = data.dialogs[index];
      if (!dialog) return;
      const stored = await store.dialogs.findById(appId, dialog.id);
      if (!stored) {
        problem = `dialog ${dialog.id} is missing`;
        return;
      }
      if (stored.occupantIds.length !== dialog.memberIds.length) {
        problem = `dialog ${dialog.id} has ${stored.occupantIds.length} occupants, the manifest says ${dialog.memberIds.length}`;
        return;
      }
      const count = await store.messages.count(appId, dialog.id, { userId: 0, clearedSeq: 0 }, []);
      if (count !== dialog.messages) problem = `dialog ${dialog.id} has ${count} messages, the manifest says ${dialog.messages}`;
    },
    () => problem !== undefined,
  );
  return problem;
}
