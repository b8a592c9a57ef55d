import type { Element } from '@xmpp/xml';
import type { ClientSession } from './session.js';

export interface DeliveryOptions {
  /** Only sessions that sent initial presence (default true: realtime.md §6.1). */
  onlyAvailable?: boolean;
  /** Skip this session (e.g. the sender's own connection). */
  except?: ClientSession;
}

/**
 * The sessions connected to this node and delivery to them. An interface so that a cluster bus can sit
 * behind it later; today `LocalSessionRouter` is a map lookup.
 */
export interface SessionRouter {
  register(session: ClientSession): void;
  unregister(session: ClientSession): void;
  /** Bound sessions of a user, in connection order. */
  sessionsOf(appId: number, userId: number): readonly ClientSession[];
  sessionByResource(appId: number, userId: number, resource: string): ClientSession | undefined;
  /**
   * Sends `build(session)` to each session of the user (undefined skips that session), with `to` stamped
   * to the recipient's full JID. `build` may return the same element every time: it is serialised
   * immediately. Returns how many sessions got it.
   */
  toUser(appId: number, userId: number, build: (session: ClientSession) => Element | undefined, options?: DeliveryOptions): number;
  /** Sends the element as is to one session; false when it is closed. */
  toSession(session: ClientSession, element: Element): boolean;
  /** Every bound session on this node (shutdown, metrics). */
  all(): Iterable<ClientSession>;
  readonly size: number;
}

export class LocalSessionRouter implements SessionRouter {
  private readonly users = new Map<string, ClientSession[]>();
  private count = 0;

  register(session: ClientSession): void {
    const key = userKey(session.appId, session.userId);
    const list = this.users.get(key) ?? [];
    if (list.includes(session)) return;
    list.push(session);
    this.users.set(key, list);
    this.count += 1;
  }

  unregister(session: ClientSession): void {
    if (!session.authenticated) return;
    const key = userKey(session.appId, session.userId);
    const list = this.users.get(key);
    const index = list?.indexOf(session) ?? -1;
    if (!list || index < 0) return;
    list.splice(index, 1);
    if (list.length === 0) this.users.delete(key);
    this.count -= 1;
  }

  sessionsOf(appId: number, userId: number): readonly ClientSession[] {
    return this.users.get(userKey(appId, userId)) ?? [];
  }

  sessionByResource(appId: number, userId: number, resource: string): ClientSession | undefined {
    return this.sessionsOf(appId, userId).find((s) => s.resource === resource);
  }

  toUser(appId: number, userId: number, build: (session: ClientSession) => Element | undefined, options: DeliveryOptions = {}): number {
    const onlyAvailable = options.onlyAvailable ?? true;
    let delivered = 0;
    for (const session of [...this.sessionsOf(appId, userId)]) {
      if (session === options.except || session.closed || (onlyAvailable && !session.available)) continue;
      const element = build(session);
      if (!element) continue;
      element.attrs.to = session.jid;
      if (session.send(element)) delivered += 1;
    }
    return delivered;
  }

  toSession(session: ClientSession, element: Element): boolean {
    return session.send(element);
  }

  *all(): Iterable<ClientSession> {
    for (const list of [...this.users.values()]) yield* [...list];
  }

  get size(): number {
    return this.count;
  }
}

const userKey = (appId: number, userId: number) => `${appId}:${userId}`;
