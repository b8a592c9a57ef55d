import type { PrivacyService, RoutedKind } from '../../domain/privacy/service.js';
import type { StanzaContext } from '../module.js';

/**
 * The one call routing modules make before delivering 1-1 traffic (realtime.md §10.5): true when the
 * stanza may go to `recipientId`. With `bounce`, a refusal answers the sender as §7.11 says: 503
 * `service-unavailable` when the recipient blocks the sender, 406 `not-acceptable` when the sender's own
 * mutual block forbids it. Typing, markers, headlines and call signals are refused silently.
 *
 * Edit/delete/reaction modules: `if (!(await privacyAllows(deps.services.privacy, ctx, to.userId, { bounce: true }))) return 'handled';`
 */
export async function privacyAllows(privacy: PrivacyService, ctx: StanzaContext, recipientId: number, options: { bounce: boolean; kind?: RoutedKind }): Promise<boolean> {
  const { session } = ctx;
  const verdict = await privacy.verdict(session.appId, session.userId, recipientId, options.kind ?? 'message');
  if (verdict === 'allow') return true;
  if (options.bounce) {
    ctx.bounce(
      verdict === 'blocked-by-recipient'
        ? { condition: 'service-unavailable', text: 'Service not available.' }
        : { condition: 'not-acceptable', text: 'You have blocked this user' },
    );
  }
  return false;
}

/**
 * For group traffic from the sender of `ctx`: a `sendToEach` exception that skips the connections of
 * users whose privacy list has a `muc.D/{uid}` deny item for the sender (realtime.md §10.5; no error).
 */
export async function groupPrivacyFilter(privacy: PrivacyService, ctx: StanzaContext, audience: Iterable<{ userId: number }>): Promise<(session: { userId: number }) => boolean> {
  const sessions = [...audience];
  const refusers = await privacy.groupRefusers(ctx.session.appId, ctx.session.userId, sessions.map((session) => session.userId));
  return (session) => refusers.has(session.userId);
}
