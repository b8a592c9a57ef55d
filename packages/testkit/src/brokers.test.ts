import net from 'node:net';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { probe, provideTestNats, provideTestRedis, startThrowawayNats, startThrowawayRedis, type ThrowawayBroker } from './brokers.js';

/** Sends one line and resolves with the first reply line. */
function ask(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write(line));
    let received = '';
    socket.setTimeout(5_000, () => socket.destroy(new Error('timeout')));
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString();
      if (received.includes('\r\n')) {
        socket.destroy();
        resolve(received.slice(0, received.indexOf('\r\n')));
      }
    });
  });
}

describe.each([
  ['redis', startThrowawayRedis, provideTestRedis, /^redis:\/\/127\.0\.0\.1:\d+$/],
  ['nats', startThrowawayNats, provideTestNats, /^nats:\/\/127\.0\.0\.1:\d+$/],
] as const)('testkit %s', (kind, startThrowaway, provide, urlShape) => {
  it('starts a throwaway server that answers, survives a crash restart on its port, and stops without leftovers', async () => {
    const broker: ThrowawayBroker = await startThrowaway();
    let stopped = false;
    try {
      expect(broker.url).toMatch(urlShape);
      expect(await probe(kind, broker.port)).toBe(true);
      if (kind === 'redis') expect(await ask(broker.port, 'SET k v\r\n')).toBe('+OK');
      await broker.restart();
      expect(await probe(kind, broker.port)).toBe(true);
      // Redis runs without persistence: a crashed server comes back empty.
      if (kind === 'redis') expect(await ask(broker.port, 'GET k\r\n')).toBe('$-1');
      await broker.stop();
      stopped = true;
      expect(await probe(kind, broker.port)).toBe(false);
      expect(existsSync(broker.dir)).toBe(false);
    } finally {
      if (!stopped) await broker.stop();
    }
  }, 30_000);

  it('provides one shared server per process', async () => {
    const first = await provide();
    const second = await provide();
    try {
      expect(second.url).toBe(first.url);
      expect(await probe(kind, Number(new URL(first.url).port))).toBe(true);
    } finally {
      await second.stop();
      await first.stop();
    }
  }, 30_000);

  it('starts a throwaway server when told to (PARLEY_TEST_THROWAWAY_BROKERS=1) and stops it with the last handle', async () => {
    const saved = { force: process.env['PARLEY_TEST_THROWAWAY_BROKERS'], url: process.env[`PARLEY_TEST_${kind.toUpperCase()}_URL`] };
    process.env['PARLEY_TEST_THROWAWAY_BROKERS'] = '1';
    delete process.env[`PARLEY_TEST_${kind.toUpperCase()}_URL`];
    try {
      const broker = await provide();
      const port = Number(new URL(broker.url).port);
      expect(port).not.toBe(kind === 'redis' ? 6379 : 4222);
      expect(await probe(kind, port)).toBe(true);
      await broker.stop();
      expect(await probe(kind, port)).toBe(false);
    } finally {
      for (const [name, value] of [['PARLEY_TEST_THROWAWAY_BROKERS', saved.force], [`PARLEY_TEST_${kind.toUpperCase()}_URL`, saved.url]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  }, 30_000);
});
