import { randomBytes } from 'node:crypto';

/** Random per process, so ids of different nodes (and restarts) do not collide. */
const PROCESS_PREFIX = randomBytes(6).toString('hex');
let counter = 0;

/**
 * A connection id unique on this node (and, by its random prefix, across nodes): hex, 16+ characters.
 * A counter instead of fresh random bytes per connection: the id names a connection in logs and the
 * presence directory and grants nothing, so it need not be unguessable.
 */
export function nextConnectionId(): string {
  counter = (counter + 1) % 0x100000000;
  return `${PROCESS_PREFIX}${counter.toString(16).padStart(8, '0')}`;
}
