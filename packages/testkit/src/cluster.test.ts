import { describe, expect, it } from 'vitest';
import { startCluster } from './cluster.js';

describe.each(['redis', 'nats'] as const)('startCluster on %s', (bus) => {
  it('starts nodes on one database and one bus, each with its own node id, sharing the app', async () => {
    const cluster = await startCluster({ bus, nodes: 2 });
    try {
      const [a, b] = cluster.nodes;
      expect(a!.server.nodeId).not.toBe(b!.server.nodeId);
      expect(a!.server.bus.kind).toBe(bus);
      expect(b!.app).toEqual(cluster.app);
      // A user signed up on one node logs in on the other: one database.
      const user = await a!.server.services.users.signup(cluster.app.id, { login: `cl${Date.now().toString(36)}`, password: 'secret-pwd' });
      expect((await b!.server.store.users.findById(cluster.app.id, user.id))?.id).toBe(user.id);
    } finally {
      await cluster.stop();
    }
  });
});
