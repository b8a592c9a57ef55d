import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ConnectyCube from '@parley/sdk';
import { startServer, type TestServer } from '@parley/testkit';

/**
 * The seed's "Send first chat message" and "Make first call" Steps 1–2, verbatim except for the
 * endpoints an app points at its Parley server (the one change the brief allows).
 */
describe('seed: configure the SDK and create an authorised user (@parley/sdk)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.stop());

  it('runs Step 1 (init) and Step 2 (createSession creates the user on the fly)', async () => {
    // Step 1: Initialize SDK (SDK v4 form), plus the endpoints of this Parley server.
    const CREDENTIALS = { appId: server.app.id, authKey: server.app.authKey };
    ConnectyCube.init(CREDENTIALS, { endpoints: { api_url: server.url, chat: 'localhost' } });

    // Step 2: Create and Authorise User.
    let created: { user_id: number | null; user?: { login: string | null } } | undefined;
    let failure: unknown;
    const userCredentials = { login: "marvin18", password: "supersecurepwd" };
    await ConnectyCube.createSession(userCredentials)
      .then((session) => {
        created = session;
      })
      .catch((error) => {
        failure = error;
      });

    expect(failure).toBeUndefined();
    expect(created?.user_id).toEqual(expect.any(Number));
    expect(created?.user?.login).toBe('marvin18');
    // The SDK now holds the token the chat step uses as password.
    expect((await ConnectyCube.getSession()).user_id).toBe(created?.user_id);
  });

  it('runs the SDK v3 init form (with authSecret) the same way', async () => {
    const CREDENTIALS = { appId: server.app.id, authKey: server.app.authKey, authSecret: server.app.authSecret };
    ConnectyCube.init(CREDENTIALS, { endpoints: { api_url: server.url, chat: 'localhost' } });
    const session = await ConnectyCube.createSession({ login: "marvin18", password: "supersecurepwd" });
    expect(session.user?.login).toBe('marvin18');
  });
});
