import { randomInt } from 'node:crypto';
import { toFlag, toInteger, type CreateSessionBody, type LoginBody } from '@parley/protocol';
import type { ConnectionRevoker } from '../../ports/connection-revocation.js';
import type { AppRecord, ScramKeys, SessionRecord, Store, UserRecord } from '../../ports/store.js';
import type { FailureThrottle } from '../../ports/throttle.js';
import type { AppService } from '../apps/service.js';
import type { Actor, Clock } from '../shared/actor.js';
import { DomainFailure } from '../shared/failure.js';
import { randomToken, sha256Hex } from '../shared/secrets.js';
import { scramSha1Keys, verifyPassword } from '../users/passwords.js';
import { validatePassword, throwIfErrors } from '../users/profile.js';
import type { UserService } from '../users/service.js';

export interface SessionServiceOptions {
  ttlSeconds: number;
  guestTtlSeconds: number;
  passwordMinLength: number;
  loginMaxFailures: number;
  loginFailureWindowSeconds: number;
  /**
   * XMPP SCRAM-SHA-1 is offered (`xmppScram`): user sessions get SCRAM keys of their token when created,
   * so the token also works as a SCRAM password (realtime.md §4.4).
   */
  xmppScram?: boolean;
}

/** A request's resolved session: what faces turn into an Actor. */
export interface SessionContext {
  session: SessionRecord;
  actor: Actor;
  /** When the token expires if unused from now on. */
  expiresAt: number;
}

export interface IssuedSession {
  session: SessionRecord;
  token: string;
  user?: UserRecord;
}

/** 40 random bytes per token (design.md §4). */
const TOKEN_BYTES = 40;
/** Sliding expiry is written at most once a minute per session, so reads stay reads. */
const TOUCH_GRANULARITY_MS = 60_000;
const PROVIDERS = ['facebook', 'twitter', 'firebase_phone', 'firebase_email'];

interface PasswordIdentity {
  login?: string | number | undefined;
  email?: string | number | undefined;
  password?: string | number | undefined;
}

export class SessionService {
  constructor(
    private readonly store: Pick<Store, 'sessions' | 'users'>,
    private readonly apps: AppService,
    private readonly users: UserService,
    private readonly throttle: FailureThrottle,
    private readonly clock: Clock,
    private readonly options: SessionServiceOptions,
    /** XMPP connections that logged in with a token end when that token's session is logged out. */
    private readonly revocations?: ConnectionRevoker,
  ) {}

  /** `POST /session`: an application session, or a user session by password, guest or provider. */
  async create(body: CreateSessionBody, clientAddress: string): Promise<IssuedSession> {
    const app = await this.apps.authenticate(toInteger(body.application_id), body.auth_key);
    if (body.provider !== undefined) throw providerFailure(body.provider);
    const identity = body.user;
    let user: UserRecord | undefined;
    let guest = false;
    if (identity && toFlag(identity.guest)) {
      user = await this.users.createUser(app.id, { login: `guest_login_${randomToken(8).toLowerCase()}`, fullName: identity.full_name ?? null }, true);
      guest = true;
    } else if (identity && (identity.login !== undefined || identity.email !== undefined)) {
      user = await this.verifyCredentials(app, identity, clientAddress, true);
    }
    return this.issue(app, user, guest, body);
  }

  /** Resolves a CB-Token, sliding its expiry; unknown, expired or destroyed → the exact 401. */
  async authenticate(token: string): Promise<SessionContext> {
    const session = await this.store.sessions.findByTokenHash(sha256Hex(token));
    const now = this.clock();
    if (!session) throw new DomainFailure('SESSION_NOT_FOUND');
    if (session.expiresAt <= now) {
      await this.store.sessions.delete(session.appId, session.id);
      throw new DomainFailure('SESSION_NOT_FOUND');
    }
    const slid = this.expiryFrom(now, session.hardExpiresAt);
    if (slid - session.expiresAt >= TOUCH_GRANULARITY_MS) await this.store.sessions.touch(session, slid, now);
    return {
      session,
      expiresAt: Math.max(slid, session.expiresAt),
      actor: { appId: session.appId, userId: session.userId, sessionId: session.id },
    };
  }

  async destroy(context: SessionContext): Promise<void> {
    await this.store.sessions.delete(context.actor.appId, context.session.id);
    await this.revokeLogin(context);
  }

  /** `POST /login`: binds a user to the session. Never creates users ([2.5]). */
  async login(context: SessionContext, body: LoginBody, clientAddress: string): Promise<UserRecord> {
    if (body.provider !== undefined) throw providerFailure(body.provider);
    const app = await this.apps.get(context.actor.appId);
    if (body.login === undefined && body.email === undefined) {
      throw new DomainFailure('VALIDATION_FAILED', { fields: { login: ['login or email required'] } });
    }
    const user = await this.verifyCredentials(app, body, clientAddress, false);
    await this.store.sessions.bindUser(app.id, context.session.id, user.id, this.clock());
    return user;
  }

  async logout(context: SessionContext): Promise<void> {
    if (context.actor.userId === null) throw new DomainFailure('NEED_USER');
    await this.store.sessions.bindUser(context.actor.appId, context.session.id, null, this.clock());
    await this.revokeLogin(context);
  }

  private async revokeLogin(context: SessionContext): Promise<void> {
    const { appId, userId } = context.actor;
    if (userId !== null) await this.revocations?.revoke({ appId, userId, sessionId: context.session.id, reason: 'logged-out' });
  }

  /**
   * XMPP login (realtime.md §4.1): user `userId` of application `appId` proves itself with its password
   * or with any unexpired session token of that user (the SDK cannot tell which one it sends). Failures
   * are throttled per application, user and client address like REST logins; a token check never
   * slides the token. Unknown app/user, wrong secret, other app's token → USER_UNAUTHORIZED.
   */
  async verifyXmppCredentials(appId: number, userId: number, secret: string, clientAddress: string): Promise<{ user: UserRecord; via: 'password' | 'token'; sessionId?: number }> {
    const throttleKey = loginThrottleKey(appId, `user:${userId}`, clientAddress);
    await this.takeAttempt(throttleKey);
    const found = secret === '' ? undefined : await this.store.users.findById(appId, userId);
    // A blocked user cannot log in, whatever the credential (its sessions were removed when blocked).
    const user = found?.blockedAt ? undefined : found;
    let via: 'password' | 'token' | undefined;
    let sessionId: number | undefined;
    if (user) {
      // The token lookup is one indexed read of the token's SHA-256; the password hash is deliberately
      // slow (scrypt), so it goes second and a token login never pays it. Token lookups are not cached
      // in the process: sessions end through paths that do not all pass here (logout, admin removal,
      // blocking, password change, expiry sweep, another node), and a cached hit could outlive its
      // session. SCRAM keys of a token are derived once, when its session is created (`issue`).
      const session = await this.store.sessions.findByTokenHash(sha256Hex(secret));
      if (session && session.appId === appId && session.userId === userId && session.expiresAt > this.clock()) {
        via = 'token';
        sessionId = session.id;
      } else if (user.passwordHash !== null && (await verifyPassword(secret, user.passwordHash))) via = 'password';
    }
    if (!user || !via) throw new DomainFailure('USER_UNAUTHORIZED');
    await this.throttle.reset(throttleKey);
    return sessionId === undefined ? { user, via } : { user, via, sessionId };
  }

  /**
   * SCRAM-SHA-1 candidates for an XMPP login (realtime.md §4.4): the user's password keys, then the keys of
   * every unexpired session token that has them, all with the user's one salt (candidates with another salt,
   * e.g. tokens issued before a password change, cannot match and are left out). Sessions created while
   * `xmppScram` was off, or bound to the user later by `POST /login`, have no keys: their tokens need PLAIN.
   * Throttled like `verifyXmppCredentials`; report the outcome with `recordXmppLogin`. Empty when the user
   * is unknown.
   */
  async xmppScramCredentials(appId: number, userId: number, clientAddress: string): Promise<ScramKeys[]> {
    await this.takeAttempt(loginThrottleKey(appId, `user:${userId}`, clientAddress));
    const user = await this.store.users.findById(appId, userId);
    if (!user || user.blockedAt) return [];
    const tokens = await this.store.sessions.scramKeysOf(appId, userId, this.clock());
    const candidates = user.scram ? [user.scram, ...tokens] : tokens;
    const first = candidates[0];
    return candidates.filter((keys) => keys.salt === first?.salt && keys.iterations === first.iterations);
  }

  /** The outcome of a SCRAM exchange: a success gives its attempt back (a failure stays counted). */
  async recordXmppLogin(appId: number, userId: number, clientAddress: string, succeeded: boolean): Promise<void> {
    if (succeeded) await this.throttle.reset(loginThrottleKey(appId, `user:${userId}`, clientAddress));
  }

  /** Counts one login attempt before any secret is checked; over the limit → RATE_LIMITED. */
  private async takeAttempt(key: string): Promise<void> {
    const { blocked, retryAfterSeconds } = await this.throttle.attempt(key, this.options.loginMaxFailures, this.options.loginFailureWindowSeconds);
    if (blocked) throw new DomainFailure('RATE_LIMITED', { retryAfterSeconds });
  }

  /** Removes expired sessions, then guests left without a live session. */
  async sweepExpired(): Promise<{ sessions: number; guests: number }> {
    const now = this.clock();
    const sessions = await this.store.sessions.deleteExpired(now);
    const guests = await this.store.users.deleteExpiredGuests(now);
    return { sessions, guests };
  }

  private expiryFrom(now: number, hardExpiresAt: number | null): number {
    const sliding = now + this.options.ttlSeconds * 1000;
    return hardExpiresAt === null ? sliding : Math.min(sliding, hardExpiresAt);
  }

  private async issue(app: AppRecord, user: UserRecord | undefined, guest: boolean, body: CreateSessionBody): Promise<IssuedSession> {
    const now = this.clock();
    const token = randomToken(TOKEN_BYTES);
    const hardExpiresAt = guest ? now + this.options.guestTtlSeconds * 1000 : null;
    const scram = user && this.options.xmppScram ? await this.tokenScramKeys(app.id, user, token, now) : null;
    const session = await this.store.sessions.create({
      appId: app.id,
      userId: user?.id ?? null,
      tokenHash: sha256Hex(token),
      nonce: toInteger(body.nonce) ?? randomInt(1, 2 ** 31 - 1),
      ts: toInteger(body.timestamp) ?? Math.floor(now / 1000),
      createdAt: now,
      updatedAt: now,
      expiresAt: this.expiryFrom(now, hardExpiresAt),
      hardExpiresAt,
      scram,
    });
    let stamped = user;
    if (user) stamped = (await this.store.users.update(app.id, user.id, { lastRequestAt: now })) ?? user;
    return stamped ? { session, token, user: stamped } : { session, token };
  }

  /**
   * SCRAM keys of a new token with the user's one salt: the password's salt, else that of the user's other
   * keyed sessions (passwordless users), else a fresh one.
   */
  private async tokenScramKeys(appId: number, user: UserRecord, token: string, now: number): Promise<ScramKeys> {
    const known = user.scram ?? (await this.store.sessions.scramKeysOf(appId, user.id, now))[0];
    return known ? scramSha1Keys(token, Buffer.from(known.salt, 'base64'), known.iterations) : scramSha1Keys(token);
  }

  /**
   * Checks login/email + password, throttling failures per application, login and client address.
   * With `createMissing`, an unknown login signs the user up (documented cloud default) unless the
   * application denies it.
   */
  private async verifyCredentials(app: AppRecord, identity: PasswordIdentity, clientAddress: string, createMissing: boolean): Promise<UserRecord> {
    const login = identity.login === undefined ? undefined : String(identity.login);
    const email = identity.email === undefined ? undefined : String(identity.email);
    const password = identity.password === undefined ? undefined : String(identity.password);
    if (password === undefined || password === '') {
      throw new DomainFailure('VALIDATION_FAILED', { fields: { password: ['cannot be blank'] } });
    }
    const find = () => (login !== undefined ? this.store.users.findByLogin(app.id, login) : this.store.users.findByEmail(app.id, email ?? ''));
    // One counter per app, user and address, shared with XMPP logins (which name the user by id); an
    // unknown login is counted by name. Counted before the password check, so parallel attempts count.
    let user = await find();
    const subject = user ? `user:${user.id}` : `login:${(login ?? email ?? '').toLowerCase()}`;
    const throttleKey = loginThrottleKey(app.id, subject, clientAddress);
    await this.takeAttempt(throttleKey);

    if (!user && createMissing && !app.settings.denySessionWithoutUser) {
      const created = await this.signUpOnTheFly(app, login, email, password, find);
      if (created) {
        await this.throttle.reset(throttleKey);
        return created;
      }
      user = await find();
    }
    if (!user || user.isGuest || user.passwordHash === null || user.blockedAt) throw new DomainFailure(user && !user.blockedAt ? 'INVALID_PASSWORD' : 'USER_UNAUTHORIZED');
    if (!(await verifyPassword(password, user.passwordHash))) throw new DomainFailure('INVALID_PASSWORD');
    await this.throttle.reset(throttleKey);
    return user;
  }

  /** Creates the user of an unknown login; if a concurrent request created it first, returns undefined. */
  private async signUpOnTheFly(
    app: AppRecord,
    login: string | undefined,
    email: string | undefined,
    password: string,
    find: () => Promise<UserRecord | undefined>,
  ): Promise<UserRecord | undefined> {
    const errors: Record<string, string[]> = {};
    validatePassword(password, this.options.passwordMinLength, errors);
    throwIfErrors(errors);
    try {
      return await this.users.signup(app.id, login !== undefined ? { login, password } : { email: email ?? null, password });
    } catch (error) {
      if (error instanceof DomainFailure && error.code === 'VALIDATION_FAILED' && (await find())) return undefined;
      throw error;
    }
  }
}

/** The login-attempt counter of one app, user (or unknown login) and client address, REST and XMPP alike. */
function loginThrottleKey(appId: number, subject: string, clientAddress: string): string {
  return `${appId}|${subject}|${clientAddress}`;
}

function providerFailure(provider: string): DomainFailure {
  return PROVIDERS.includes(provider)
    ? new DomainFailure('PROVIDER_NOT_SUPPORTED')
    : new DomainFailure('VALIDATION_FAILED', { fields: { provider: [`must be one of ${PROVIDERS.join(', ')}`] } });
}
