import type { ClusterPresence } from '../../ports/presence.js';

/**
 * Presence of one node without a bus (CLI commands, unit tests), held in memory (per application:
 * user id → live connection id → inactive). It sees no other node.
 */
export function createMemoryPresence(nodeId = 'local'): ClusterPresence {
  const apps = new Map<number, Map<number, Map<string, boolean>>>();
  return {
    nodeId,
    remoteConnections: () => [],
    liveNodes: () => [],
    describeWith: () => undefined,
    detailsChanged: async () => undefined,
    onOnlineChange: () => undefined,
    stop: async () => undefined,
    async connected(appId, userId, connectionId) {
      let users = apps.get(appId);
      if (!users) apps.set(appId, (users = new Map()));
      let connections = users.get(userId);
      if (!connections) users.set(userId, (connections = new Map()));
      connections.set(connectionId, false);
    },
    async disconnected(appId, userId, connectionId) {
      const users = apps.get(appId);
      const connections = users?.get(userId);
      if (!users || !connections) return;
      connections.delete(connectionId);
      if (connections.size === 0) users.delete(userId);
      if (users.size === 0) apps.delete(appId);
    },
    async onlineUserIds(appId, limit, offset) {
      const ids = [...(apps.get(appId)?.keys() ?? [])].sort((a, b) => a - b);
      return ids.slice(offset, offset + limit);
    },
    async onlineCount(appId) {
      return apps.get(appId)?.size ?? 0;
    },
    async isOnline(appId, userId) {
      return apps.get(appId)?.has(userId) ?? false;
    },
    async setInactive(appId, userId, connectionId, inactive) {
      const connections = apps.get(appId)?.get(userId);
      if (connections?.has(connectionId)) connections.set(connectionId, inactive);
    },
    async activeUserIds(appId, userIds) {
      const users = apps.get(appId);
      const active = new Set<number>();
      if (!users) return active;
      for (const userId of userIds) {
        const connections = users.get(userId);
        if (connections && [...connections.values()].some((inactive) => !inactive)) active.add(userId);
      }
      return active;
    },
  };
}
