import { createHmac } from 'node:crypto';
import { toId } from '@parley/protocol';
import type { Mailer } from '../../ports/mailer.js';
import type { Store, UserRecord } from '../../ports/store.js';
import type { Clock } from '../shared/actor.js';
import { DomainFailure } from '../shared/failure.js';
import { safeEqual } from '../shared/secrets.js';
import { throwIfErrors, validatePassword } from './profile.js';
import type { UserService } from './service.js';

/** How long a reset link works. */
const LINK_TTL_SECONDS = 3600;

export interface ResetLink {
  app: number;
  user: number;
  expires: number;
  signature: string;
}

const invalidLink = () => new DomainFailure('NOT_FOUND', { message: 'This password reset link is invalid or has expired' });

/**
 * Password reset by mail (`users.resetPassword(email)`): a link signed with the application secret,
 * bound to the user's current password hash so it works once, valid for an hour. The request answers
 * the same whether the email is known or not.
 */
export class PasswordResetService {
  constructor(
    private readonly store: Pick<Store, 'apps' | 'users'>,
    private readonly users: UserService,
    private readonly mailer: Mailer,
    private readonly clock: Clock,
    private readonly options: { passwordMinLength: number },
  ) {}

  /** Mails a reset link to the user with this email, if there is one; `baseUrl` is where Parley is reached. */
  async request(appId: number, email: unknown, baseUrl: string): Promise<{ known: boolean; mailed: boolean }> {
    const { known } = await this.users.requestPasswordReset(appId, email);
    if (!known || !this.mailer.enabled) return { known, mailed: false };
    const user = await this.store.users.findByEmail(appId, String(email).trim());
    if (!user?.email) return { known, mailed: false };
    const expires = Math.floor(this.clock() / 1000) + LINK_TTL_SECONDS;
    const signature = await this.sign(appId, user, expires);
    const link = `${baseUrl}/users/password/reset/confirm?app=${appId}&user=${user.id}&expires=${expires}&signature=${signature}`;
    await this.mailer.send({
      to: [user.email],
      subject: 'Reset your password',
      text: ['Someone asked to reset the password of your account.', '', `Set a new password (the link works for one hour, once): ${link}`, '', 'If it was not you, ignore this mail.', ''].join('\n'),
    });
    return { known, mailed: true };
  }

  /** The user a link is for, if it is valid now. */
  async check(query: Record<string, unknown>): Promise<{ link: ResetLink; user: UserRecord }> {
    const app = toId(query.app);
    const user = toId(query.user);
    const expires = toId(query.expires);
    const signature = typeof query.signature === 'string' ? query.signature : '';
    if (app === undefined || user === undefined || expires === undefined || signature === '' || expires * 1000 < this.clock()) throw invalidLink();
    const record = await this.store.users.findById(app, user);
    if (!record || !safeEqual(await this.sign(app, record, expires), signature)) throw invalidLink();
    return { link: { app, user, expires, signature }, user: record };
  }

  /** Sets the new password; the link stops working because the hash it was bound to changed. */
  async complete(query: Record<string, unknown>, password: unknown): Promise<void> {
    const { user } = await this.check(query);
    const errors: Record<string, string[]> = {};
    validatePassword(typeof password === 'string' ? password : undefined, this.options.passwordMinLength, errors);
    throwIfErrors(errors);
    const credentials = await this.users.credentialsFor(password as string);
    await this.store.users.update(user.appId, user.id, { ...credentials, updatedAt: this.clock() });
  }

  private async sign(appId: number, user: UserRecord, expires: number): Promise<string> {
    const app = await this.store.apps.findById(appId);
    if (!app) throw invalidLink();
    return createHmac('sha256', app.authSecret).update(`reset.${user.id}.${expires}.${user.passwordHash ?? ''}`).digest('hex');
  }
}
