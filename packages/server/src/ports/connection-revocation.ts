/**
 * Credentials stopped being valid: live connections that rest on them must end at once and must not be
 * resumed. Domain services announce it; the real-time face closes what matches on this node.
 */
export interface ConnectionRevocation {
  appId: number;
  /** Every user of the app when absent (the app was deleted). */
  userId?: number;
  /**
   * Only connections that logged in with this session's token (a logout). Connections whose credential
   * is not known precisely (a SCRAM login, which cannot tell a token from the password) match too.
   */
  sessionId?: number;
  /** Only connections that logged in with the password (or possibly did: SCRAM), e.g. a password change. */
  passwordOnly?: boolean;
  reason: 'user-deleted' | 'password-changed' | 'logged-out' | 'app-deleted';
}

export interface ConnectionRevoker {
  /** Closes the matching connections and parked sessions; resolves with how many were closed. */
  revoke(event: ConnectionRevocation): Promise<number>;
}
