import { databaseKinds, isFeatures, rawRequest, startServer, xml, type RawXmppClient, type TestServer } from '@parley/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XmppFixture } from '../integration/xmpp-helpers.js';

/**
 * Finding 2: login attempts are counted before the password check, so attempts sent in parallel cannot
 * all slip past the limit; REST and XMPP share one counter per app, user and client address.
 */
const SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';
const LIMIT = 5;

async function plainOutcome(client: RawXmppClient, domain: string, user: { id: number; appId: number }, password: string): Promise<string> {
  client.open(domain);
  await client.next(isFeatures);
  client.send(xml('auth', { xmlns: SASL, mechanism: 'PLAIN' }, Buffer.from(`\0${user.id}-${user.appId}\0${password}`).toString('base64')));
  const outcome = await client.next((e) => e.attrs.xmlns === SASL && (e.name === 'failure' || e.name === 'success'), 15_000);
  return outcome.name === 'success' ? 'success' : (outcome.getChildElements()[0]?.name ?? '');
}

const tally = (values: (string | number)[]) => values.reduce<Record<string, number>>((counts, value) => ({ ...counts, [value]: (counts[value] ?? 0) + 1 }), {});

describe.each(databaseKinds)('security: login throttling holds under parallel attempts (%s)', (db) => {
  let server: TestServer;
  const fixture = new XmppFixture(() => server);
  beforeAll(async () => {
    server = await startServer({ db, config: { chatDomain: 'chat.test', loginMaxFailures: String(LIMIT), loginFailureWindow: '10m' } });
  });
  afterAll(async () => {
    await fixture.close();
    await server?.stop();
  });

  const createSession = (login: string, password: string) =>
    rawRequest(server.url, '/session.json', { method: 'POST', body: { application_id: server.app.id, auth_key: server.app.authKey, user: { login, password } } });

  it('REST: 40 parallel wrong passwords get at most the limit of 401s, the rest 429', async () => {
    const user = await fixture.newUser();
    const statuses = (await Promise.all(Array.from({ length: 40 }, () => createSession(user.login, 'wrong-password')))).map((r) => r.status);
    expect(tally(statuses)).toEqual({ 401: LIMIT, 429: 40 - LIMIT });
    expect((await createSession(user.login, user.password)).status).toBe(429);
  });

  it('XMPP SASL: 20 parallel wrong passwords get at most the limit of not-authorized, the rest temporary-auth-failure', async () => {
    const user = await fixture.newUser();
    const clients = await Promise.all(Array.from({ length: 20 }, () => fixture.websocket()));
    const outcomes = await Promise.all(clients.map((client) => plainOutcome(client, server.chatDomain, user, 'wrong-password')));
    expect(tally(outcomes)).toEqual({ 'not-authorized': LIMIT, 'temporary-auth-failure': 20 - LIMIT });
  });

  it('REST and XMPP share the counter of one user and address', async () => {
    const user = await fixture.newUser();
    for (let n = 0; n < LIMIT; n += 1) expect((await createSession(user.login, 'wrong-password')).status).toBe(401);
    expect(await plainOutcome(await fixture.websocket(), server.chatDomain, user, user.password)).toBe('temporary-auth-failure');

    const other = await fixture.newUser();
    for (let n = 0; n < LIMIT; n += 1) expect(await plainOutcome(await fixture.websocket(), server.chatDomain, other, 'wrong-password')).toBe('not-authorized');
    expect((await createSession(other.login, other.password)).status).toBe(429);
  });

  it('successful logins are never throttled, in parallel either', async () => {
    const user = await fixture.newUser();
    const statuses = (await Promise.all(Array.from({ length: 3 * LIMIT }, () => createSession(user.login, user.password)))).map((r) => r.status);
    expect(statuses.filter((status) => status === 201).length).toBeGreaterThanOrEqual(LIMIT);
    expect(statuses.every((status) => status === 201 || status === 429)).toBe(true);
  });
});
