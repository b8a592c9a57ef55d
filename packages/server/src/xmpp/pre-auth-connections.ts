import type { ClientSession } from './session.js';

/**
 * Connections of each client address that have not logged in yet. A session leaves its address's set
 * once it is authenticated or closed (checked when the address connects again and when one of its
 * connections closes), so the count is exact whenever it is consulted and no set outlives its address.
 */
export class PreAuthConnections {
  private readonly byAddress = new Map<string, Set<ClientSession>>();

  constructor(private readonly limit: number) {}

  /** Counts the new session against its address; false (not counted) when the address is at the limit. */
  admit(address: string, session: ClientSession): boolean {
    const pending = this.pendingOf(address);
    if (pending.size >= this.limit) return false;
    pending.add(session);
    this.byAddress.set(address, pending);
    return true;
  }

  /** How many connections of the address are open and not logged in (drops the others). */
  count(address: string): number {
    return this.pendingOf(address).size;
  }

  /** A connection of the address closed or logged in: forget what no longer counts. */
  prune(address: string): void {
    this.pendingOf(address);
  }

  private pendingOf(address: string): Set<ClientSession> {
    const pending = this.byAddress.get(address) ?? new Set<ClientSession>();
    for (const session of pending) if (session.authenticated || session.closed) pending.delete(session);
    if (pending.size === 0) this.byAddress.delete(address);
    return pending;
  }
}
