// The session one client instance holds: the token every request sends, and the current user
// id that user routes (`PUT /users/{id}`) need. One object per instance, never shared.
import type { Session } from './types.js';

export class SessionState {
  /** Partial because `init({appId, token})` starts from a bare token. */
  session: Partial<Session> | null = null;
  currentUserId: number | undefined = undefined;

  get token(): string | undefined {
    return this.session?.token || undefined;
  }

  /** As in the official SDK, a session without a user keeps the user id already known. */
  set(session: Partial<Session> | null): void {
    this.session = session;
    if (session?.user_id) this.currentUserId = session.user_id;
  }

  setCurrentUserId(userId: number | null | undefined): void {
    this.currentUserId = userId || undefined;
  }

  clear(): void {
    this.session = null;
    this.currentUserId = undefined;
  }
}
