import type { Element } from '@xmpp/xml';
import type { SessionService } from '../../domain/sessions/service.js';
import { DomainFailure } from '../../domain/shared/failure.js';
import type { LoginCredential } from '../session.js';
import {
  decodeSaslPayload,
  parsePlain,
  saslFailure,
  ScramSha1Server,
  selectMechanism,
  type SaslFailure,
  type SaslMechanismName,
} from '../sasl/index.js';

/** The domain calls SASL needs (SessionService implements them). */
export type XmppCredentialVerifier = Pick<SessionService, 'verifyXmppCredentials' | 'xmppScramCredentials' | 'recordXmppLogin'>;

export interface SaslContext {
  verifier: XmppCredentialVerifier;
  offered: readonly SaslMechanismName[];
  chatDomain: string;
  /** The stream `to` (also accepted as the domain of a bare-JID authzid). */
  streamTo: string;
  clientAddress: string;
}

/** What the negotiation does next: send a challenge, finish with success, or fail. */
export type SaslStep =
  | { step: 'challenge'; payload: string | Uint8Array }
  | { step: 'success'; appId: number; userId: number; payload?: string; credential?: LoginCredential }
  | SaslFailure;

const AUTHCID = /^(\d{1,15})-(\d{1,15})$/;

/**
 * One SASL exchange of one stream (realtime.md §4.3, §4.4): `<auth/>` → `start`, each `<response/>` →
 * `respond`. Identity rules: authcid `{userId}-{appId}`; authzid empty, the authcid or its bare JID.
 */
export class SaslExchange {
  private scram: ScramSha1Server | undefined;
  private pending: SaslMechanismName | undefined;

  constructor(private readonly ctx: SaslContext) {}

  async start(auth: Element): Promise<SaslStep> {
    const selected = selectMechanism(auth.attrs.mechanism, this.ctx.offered);
    if (!selected.ok) return selected;
    const decoded = decodeSaslPayload(auth.text());
    if (!decoded.ok) return decoded;
    if (decoded.bytes === null) {
      // No initial response: ask for it with an empty challenge (RFC 6120 §6.4.2).
      this.pending = selected.mechanism;
      return { step: 'challenge', payload: '' };
    }
    return this.first(selected.mechanism, decoded.bytes);
  }

  async respond(response: Element): Promise<SaslStep> {
    const decoded = decodeSaslPayload(response.text());
    if (!decoded.ok) return decoded;
    const bytes = decoded.bytes ?? new Uint8Array(0);
    if (this.pending) {
      const mechanism = this.pending;
      this.pending = undefined;
      return this.first(mechanism, bytes);
    }
    if (!this.scram) return saslFailure('malformed-request', 'unexpected response');
    const scram = this.scram;
    this.scram = undefined;
    const final = scram.finish(bytes);
    if (!final.ok) {
      if (this.lastUser && final.condition === 'not-authorized') {
        await this.ctx.verifier.recordXmppLogin(this.lastUser.appId, this.lastUser.userId, this.ctx.clientAddress, false);
      }
      return final;
    }
    const identity = this.identity(final.username, final.authzid);
    if ('ok' in identity) return identity;
    await this.ctx.verifier.recordXmppLogin(identity.appId, identity.userId, this.ctx.clientAddress, true);
    // SCRAM cannot tell which candidate (password or a token) matched: any logout of the user ends it.
    return { step: 'success', ...identity, payload: final.serverFinal, credential: { via: 'unknown' } };
  }

  private lastUser: { appId: number; userId: number } | undefined;

  private async first(mechanism: SaslMechanismName, bytes: Uint8Array): Promise<SaslStep> {
    if (mechanism === 'PLAIN') return this.plain(bytes);
    this.scram = new ScramSha1Server({
      lookup: async (username) => {
        const user = parseAuthcid(username);
        if (!user) return [];
        this.lastUser = user;
        const keys = await this.ctx.verifier.xmppScramCredentials(user.appId, user.userId, this.ctx.clientAddress);
        return keys.map((k, i) => ({ id: `password-${i}`, ...k }));
      },
    });
    const first = await this.scram.start(bytes);
    if (!first.ok) {
      this.scram = undefined;
      return first;
    }
    return { step: 'challenge', payload: first.serverFirst };
  }

  private async plain(bytes: Uint8Array): Promise<SaslStep> {
    const plain = parsePlain(bytes);
    if (!plain.ok) return plain;
    const identity = this.identity(plain.authcid, plain.authzid);
    if ('ok' in identity) return identity;
    let credential: LoginCredential;
    try {
      const verified = await this.ctx.verifier.verifyXmppCredentials(identity.appId, identity.userId, plain.password, this.ctx.clientAddress);
      credential = verified.via === 'token' && verified.sessionId !== undefined ? { via: 'token', sessionId: verified.sessionId } : { via: 'password' };
    } catch (error) {
      if (error instanceof DomainFailure && error.code === 'RATE_LIMITED') return saslFailure('temporary-auth-failure', 'Too many failed logins, try later');
      if (error instanceof DomainFailure) return saslFailure('not-authorized', 'Password not verified');
      throw error;
    }
    return { step: 'success', ...identity, credential };
  }

  private identity(authcid: string, authzid: string): { appId: number; userId: number } | SaslFailure {
    const user = parseAuthcid(authcid);
    if (!user) return saslFailure('not-authorized', 'Password not verified');
    const domains = [this.ctx.chatDomain, this.ctx.streamTo].filter((d) => d !== '').map((d) => d.toLowerCase());
    const at = authzid.indexOf('@');
    const authzidOk =
      authzid === '' || authzid === authcid || (at > 0 && authzid.slice(0, at) === authcid && domains.includes(authzid.slice(at + 1).toLowerCase()));
    if (!authzidOk) return saslFailure('invalid-authzid');
    return user;
  }
}

function parseAuthcid(authcid: string): { appId: number; userId: number } | undefined {
  const match = AUTHCID.exec(authcid);
  if (!match) return undefined;
  const userId = Number(match[1]);
  const appId = Number(match[2]);
  return userId > 0 && appId > 0 ? { appId, userId } : undefined;
}
