import type { OperatorRecord, OperatorSessionRecord } from '../../ports/operators.js';
import type { Store } from '../../ports/store.js';
import type { FailureThrottle } from '../../ports/throttle.js';
import type { Clock } from '../shared/actor.js';
import { DomainFailure, invalidField } from '../shared/failure.js';
import { randomToken, sha256Hex } from '../shared/secrets.js';
import { hashPassword, verifyPassword } from '../users/passwords.js';

export interface OperatorOptions {
  passwordHashCost: number;
  passwordMinLength: number;
  sessionTtlSeconds: number;
  /** Failed sign-ins allowed per login and client address (and 3× that per address) in the window. */
  maxFailures: number;
  failureWindowSeconds: number;
}

export interface OperatorSignIn {
  /** Goes into the HttpOnly cookie; never stored. */
  token: string;
  csrfToken: string;
  operator: { id: number; login: string };
  expiresAt: number;
}

const LOGIN_PATTERN = /^[A-Za-z0-9._@-]{3,64}$/;

/** Operator accounts (CLI) and their dashboard sign-in, with throttled failures and real sign-out. */
export class OperatorService {
  /** Verified against when the login is unknown, so both failures cost the same time. */
  private decoyHash: Promise<string> | undefined;

  constructor(
    private readonly store: Pick<Store, 'operators'>,
    private readonly throttle: FailureThrottle,
    private readonly clock: Clock,
    private readonly options: OperatorOptions,
  ) {}

  async create(login: string, password: string): Promise<OperatorRecord> {
    if (!LOGIN_PATTERN.test(login)) throw invalidField('login', 'must be 3–64 letters, digits or . _ @ -');
    this.checkPassword(password);
    if (await this.store.operators.findByLogin(login)) throw invalidField('login', 'has already been taken');
    return this.store.operators.create(login, await hashPassword(password, this.options.passwordHashCost), this.clock());
  }

  /** Sets a new password and ends every session of the operator. */
  async setPassword(login: string, password: string): Promise<void> {
    const operator = await this.store.operators.findByLogin(login);
    if (!operator) throw new DomainFailure('NOT_FOUND', { message: 'Operator not found' });
    this.checkPassword(password);
    await this.store.operators.setPassword(operator.id, await hashPassword(password, this.options.passwordHashCost));
    await this.store.operators.deleteSessionsOf(operator.id);
  }

  count(): Promise<number> {
    return this.store.operators.count();
  }

  async signIn(login: unknown, password: unknown, clientAddress: string): Promise<OperatorSignIn> {
    const loginText = typeof login === 'string' ? login : '';
    const passwordText = typeof password === 'string' ? password : '';
    const keys = [`operator:${loginText}:${clientAddress}`, `operator-address:${clientAddress}`];
    const limits = [this.options.maxFailures, this.options.maxFailures * 3];
    // Counted before the password check, so parallel attempts cannot all slip past the limit.
    for (const [index, key] of keys.entries()) {
      const { blocked, retryAfterSeconds } = await this.throttle.attempt(key, limits[index] ?? 1, this.options.failureWindowSeconds);
      if (blocked) throw new DomainFailure('RATE_LIMITED', { retryAfterSeconds });
    }
    const operator = LOGIN_PATTERN.test(loginText) ? await this.store.operators.findByLogin(loginText) : undefined;
    const hash = operator?.passwordHash ?? (await this.decoy());
    const valid = passwordText !== '' && (await verifyPassword(passwordText, hash));
    if (!operator || !valid) throw new DomainFailure('OPERATOR_SIGN_IN_FAILED');
    for (const key of keys) await this.throttle.reset(key);
    const now = this.clock();
    const token = randomToken(32);
    const session: OperatorSessionRecord = {
      tokenHash: sha256Hex(token),
      operatorId: operator.id,
      csrfToken: randomToken(24),
      createdAt: now,
      expiresAt: now + this.options.sessionTtlSeconds * 1000,
    };
    await this.store.operators.createSession(session);
    return { token, csrfToken: session.csrfToken, operator: { id: operator.id, login: operator.login }, expiresAt: session.expiresAt };
  }

  /** The live session behind a cookie token, with its operator; undefined when unknown or expired. */
  async session(token: string): Promise<{ session: OperatorSessionRecord; operator: OperatorRecord } | undefined> {
    if (token === '') return undefined;
    const session = await this.store.operators.findSession(sha256Hex(token));
    if (!session) return undefined;
    if (session.expiresAt <= this.clock()) {
      await this.store.operators.deleteSession(session.tokenHash);
      return undefined;
    }
    const operator = await this.store.operators.findById(session.operatorId);
    return operator ? { session, operator } : undefined;
  }

  async signOut(token: string): Promise<void> {
    if (token !== '') await this.store.operators.deleteSession(sha256Hex(token));
  }

  purgeExpired(): Promise<number> {
    return this.store.operators.purgeExpiredSessions(this.clock());
  }

  private checkPassword(password: string): void {
    if (password.length < Math.max(8, this.options.passwordMinLength)) throw invalidField('password', `is too short (minimum is ${Math.max(8, this.options.passwordMinLength)} characters)`);
  }

  private decoy(): Promise<string> {
    this.decoyHash ??= hashPassword(randomToken(16), this.options.passwordHashCost);
    return this.decoyHash;
  }
}
