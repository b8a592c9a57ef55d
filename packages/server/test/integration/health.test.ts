import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, startServer, type TestServer } from '@parley/testkit';

describe('health when the store does not answer', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.stop());

  it('answers 503 with the store error', async () => {
    expect((await rawRequest(server.url, '/health')).status).toBe(200);
    await server.server.store.close();
    const response = await rawRequest(server.url, '/health');
    expect(response.status).toBe(503);
    expect(response.json).toMatchObject({ status: 'unavailable', store: { kind: 'sqlite', ok: false } });
  });
});
