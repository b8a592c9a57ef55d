import fc from 'fast-check';
import { newObjectId } from '@parley/protocol';
import { databaseKinds, rawRequest, startServer, type TestServer } from '@parley/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, signedInUser, type SignedInUser } from './helpers.js';

/** Routes that serve pages for people (HTML), not the API. */
const HTML_PAGES = new Set(['/users/password/reset/confirm']);

/**
 * Property: for random query strings and JSON bodies on every REST route the server registered (read
 * from Fastify's route tree, admin routes included), the answer is never a 5xx, and every error is in
 * the contract's `{"errors": …}` shape. Bounded: a fixed number of requests per database.
 */
const RUNS = 150;
const ADMIN_TOKEN = 'property-admin-token';

interface Route {
  method: string;
  path: string;
}

/** `printRoutes()` draws a tree (`│   ├── /v2 (GET, HEAD)`); this rebuilds each full path with its methods. */
export function routesOf(tree: string): Route[] {
  const routes: Route[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+) \(([^)]+)\)/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    const path = (stack[depth - 1] ?? '') + match[2]!;
    stack[depth] = path;
    stack.length = depth + 1;
    for (const method of match[3]!.split(', ')) if (method !== 'HEAD' && method !== 'OPTIONS' && path !== '*') routes.push({ method, path });
  }
  return routes;
}

const KEYS = ['limit', 'skip', 'offset', 'page', 'per_page', 'sort_asc', 'sort_desc', 'count', '_id', 'id', 'login', 'type', 'name', 'occupants_ids',
  'chat_dialog_id', 'chat_dialog_ids', 'date_sent', 'updated_at', 'tags', 'force', 'mark_as_read', 'preview', 'search_text', 'order', 'filter', 'output',
  'user_id', 'created_at', '__proto__', 'constructor', 'toString', 'message', 'recipient_id', 'push_all', 'pull_all', 'extensions', 'user', 'blob', 'contacts', 'udid'];
const OPERATORS = ['', '[in]', '[nin]', '[gt]', '[lte]', '[ne]', '[all]', '[ctn]', '[start_with]', '[near]', '[calc]', '[]', '[0]', '[a][b]', '[__proto__]'];
const SPECIAL = ['', '1', '0', '-1', 'true', 'null', '1e309', '2100-01-01', 'a,b,c', '%', '\u0000', '__proto__', 'constructor', 'toString'];
// Weighted towards known parameter names and plain `key=value`, where most decoding happens.
const scalar = fc.oneof({ arbitrary: fc.constantFrom(...SPECIAL), weight: 2 }, fc.string({ maxLength: 30 }), fc.integer().map(String));
const queryText = fc
  .array(
    fc.tuple(
      fc.oneof({ arbitrary: fc.constantFrom(...KEYS), weight: 4 }, fc.string({ maxLength: 12 })),
      fc.oneof({ arbitrary: fc.constant(''), weight: 2 }, fc.constantFrom(...OPERATORS)),
      scalar,
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.map(([key, op, value]) => `${encodeURIComponent(key)}${op}=${encodeURIComponent(value)}`).join('&'));
const jsonBody = fc.oneof(
  fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 12 })), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 8 }),
  fc.jsonValue({ maxDepth: 2 }),
  fc.constant(undefined),
);

describe.each(databaseKinds)('security: random input on every REST route never gives a 5xx (%s)', (db) => {
  let server: TestServer;
  let user: SignedInUser;
  let params: Record<string, string[]>;
  let routes: Route[];
  beforeAll(async () => {
    server = await startServer({ db, config: { adminToken: ADMIN_TOKEN } });
    user = await signedInUser(server);
    const peer = await signedInUser(server);
    const dialog = ((await api(server, user, 'POST', '/chat/Dialog.json', { type: 2, name: 'Fuzzed', occupants_ids: [peer.id] })).json as { _id: string })._id;
    const message = ((await api(server, user, 'POST', '/chat/Message.json', { chat_dialog_id: dialog, message: 'hello' })).json as { _id: string })._id;
    const blob = ((await api(server, user, 'POST', '/blobs.json', { blob: { name: 'f.txt', content_type: 'text/plain' } })).json as { blob: { id: number; uid: string } }).blob;
    await rawRequest(server.url, `/admin/apps/${server.app.id}/data/classes.json`, {
      method: 'POST', headers: { Authorization: `Bearer ${ADMIN_TOKEN}` }, body: { name: 'Note', fields: [{ name: 'title', type: 'String' }, { name: 'n', type: 'Integer' }] },
    });
    const values = ['0', '-1', 'x', '%25', newObjectId(), '1,2,3', '99999999999999999999', '\u0000', 'a\u0001b', '__proto__'];
    params = {
      id: [String(user.id), String(peer.id), dialog, message, String(blob.id), ...values],
      ids: [message, `${message},${newObjectId()}`, ...values],
      ref: [String(blob.id), blob.uid, ...values],
      value: ['1', ...values],
      className: ['Note', 'Missing', ...values],
      appId: [String(server.app.id), ...values],
      name: ['Note', ...values],
    };
    routes = routesOf(server.server.http.printRoutes({ commonPrefix: false }));
  });
  afterAll(() => server?.stop());

  /** A request that does not end the shared user's session or account (those run with a throwaway guest). */
  const destructive = (route: Route) =>
    (route.method === 'DELETE' && (route.path === '/session' || route.path === '/login' || route.path === '/users/:id')) || (route.method === 'POST' && route.path === '/login');

  async function guestToken(): Promise<string> {
    const created = await rawRequest(server.url, '/session.json', { method: 'POST', body: { application_id: server.app.id, auth_key: server.app.authKey, user: { guest: 1 } } });
    return (created.json as { session: { token: string } }).session.token;
  }

  it('finds the routes to exercise', () => {
    expect(routes.length).toBeGreaterThan(50);
    expect(routes).toContainEqual({ method: 'POST', path: '/chat/Dialog' });
  });

  it('answers every random request with something other than a 5xx, errors in the contract shape', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 100 }),
        queryText,
        jsonBody,
        fc.constantFrom('user', 'user', 'user', 'none', 'admin'),
        async (routePick, paramPick, query, body, auth) => {
          const route = routes[routePick % routes.length]!;
          const path = route.path
            .replace(/:ids\|:id/, ':ids')
            .replace(/:(\w+)/g, (_, name: string) => {
              const options = params[name] ?? ['x'];
              return encodeURIComponent(options[paramPick % options.length]!);
            });
          const token = auth === 'user' ? (destructive(route) ? await guestToken() : user.token) : undefined;
          const headers: Record<string, string> = auth === 'admin' ? { Authorization: `Bearer ${ADMIN_TOKEN}` } : {};
          const url = `${path}.json${query === '' ? '' : `?${query}`}`;
          const answer = await rawRequest(server.url, url, { method: route.method, headers, ...(token ? { token } : {}), ...(body !== undefined && route.method !== 'GET' ? { body } : {}) });
          expect(answer.status, `${route.method} ${url} ${JSON.stringify(body)} → ${answer.text.slice(0, 300)}`).toBeLessThan(500);
          // Pages for people (the password reset form) answer in HTML; every API route in the contract's shape.
          if (answer.status >= 400 && !HTML_PAGES.has(route.path)) expect(answer.json, `${route.method} ${url}`).toMatchObject({ errors: expect.anything() });
        },
      ),
      { numRuns: RUNS },
    );
  }, 120_000);
});
