/**
 * Records what an SDK's chat listeners report, so scenarios read as conversations: "bob receives …".
 * Waiting is event-driven (resolve on arrival, fail after a timeout), never a sleep.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- listener arguments are checked field by field */

export type ChatEventKind =
  | 'message'
  | 'system'
  | 'typing'
  | 'delivered'
  | 'read'
  | 'sent'
  | 'error'
  | 'join'
  | 'leave'
  | 'kick'
  | 'update'
  | 'delete'
  | 'reactions'
  | 'disconnected'
  | 'reconnected'
  | 'lastActivity';

const LISTENERS: Record<ChatEventKind, string> = {
  message: 'onMessageListener',
  system: 'onSystemMessageListener',
  typing: 'onMessageTypingListener',
  delivered: 'onDeliveredStatusListener',
  read: 'onReadStatusListener',
  sent: 'onSentMessageCallback',
  error: 'onMessageErrorListener',
  join: 'onJoinOccupant',
  leave: 'onLeaveOccupant',
  kick: 'onKickOccupant',
  update: 'onMessageUpdateListener',
  delete: 'onMessageDeleteListener',
  reactions: 'onMessageReactionsListener',
  disconnected: 'onDisconnectedListener',
  reconnected: 'onReconnectListener',
  lastActivity: 'onLastUserActivityListener',
};

interface Waiter {
  kind: ChatEventKind;
  match: (args: any[]) => boolean;
  resolve: (args: any[]) => void;
}

export const DEFAULT_WAIT_MS = 5000;

export class ChatEvents {
  private readonly pending: { kind: ChatEventKind; args: any[] }[] = [];
  private readonly waiters: Waiter[] = [];

  /** Assigns every listener of `chat` (the documented property form both SDKs support). */
  constructor(chat: Record<string, unknown>) {
    for (const [kind, property] of Object.entries(LISTENERS) as [ChatEventKind, string][]) {
      chat[property] = (...args: any[]) => this.record(kind, args);
    }
  }

  private record(kind: ChatEventKind, args: any[]): void {
    const index = this.waiters.findIndex((waiter) => waiter.kind === kind && waiter.match(args));
    if (index >= 0) {
      const [waiter] = this.waiters.splice(index, 1);
      waiter?.resolve(args);
      return;
    }
    this.pending.push({ kind, args });
  }

  /** The next (oldest unconsumed) event of a kind that matches; consumed once returned. */
  next(kind: ChatEventKind, match: (args: any[]) => boolean = () => true, timeoutMs = DEFAULT_WAIT_MS): Promise<any[]> {
    const index = this.pending.findIndex((event) => event.kind === kind && match(event.args));
    if (index >= 0) return Promise.resolve(this.pending.splice(index, 1)[0]!.args);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        kind,
        match,
        resolve: (args) => {
          clearTimeout(timer);
          resolve(args);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no '${kind}' event within ${timeoutMs} ms; unconsumed: ${JSON.stringify(this.pending.map((event) => event.kind))}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Unconsumed events of a kind (for "nothing else arrived" checks after a later barrier event). */
  unconsumed(kind: ChatEventKind): any[][] {
    return this.pending.filter((event) => event.kind === kind).map((event) => event.args);
  }
}
