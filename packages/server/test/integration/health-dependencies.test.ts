import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provideTestNats, rawRequest, startServer, startTestS3, startThrowawayRedis, type TestBroker, type TestS3, type TestServer, type ThrowawayBroker } from '@parley/testkit';

/** /health names each dependency (store, bus, blobs) and answers 503 when any of them is away. */
describe('health of each dependency', () => {
  it('on one node: SQLite, the in-process bus and disk blobs, with the node id', async () => {
    const server = await startServer({ config: { nodeId: 'node-one' } });
    try {
      const response = await rawRequest(server.url, '/health');
      expect(response.status).toBe(200);
      expect(response.json).toEqual({
        status: 'ok',
        node: 'node-one',
        store: { kind: 'sqlite', ok: true },
        bus: { kind: 'local', ok: true },
        blobs: { kind: 'disk', ok: true },
        uptimeSeconds: expect.any(Number),
      });
    } finally {
      await server.stop();
    }
  });

  it('makes up a node id unique per process when none is configured', async () => {
    const [a, b] = [await startServer(), await startServer()];
    try {
      expect(a.server.nodeId).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
      expect(a.server.nodeId).not.toBe(b.server.nodeId);
      expect((await rawRequest(a.url, '/health')).json).toMatchObject({ node: a.server.nodeId });
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('refuses SQLite with a bus before starting anything', async () => {
    await expect(startServer({ config: { busUrl: 'redis://127.0.0.1:6379' } })).rejects.toThrow(
      'PARLEY_BUS_URL is set but the database is the embedded SQLite, which one node alone can use: set PARLEY_DATABASE_URL=postgres://… for a cluster, or unset PARLEY_BUS_URL to run a single node',
    );
  });

  it('does not start when the bus cannot be reached, and says where it looked', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    await expect(startServer({ db: 'postgres', config: { busUrl: `redis://127.0.0.1:${closedPort}` } })).rejects.toThrow(`cannot reach Redis at redis://127.0.0.1:${closedPort}`);
    await expect(startServer({ db: 'postgres', config: { busUrl: `nats://127.0.0.1:${closedPort}` } })).rejects.toThrow(`cannot reach NATS at nats://127.0.0.1:${closedPort}`);
  }, 30_000);

  describe('on PostgreSQL with Redis and S3', () => {
    let redis: ThrowawayBroker;
    let s3: TestS3;
    let server: TestServer;
    beforeAll(async () => {
      [redis, s3] = await Promise.all([startThrowawayRedis(), startTestS3()]);
      server = await startServer({ db: 'postgres', config: { busUrl: redis.url, ...s3.serverConfig } });
    }, 30_000);
    afterAll(async () => {
      await server?.stop();
      await Promise.all([redis?.stop(), s3?.stop()]);
    });

    it('reports each one, then 503 naming the one that went away', async () => {
      const healthy = await rawRequest(server.url, '/health');
      expect(healthy.status).toBe(200);
      expect(healthy.json).toMatchObject({ status: 'ok', store: { kind: 'postgres', ok: true }, bus: { kind: 'redis', ok: true }, blobs: { kind: 's3', ok: true } });
      await redis.stop();
      const busDown = await rawRequest(server.url, '/health');
      expect(busDown.status).toBe(503);
      expect(busDown.json).toMatchObject({ status: 'unavailable', store: { ok: true }, bus: { kind: 'redis', ok: false, error: expect.any(String) }, blobs: { ok: true } });
      await s3.stop();
      const blobsDown = await rawRequest(server.url, '/health');
      expect(blobsDown.status).toBe(503);
      expect(blobsDown.json).toMatchObject({ blobs: { kind: 's3', ok: false } });
    }, 30_000);
  });

  it('on PostgreSQL with NATS', async () => {
    const nats: TestBroker = await provideTestNats();
    const server = await startServer({ db: 'postgres', config: { busUrl: nats.url } });
    try {
      const response = await rawRequest(server.url, '/health');
      expect(response.status).toBe(200);
      expect(response.json).toMatchObject({ status: 'ok', bus: { kind: 'nats', ok: true }, blobs: { kind: 'disk', ok: true } });
      expect(server.server.bus.nodeId).toBe(server.server.nodeId);
    } finally {
      await server.stop();
      await nats.stop();
    }
  }, 30_000);
});
