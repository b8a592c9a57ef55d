import { ignoreJoinedUsers, type UserJoinedListener } from '../../ports/push-hooks.js';
import { toInteger, type UserEnvelope, type UserFields } from '@parley/protocol';
import type { ConnectionRevoker } from '../../ports/connection-revocation.js';
import type { AppRecord, ScramKeys, Store, UserChange, UserCondition, UserField, UserPage, UserQuery, UserRecord } from '../../ports/store.js';
import { UniqueViolation } from '../../ports/store.js';
import type { Actor, Clock } from '../shared/actor.js';
import { DomainFailure } from '../shared/failure.js';
import { hashPassword, scramSha1Keys, verifyPassword } from './passwords.js';
import { parseProfileFields, throwIfErrors, validatePassword } from './profile.js';
import { parseUsersV1List, parseV1Page, type V1Page } from './query-v1.js';
import { parseUsersV2Query } from './query-v2.js';

export interface UserServiceOptions {
  passwordHashCost: number;
  passwordMinLength: number;
}

/** The single-user V1 lookups and the field each one matches exactly. */
export const v1LookupFields = {
  login: 'login',
  email: 'email',
  facebook_id: 'facebook_id',
  twitter_id: 'twitter_id',
  phone: 'phone',
} as const satisfies Record<string, UserField>;
/** `external` matches `external_user_id` (integer values) or `external_id`. */
export type V1LookupKind = keyof typeof v1LookupFields | 'external';

export class UserService {
  constructor(
    private readonly store: Pick<Store, 'users'>,
    private readonly clock: Clock,
    private readonly options: UserServiceOptions,
    /** Live connections of a deleted user, or that logged in with a password since changed, end at once. */
    private readonly revocations?: ConnectionRevoker,
    /** "Contact joined" pushes (the push domain), told after each new user is stored. */
    private readonly joined: UserJoinedListener = ignoreJoinedUsers,
  ) {}

  /**
   * Password hash plus SCRAM keys for a new password, computed in parallel. A password change keeps the
   * user's SCRAM salt, so session tokens keyed with it stay usable over SCRAM (realtime.md §4.4).
   */
  async credentialsFor(password: string, keep?: ScramKeys | null): Promise<Pick<UserRecord, 'passwordHash' | 'scram'>> {
    const [passwordHash, scram] = await Promise.all([
      hashPassword(password, this.options.passwordHashCost),
      keep ? scramSha1Keys(password, Buffer.from(keep.salt, 'base64'), keep.iterations) : scramSha1Keys(password),
    ]);
    return { passwordHash, scram };
  }

  async signup(appId: number, fields: UserFields): Promise<UserRecord> {
    const { change, errors } = parseProfileFields(fields);
    if (!change.login && !change.email) (errors.base ??= []).push('login or email required');
    validatePassword(fields.password, this.options.passwordMinLength, errors);
    throwIfErrors(errors);
    return this.createUser(appId, { ...change, ...(await this.credentialsFor(fields.password ?? '')) }, false);
  }

  /** Inserts a user; a taken login or email becomes the contract's 422. */
  async createUser(appId: number, fields: Partial<UserRecord>, isGuest: boolean): Promise<UserRecord> {
    const now = this.clock();
    try {
      const user = await this.store.users.create(appId, {
        login: null, email: null, fullName: null, phone: null, website: null, customData: null, avatar: null,
        blobId: null, externalUserId: null, externalId: null, facebookId: null, twitterId: null, timezone: null,
        tags: [], passwordHash: null, scram: null,
        ...fields,
        isGuest,
        createdAt: now,
        updatedAt: now,
        lastRequestAt: null,
      });
      if (!isGuest) this.joined.userJoined(appId, user);
      return user;
    } catch (error) {
      throw uniqueFailure(error);
    }
  }

  async get(appId: number, userId: number): Promise<UserRecord> {
    const user = await this.store.users.findById(appId, userId);
    if (!user) throw new DomainFailure('NOT_FOUND', { message: 'User not found' });
    return user;
  }

  async listV2(app: AppRecord, params: Record<string, unknown>): Promise<{ query: UserQuery; page: UserPage }> {
    const query = parseUsersV2Query(params, { relaxedStartWith: app.settings.relaxedStartWith });
    return { query, page: await this.store.users.query(app.id, query) };
  }

  async listV1(app: AppRecord, params: Record<string, unknown>): Promise<{ page: V1Page; result: UserPage }> {
    ensureV1(app);
    const { query, page } = parseUsersV1List(params);
    return { page, result: await this.store.users.query(app.id, query) };
  }

  async lookupV1(app: AppRecord, kind: V1LookupKind, value: unknown): Promise<UserRecord> {
    ensureV1(app);
    if (typeof value !== 'string' || value === '') {
      throw new DomainFailure('VALIDATION_FAILED', { fields: { [kind]: ['cannot be blank'] } });
    }
    const user = await this.findOneBy(app.id, kind, value);
    if (!user) throw new DomainFailure('NOT_FOUND', { message: 'User not found' });
    return user;
  }

  private async findOneBy(appId: number, kind: V1LookupKind, value: string): Promise<UserRecord | undefined> {
    if (kind === 'login') return this.store.users.findByLogin(appId, value);
    if (kind === 'email') return this.store.users.findByEmail(appId, value);
    const externalUserId = toInteger(value);
    const condition: UserCondition =
      kind !== 'external'
        ? { field: v1LookupFields[kind], op: 'eq', value }
        : externalUserId !== undefined
          ? { field: 'external_user_id', op: 'eq', value: externalUserId }
          : { field: 'external_id', op: 'eq', value };
    const { users } = await this.store.users.query(appId, { conditions: [condition], limit: 1, offset: 0 });
    if (users[0] || kind !== 'external' || externalUserId === undefined) return users[0];
    return (await this.store.users.query(appId, { conditions: [{ field: 'external_id', op: 'eq', value }], limit: 1, offset: 0 })).users[0];
  }

  async getV1(app: AppRecord, userId: number): Promise<UserRecord> {
    ensureV1(app);
    return this.get(app.id, userId);
  }

  /** `by_full_name` (substring match) and `by_tags` (any tag), V1 page envelopes. */
  async searchV1(app: AppRecord, by: 'full_name' | 'tags', params: Record<string, unknown>): Promise<{ page: V1Page; result: UserPage }> {
    ensureV1(app);
    const page = parseV1Page(params);
    const window = { limit: page.perPage, offset: (page.page - 1) * page.perPage };
    if (by === 'full_name') {
      if (typeof params.full_name !== 'string' || params.full_name === '') {
        throw new DomainFailure('VALIDATION_FAILED', { fields: { full_name: ['cannot be blank'] } });
      }
      const query: UserQuery = { conditions: [{ field: 'full_name', op: 'contains', value: params.full_name }], ...window };
      return { page, result: await this.store.users.query(app.id, query) };
    }
    const tags = [params.tags].flat().flatMap((t) => (typeof t === 'string' ? t.split(',') : [])).map((t) => t.trim()).filter(Boolean);
    if (tags.length === 0) throw new DomainFailure('VALIDATION_FAILED', { fields: { tags: ['cannot be blank'] } });
    return { page, result: await this.store.users.query(app.id, { conditions: [{ field: 'tags', op: 'hasAny', values: tags }], ...window }) };
  }

  /** Updates the caller's own account; a new password needs the right `old_password`. */
  async update(actor: Actor, targetId: number | undefined, body: UserEnvelope['user']): Promise<UserRecord> {
    const userId = this.ownAccount(actor, targetId);
    const current = await this.get(actor.appId, userId);
    const { change, errors } = parseProfileFields(body);
    const update: UserChange = { ...change, updatedAt: this.clock() };
    if (body.password !== undefined) {
      validatePassword(body.password, this.options.passwordMinLength, errors);
      const oldMatches =
        body.old_password !== undefined && current.passwordHash !== null && (await verifyPassword(body.old_password, current.passwordHash));
      if (!oldMatches) (errors.old_password ??= []).push('is incorrect');
    }
    if ('login' in change && change.login === null && (change.email ?? current.email) === null) {
      (errors.base ??= []).push('login or email required');
    }
    throwIfErrors(errors);
    if (body.password !== undefined) Object.assign(update, await this.credentialsFor(body.password, current.scram));
    try {
      const updated = await this.store.users.update(actor.appId, userId, update);
      if (!updated) throw new DomainFailure('NOT_FOUND', { message: 'User not found' });
      if (body.password !== undefined) await this.revocations?.revoke({ appId: actor.appId, userId, passwordOnly: true, reason: 'password-changed' });
      return updated;
    } catch (error) {
      throw uniqueFailure(error);
    }
  }

  async delete(actor: Actor, targetId: number | undefined): Promise<void> {
    const userId = this.ownAccount(actor, targetId);
    if (!(await this.store.users.delete(actor.appId, userId))) throw new DomainFailure('NOT_FOUND', { message: 'User not found' });
    await this.revocations?.revoke({ appId: actor.appId, userId, reason: 'user-deleted' });
  }

  /**
   * Password reset request. Answers the same for known and unknown emails so it leaks nothing. Parley
   * has no mail transport yet, so there is nothing to send; the caller logs the request.
   */
  async requestPasswordReset(appId: number, email: unknown): Promise<{ known: boolean }> {
    if (typeof email !== 'string' || email.trim() === '') {
      throw new DomainFailure('VALIDATION_FAILED', { fields: { email: ['cannot be blank'] } });
    }
    return { known: (await this.store.users.findByEmail(appId, email.trim())) !== undefined };
  }

  /** A user may change only their own account ([A-37]: no id means the session's user). */
  private ownAccount(actor: Actor, targetId: number | undefined): number {
    if (actor.userId === null) throw new DomainFailure('NEED_USER');
    if (targetId !== undefined && targetId !== actor.userId) throw new DomainFailure('FORBIDDEN', { message: 'You can change only your own account' });
    return actor.userId;
  }
}

function ensureV1(app: AppRecord): void {
  if (!app.settings.usersV1Enabled) throw new DomainFailure('USERS_V1_DISABLED');
}

function uniqueFailure(error: unknown): unknown {
  if (!(error instanceof UniqueViolation)) return error;
  const field = error.field === 'unknown' ? 'base' : error.field;
  return new DomainFailure('VALIDATION_FAILED', { fields: { [field]: ['has already been taken.'] } });
}
