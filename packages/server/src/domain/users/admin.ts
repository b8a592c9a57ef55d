import type { UserFields } from '@parley/protocol';
import { UniqueViolation, type Store, type UserChange, type UserCondition, type UserPage, type UserRecord } from '../../ports/store.js';
import type { Clock } from '../shared/actor.js';
import { DomainFailure } from '../shared/failure.js';
import { parseProfileFields, throwIfErrors, validatePassword } from './profile.js';
import type { UserService } from './service.js';

export interface UserSearch {
  /** Substring of the login, email or full name (AND-ed when several are given). */
  login?: string;
  email?: string;
  fullName?: string;
  limit: number;
  offset: number;
}

const notFound = () => new DomainFailure('NOT_FOUND', { message: 'User not found' });

/**
 * What an operator may do to any user of an application (admin API, CLI): unlike the REST face, no
 * `old_password` and no "own account only". Every change is validated in full before anything is written.
 */
export class UserAdministration {
  constructor(
    private readonly store: Pick<Store, 'sessions' | 'users'>,
    private readonly users: UserService,
    private readonly clock: Clock,
    private readonly options: { passwordMinLength: number },
  ) {}

  search(appId: number, search: UserSearch): Promise<UserPage> {
    const conditions: UserCondition[] = [];
    if (search.login) conditions.push({ field: 'login', op: 'contains', value: search.login });
    if (search.email) conditions.push({ field: 'email', op: 'contains', value: search.email });
    if (search.fullName) conditions.push({ field: 'full_name', op: 'contains', value: search.fullName });
    return this.store.users.query(appId, { conditions, sort: { field: 'id', direction: 'asc' }, limit: search.limit, offset: search.offset });
  }

  /** Profile fields as in `PUT /users/{id}`; `password` is refused here (use `setPassword`). */
  async update(appId: number, userId: number, body: Record<string, unknown>): Promise<UserRecord> {
    const current = await this.users.get(appId, userId);
    if ('password' in body || 'old_password' in body) {
      throw new DomainFailure('VALIDATION_FAILED', { fields: { password: ['change passwords with the password operation'] } });
    }
    const { change, errors } = parseProfileFields(body as UserFields);
    if (Object.keys(change).length === 0 && Object.keys(errors).length === 0) (errors.base ??= []).push('name at least one field to change');
    if ('login' in change && change.login === null && (change.email ?? current.email) === null) (errors.base ??= []).push('login or email required');
    throwIfErrors(errors);
    return this.write(appId, userId, { ...change, updatedAt: this.clock() });
  }

  /** Sets a new password (keeps the SCRAM salt) and ends the user's sessions, so old tokens stop working. */
  async setPassword(appId: number, userId: number, password: unknown): Promise<UserRecord> {
    const current = await this.users.get(appId, userId);
    const errors: Record<string, string[]> = {};
    if (typeof password !== 'string') errors.password = ['cannot be blank'];
    else validatePassword(password, this.options.passwordMinLength, errors);
    throwIfErrors(errors);
    const credentials = await this.users.credentialsFor(password as string, current.scram);
    const updated = await this.write(appId, userId, { ...credentials, updatedAt: this.clock() });
    await this.endSessions(appId, userId);
    return updated;
  }

  /** Blocks (no new sessions or logins; current sessions end) or unblocks a user. */
  async setBlocked(appId: number, userId: number, blocked: boolean): Promise<UserRecord> {
    await this.users.get(appId, userId);
    const updated = await this.write(appId, userId, { blockedAt: blocked ? this.clock() : null, updatedAt: this.clock() });
    if (blocked) await this.endSessions(appId, userId);
    return updated;
  }

  async remove(appId: number, userId: number): Promise<void> {
    if (!(await this.store.users.delete(appId, userId))) throw notFound();
  }

  private async endSessions(appId: number, userId: number): Promise<void> {
    for (;;) {
      const sessions = await this.store.sessions.listActive(appId, { userId, now: 0, limit: 500, offset: 0 });
      if (sessions.length === 0) return;
      for (const session of sessions) await this.store.sessions.delete(appId, session.id);
    }
  }

  private async write(appId: number, userId: number, change: UserChange): Promise<UserRecord> {
    try {
      const updated = await this.store.users.update(appId, userId, change);
      if (!updated) throw notFound();
      return updated;
    } catch (error) {
      if (!(error instanceof UniqueViolation)) throw error;
      throw new DomainFailure('VALIDATION_FAILED', { fields: { [error.field === 'unknown' ? 'base' : error.field]: ['has already been taken.'] } });
    }
  }
}
