/**
 * Event-loop bench (issue 18, finding 4): how long single requests carrying the largest inputs hold the
 * server's event loop. No request should hold it for more than a few tens of milliseconds.
 *
 *   npx tsx bench/event-loop.ts [--db sqlite|postgres] [--repeat N]
 *
 * The server runs in this process (testkit `startServer`, 127.0.0.1, free port; a temporary SQLite
 * folder or a throwaway PostgreSQL database) so that `perf_hooks.monitorEventLoopDelay` (1 ms
 * resolution) sees its loop. Every payload is built before its case starts; during a case this process
 * only sends the prepared bytes and reads answers, one request at a time, so the delay measured is the
 * server's work (plus fetch's own small share). Cases:
 *
 *   occupants 100k (422)   POST /chat/Dialog with 100,000 occupant ids (~700 KB), refused by the list cap
 *   occupants 1000         POST /chat/Dialog with 1,000 existing occupants (the largest accepted list)
 *   pull 1000              PUT /chat/Dialog/{id} pull_all of those 1,000 occupants
 *   users in 1000          GET /users/v2?id[in]=<1,000 ids>
 *   address book 10000     POST /address_book with 10,000 contacts (the default limit)
 *   message 64 KB          POST /chat/Message with a 64 KB text (the default limit)
 *   custom 64 KB deep      POST /chat/Message with ~55 KB of custom parameters nested 30 deep (depth limit 32)
 *   body 1 MB (422)        PUT /users/{id} with 1 MB of custom data (over custom_data's own limit; body limit here 2 MB)
 *   body 1 MB escaped      ~1 MB of custom data ending in a character XML forbids (refused, 422)
 *
 * Prints a table (per case: status, mean request ms, loop delay p99 and max in ms over the case), then
 * one JSON line (the last line of stdout). Asserts nothing.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { rawRequest, sessionToken, startServer, type TestDatabaseKind, type TestServer } from '@parley/testkit';

interface Case {
  name: string;
  prepare(server: TestServer, ctx: Context): Promise<() => Promise<number>>;
}

interface Context {
  token: string;
  userId: number;
  occupants: number[];
  dialogId: string;
}

const json = (server: TestServer, token: string, method: string, path: string, body: string) => async () =>
  (await rawRequest(server.url, path, { method, token, body })).status;

const cases: Case[] = [
  {
    name: 'occupants 100k (422)',
    prepare: async (server, ctx) => json(server, ctx.token, 'POST', '/chat/Dialog.json', JSON.stringify({ type: 2, name: 'Huge', occupants_ids: Array.from({ length: 100_000 }, (_, n) => n + 1) })),
  },
  {
    name: 'occupants 1000',
    prepare: async (server, ctx) => json(server, ctx.token, 'POST', '/chat/Dialog.json', JSON.stringify({ type: 2, name: 'Full', occupants_ids: ctx.occupants })),
  },
  {
    name: 'pull 1000',
    prepare: async (server, ctx) => {
      const body = JSON.stringify({ pull_all: { occupants_ids: ctx.occupants } });
      const push = JSON.stringify({ push_all: { occupants_ids: ctx.occupants } });
      return async () => {
        const status = (await rawRequest(server.url, `/chat/Dialog/${ctx.dialogId}.json`, { method: 'PUT', token: ctx.token, body })).status;
        await rawRequest(server.url, `/chat/Dialog/${ctx.dialogId}.json`, { method: 'PUT', token: ctx.token, body: push });
        return status;
      };
    },
  },
  {
    name: 'users in 1000',
    prepare: async (server, ctx) => async () => (await rawRequest(server.url, `/users/v2.json?id[in]=${ctx.occupants.join(',')}&limit=100`, { token: ctx.token })).status,
  },
  {
    name: 'address book 10000',
    prepare: async (server, ctx) =>
      json(server, ctx.token, 'POST', '/address_book.json', JSON.stringify({ contacts: Array.from({ length: 10_000 }, (_, n) => ({ name: `Contact ${n}`, phone: `+1555${String(n).padStart(7, '0')}` })) })),
  },
  {
    name: 'message 64 KB',
    prepare: async (server, ctx) => json(server, ctx.token, 'POST', '/chat/Message.json', JSON.stringify({ chat_dialog_id: ctx.dialogId, message: 'x'.repeat(65_000) })),
  },
  {
    name: 'custom 64 KB deep',
    prepare: async (server, ctx) => {
      let nested: unknown = Array.from({ length: 100 }, (_, n) => ({ key: `value ${n} ${'y'.repeat(500)}` }));
      for (let depth = 0; depth < 28; depth += 1) nested = { level: nested };
      return json(server, ctx.token, 'POST', '/chat/Message.json', JSON.stringify({ chat_dialog_id: ctx.dialogId, message: 'deep', extra: nested }));
    },
  },
  {
    name: 'body 1 MB (422)',
    prepare: async (server, ctx) => json(server, ctx.token, 'PUT', `/users/${ctx.userId}.json`, JSON.stringify({ user: { custom_data: 'd'.repeat(1_000_000) } })),
  },
  {
    name: 'body 1 MB escaped (422)',
    prepare: async (server, ctx) => json(server, ctx.token, 'PUT', `/users/${ctx.userId}.json`, JSON.stringify({ user: { full_name: 'ok', custom_data: `${'z'.repeat(900_000)}\u0001` } })),
  },
];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { db: { type: 'string', default: 'sqlite' }, repeat: { type: 'string', default: '5' } } });
  const db = values.db as TestDatabaseKind;
  const repeat = Math.max(1, Number(values.repeat));
  const server = await startServer({ db, config: { bodyLimit: '2mb' } });
  try {
    const login = `bench${Date.now().toString(36)}`;
    const user = await server.server.services.users.signup(server.app.id, { login, password: 'bench-password' });
    const token = await sessionToken(server.url, server.app, { login, password: 'bench-password' });
    const occupants: number[] = [];
    for (let n = 0; n < 1000; n += 1) occupants.push((await server.server.services.users.createUser(server.app.id, { login: `${login}-${n}` }, false)).id);
    const created = await rawRequest(server.url, '/chat/Dialog.json', { method: 'POST', token, body: { type: 2, name: 'Bench', occupants_ids: occupants } });
    const ctx: Context = { token, userId: user.id, occupants, dialogId: (created.json as { _id: string })._id };

    const rows: { case: string; status: number; meanMs: number; loopP99Ms: number; loopMaxMs: number }[] = [];
    const histogram = monitorEventLoopDelay({ resolution: 1 });
    for (const benchCase of cases) {
      const run = await benchCase.prepare(server, ctx);
      await run(); // warm-up (statement caches, JIT)
      histogram.enable();
      histogram.reset();
      let status = 0;
      const started = performance.now();
      for (let n = 0; n < repeat; n += 1) status = await run();
      const meanMs = (performance.now() - started) / repeat;
      histogram.disable();
      rows.push({ case: benchCase.name, status, meanMs: round(meanMs), loopP99Ms: round(histogram.percentile(99) / 1e6), loopMaxMs: round(histogram.max / 1e6) });
      process.stderr.write(`${benchCase.name}: done\n`);
    }
    console.log(`event-loop bench (${db}, ${repeat} requests per case, server in-process)`);
    console.log(['case'.padEnd(26), 'status', 'mean ms'.padStart(9), 'loop p99'.padStart(9), 'loop max'.padStart(9)].join(' '));
    for (const row of rows) console.log([row.case.padEnd(26), String(row.status).padStart(6), String(row.meanMs).padStart(9), String(row.loopP99Ms).padStart(9), String(row.loopMaxMs).padStart(9)].join(' '));
    console.log(JSON.stringify({ bench: 'event-loop', db, repeat, rows }));
  } finally {
    await server.stop();
  }
}

const round = (value: number) => Math.round(value * 10) / 10;

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
