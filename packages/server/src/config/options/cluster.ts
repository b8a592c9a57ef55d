import type { OptionDefinition } from '../option.js';

/** Several nodes: their names, the bus between them and how long their leases last. */
export const clusterOptions = {
  nodeId: {
    env: 'PARLEY_NODE_ID',
    flag: '--node-id',
    type: { kind: 'string', allowEmpty: true },
    default: '',
    description: 'Name of this node in a cluster (letters, digits, - and _, at most 64); empty = hostname-pid-random, unique per process.',
  },
  busUrl: {
    env: 'PARLEY_BUS_URL',
    flag: '--bus-url',
    type: { kind: 'string', allowEmpty: true },
    default: '',
    description: 'Empty = the in-process bus (one node); redis://host:6379 or nats://host:4222 = the cluster bus between nodes. Needs PostgreSQL (PARLEY_DATABASE_URL).',
  },
  clusterLease: {
    env: 'PARLEY_CLUSTER_LEASE',
    flag: '--cluster-lease',
    type: { kind: 'duration', minSeconds: 1, maxSeconds: 3600 },
    default: '20s',
    description: 'How long the other nodes of a cluster trust this node\'s session leases without a refresh (refreshed every third of it): when a node dies, its users show offline and its room occupants leave within about this time.',
  },
} as const satisfies Record<string, OptionDefinition>;
