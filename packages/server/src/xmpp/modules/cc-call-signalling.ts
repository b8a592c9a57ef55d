import { CALL_MODULE_IDENTIFIER, isCallSignalType, MAX_CALL_SESSION_ID_LENGTH, SDP_SIGNAL_TYPES, toId } from '@parley/protocol';
import type { Element } from '@xmpp/xml';
import type { IncomingCallNotice } from '../../ports/call-push.js';
import { cloneElement } from '../elements.js';
import type { HandlerResult, StanzaContext, UserAddressee, XmppModule, XmppModuleDeps } from '../module.js';
import { resourceOf } from '../delivery.js';
import { privacyAllows } from './privacy-gate.js';

/** What is wrong with a call signal, or undefined when it can be routed. */
export function callSignalProblem(extra: Element): string | undefined {
  const signalType = extra.getChildText('signalType')?.trim() ?? '';
  if (signalType === '') return 'signalType is required';
  if (!isCallSignalType(signalType)) return `signalType "${signalType.slice(0, 32)}" is not a call signal`;
  const sessionId = extra.getChildText('sessionID')?.trim() ?? '';
  if (sessionId === '') return 'sessionID is required';
  if (sessionId.length > MAX_CALL_SESSION_ID_LENGTH) return `sessionID is longer than ${MAX_CALL_SESSION_ID_LENGTH} characters`;
  if (SDP_SIGNAL_TYPES.includes(signalType) && (extra.getChildText('sdp') ?? '').trim() === '') return `${signalType} needs an sdp`;
  if (signalType === 'iceCandidates' && !extra.getChild('iceCandidates')) return 'iceCandidates needs iceCandidates';
  if (signalType === 'call') {
    if (toId(extra.getChildText('callerID')?.trim()) === undefined) return 'call needs a callerID';
    if (!extra.getChild('opponentsIDs')) return 'call needs opponentsIDs';
  }
  return undefined;
}

/** The `call` signal's fields as the push module's notice (realtime.md §12.3). */
function incomingCallNotice(ctx: StanzaContext, to: UserAddressee, extra: Element): IncomingCallNotice {
  const callType = Number(extra.getChildText('callType'));
  const opponents = (extra.getChild('opponentsIDs')?.getChildElements() ?? []).map((child) => toId(child.getText().trim())).filter((id) => id !== undefined);
  const callerId = toId(extra.getChildText('callerID')?.trim()) ?? ctx.session.userId;
  const notice: IncomingCallNotice = {
    appId: to.appId,
    callerId,
    calleeId: to.userId,
    sessionId: extra.getChildText('sessionID')?.trim() ?? '',
    callType: callType === 2 ? 2 : 1,
    opponentsIds: [...new Set([callerId, ...opponents])],
  };
  const userInfo = extra.getChild('userInfo');
  if (userInfo && userInfo.getChildElements().length > 0) {
    notice.userInfo = Object.fromEntries(userInfo.getChildElements().map((child) => [child.name, child.getText()]));
  }
  return notice;
}

/**
 * P2P call signalling (realtime.md §12): `WebRTCVideoChat` headlines are routed verbatim (`from`
 * stamped) to every available connection of the callee, or to the one full JID addressed. Never
 * stored, queued, carbon-copied or echoed. A privacy-list block drops them silently (§10.5); other
 * applications' users are unreachable and a malformed signal is bounced with `bad-request` naming the
 * field. A `call` that reaches no connection is handed to the call-push port, when one is wired.
 */
export function callSignallingModule(deps: XmppModuleDeps): XmppModule {
  const { privacy, calls } = deps.services;

  async function route(ctx: StanzaContext, stanza: Element): Promise<HandlerResult> {
    const extra = stanza.getChild('extraParams');
    if (extra?.getChildText('moduleIdentifier')?.trim() !== CALL_MODULE_IDENTIFIER) return 'pass';
    const to = ctx.to;
    if (to.class === 'other') {
      ctx.bounce({ condition: 'item-not-found', text: 'Unknown recipient' });
      return 'handled';
    }
    if (to.class !== 'bare' && to.class !== 'full') {
      ctx.bounce({ condition: 'bad-request', text: 'Call signals go to another user of this application' });
      return 'handled';
    }
    const problem = callSignalProblem(extra);
    if (problem) {
      ctx.bounce({ condition: 'bad-request', text: `Malformed call signal: ${problem}` });
      return 'handled';
    }
    if (!(await privacyAllows(privacy, ctx, to.userId, { bounce: false }))) return 'handled';
    const signalType = extra.getChildText('signalType')?.trim() ?? '';
    if (isCallSignalType(signalType)) {
      const opponentIds = (extra.getChild('opponentsIDs')?.getChildElements() ?? []).map((child) => toId(child.getText().trim())).filter((id) => id !== undefined);
      calls.signalRouted({ appId: to.appId, senderId: ctx.session.userId, signalType, sessionId: extra.getChildText('sessionID')?.trim() ?? '', opponentIds });
    }
    const copy = cloneElement(stanza);
    copy.attrs.from = ctx.session.jid;
    const delivered = deps.delivery.toUser(to.appId, to.userId, copy, resourceOf(to));
    if (delivered === 0 && extra.getChildText('signalType')?.trim() === 'call') {
      await calls.calleeOffline(incomingCallNotice(ctx, to, extra), (error) => ctx.logger.warn({ err: error }, 'call push failed'));
    }
    return 'handled';
  }

  return {
    meta: {
      id: 'cc-call-signalling',
      title: 'P2P call signalling (WebRTCVideoChat headlines)',
      spec: 'ConnectyCube',
      status: 'complete',
      notes: 'realtime.md §12: routed to every connection of the callee, never stored or queued; privacy lists apply; call push to offline callees through the call-push port.',
    },
    handlers: [{ match: { kind: 'message', type: ['headline'], name: 'extraParams' }, priority: 10, handle: route }],
  };
}
