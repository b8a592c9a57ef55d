// Routes every incoming stanza to the app's listeners, the waiting replies and the room state,
// in the official SDK 6.1.2's order: presence → MUC events, iq → replies, message → by type.
import { callListener } from './events.js';
import type { ChatListeners } from './events.js';
import { readError, readHeadline, readMessage, readMucPresence } from './incoming.js';
import { isLastActivityPush, readLastActivity } from './last-activity.js';
import type { Reader } from './incoming.js';
import type { MultiUserChat } from './muc.js';
import type { PendingReplies } from './replies.js';
import type { MessageStatusParams } from './types.js';
import { attr } from './xml.js';
import type { XmlElement } from './xml.js';

export interface InboundContext {
  listeners: ChatListeners;
  reader(): Reader;
  replies: PendingReplies;
  muc: MultiUserChat;
  /** The automatic delivered marker for a content message from someone else. */
  sendDelivered(status: MessageStatusParams): void;
  /** Call signals (`WebRTCVideoChat` headlines) go to the video calling module. */
  callSignal?(userId: number | null, extraParams: XmlElement): void;
}

function onMessage(stanza: XmlElement, context: InboundContext): void {
  const { listeners } = context;
  for (const event of readMessage(stanza, context.reader())) {
    switch (event.kind) {
      case 'typing':
        callListener(listeners.onMessageTypingListener, event.isTyping, event.userId, event.dialogId);
        break;
      case 'delivered':
        callListener(listeners.onDeliveredStatusListener, event.messageId, event.dialogId, event.userId);
        break;
      case 'read':
        callListener(listeners.onReadStatusListener, event.messageId, event.dialogId, event.userId);
        break;
      case 'auto-delivered':
        context.sendDelivered(event.status);
        break;
      case 'message':
        callListener(listeners.onMessageListener, event.userId, event.message);
        break;
      case 'edit':
        callListener(listeners.onMessageUpdateListener, event.messageId, event.last, event.body, event.dialogId, event.userId, event.extension);
        break;
      case 'delete':
        callListener(listeners.onMessageDeleteListener, event.messageId, event.dialogId, event.userId);
        break;
      case 'reactions':
        callListener(listeners.onMessageReactionsListener, event.messageId, event.userId, event.dialogId, event.add, event.remove);
        break;
    }
  }
}

function onPresence(stanza: XmlElement, context: InboundContext): void {
  const { listeners } = context;
  const event = readMucPresence(stanza, context.reader());
  switch (event?.kind) {
    case 'join-reply':
      context.replies.deliver(event.id, event.stanza);
      break;
    case 'self-left':
      context.muc.handleSelfLeft(event.roomJid);
      break;
    case 'kicked':
      callListener(listeners.onKickOccupant, event.dialogId, event.initiatorId);
      context.muc.handleKicked(event.roomJid);
      break;
    case 'occupant-joined':
      callListener(listeners.onJoinOccupant, event.dialogId, event.userId);
      break;
    case 'occupant-left':
      callListener(listeners.onLeaveOccupant, event.dialogId, event.userId);
      break;
    case undefined:
      break;
  }
}

export function dispatchStanza(stanza: XmlElement, context: InboundContext): void {
  if (stanza.is('presence')) {
    onPresence(stanza, context);
  } else if (stanza.is('iq')) {
    // Any other IQ with `from` and a <query> is taken for a last-activity push, as the official SDK does.
    if (!context.replies.deliver(attr(stanza, 'id'), stanza) && isLastActivityPush(stanza)) {
      const { userId, seconds } = readLastActivity(stanza, context.reader().jids);
      callListener(context.listeners.onLastUserActivityListener, userId, seconds);
    }
  } else if (stanza.is('message')) {
    const type = attr(stanza, 'type');
    if (type === 'headline') {
      const event = readHeadline(stanza, context.reader());
      if (event?.kind === 'system') callListener(context.listeners.onSystemMessageListener, event.message);
      else if (event?.kind === 'call-signal') context.callSignal?.(event.userId, event.extraParams);
    } else if (type === 'error') {
      callListener(context.listeners.onMessageErrorListener, attr(stanza, 'id'), readError(stanza));
    } else {
      onMessage(stanza, context);
    }
  }
}
