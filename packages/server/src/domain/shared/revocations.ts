import type { ConnectionRevocation, ConnectionRevoker } from '../../ports/connection-revocation.js';

/**
 * Where revocations go: the real-time face attaches itself when it starts; without one (CLI commands,
 * another process) nothing is connected here, so nothing is closed. Whoever deletes an app (admin API)
 * calls `revoke({ appId, reason: 'app-deleted' })`.
 */
export class RevocationRelay implements ConnectionRevoker {
  private target: ConnectionRevoker | undefined;

  attach(target: ConnectionRevoker | undefined): void {
    this.target = target;
  }

  async revoke(event: ConnectionRevocation): Promise<number> {
    return this.target ? this.target.revoke(event) : 0;
  }
}
