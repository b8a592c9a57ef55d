import { userJid } from '@parley/protocol';
import { xml, type Element } from '@xmpp/xml';
import type { OfflineQueue } from '../domain/live-chat/offline.js';
import { cloneElement } from './elements.js';
import type { RoomKey, RoomOccupancy } from './modules/muc/occupancy.js';
import { NS } from './ns.js';
import { isRemote, type SessionRouter, type SessionView } from './router.js';
import type { ClientSession } from './session.js';

export interface DeliveryDeps {
  router: SessionRouter;
  rooms: RoomOccupancy<ClientSession>;
  chatDomain: string;
  /** What a 1-1 recipient without an available connection gets later (realtime.md §7.10). */
  offline: OfflineQueue;
}

/** The sender of a 1-1 stanza, for sent carbons: a connection (its other resources get them) or a user without one (REST). */
export interface CarbonOwner {
  appId: number;
  userId: number;
  bareJid: string;
  except?: ClientSession;
}

export interface PrivateDelivery {
  appId: number;
  recipientId: number;
  /** One connection of the recipient (a full JID); absent = every available connection. */
  resource?: string;
  stanza: Element;
  /** Keep it in the offline queue when no connection got it. */
  queue: boolean;
  /** Sent carbons to this user's other connections. */
  carbonsFor?: CarbonOwner;
}

/** What a sent carbon is made for (realtime.md §6.2): content, markers, edits and deletes of type chat. */
const CARBON_WORTHY = ['body', 'received', 'displayed', 'replace', 'remove'];

export function deservesCarbon(stanza: Element): boolean {
  if (stanza.attrs.type !== 'chat') return false;
  return stanza.getChildElements().some((child) => CARBON_WORTHY.includes(child.name)) || stanza.getChild('extraParams')?.getChild('attachment') !== undefined;
}

/**
 * The one way a chat stanza reaches users (ADR 0013), for XMPP handlers and REST-started events alike:
 * fan-out to a user's connections, the offline queue, sent carbons (XEP-0280) and group fan-out to
 * members and joined connections. Each connection's own `send` holds what CSI says to hold while the
 * client is inactive (held-while-inactive.ts); stream management counts what was written.
 */
export class Delivery {
  constructor(private readonly deps: DeliveryDeps) {}

  /** To a user's available connections (or one resource); returns how many got it. */
  toUser(appId: number, userId: number, stanza: Element, resource?: string): number {
    return this.deps.router.deliver(appId, userId, stanza, resource === undefined ? {} : { resource });
  }

  /** 1-1 content, edits and deletes: the recipient's connections, else the offline queue; then sent carbons. */
  async toRecipient(delivery: PrivateDelivery): Promise<number> {
    const { appId, recipientId, stanza } = delivery;
    const delivered = this.toUser(appId, recipientId, stanza, delivery.resource);
    const bare = userJid(appId, recipientId, this.deps.chatDomain);
    if (delivered === 0 && delivery.queue) await this.queue(appId, recipientId, stanza);
    if (delivery.carbonsFor) this.carbons(delivery.carbonsFor, stanza, bare);
    return delivered;
  }

  /** Keeps the stanza, addressed to the user's bare JID, until their next initial presence. */
  async queue(appId: number, userId: number, stanza: Element): Promise<void> {
    stanza.attrs.to = userJid(appId, userId, this.deps.chatDomain);
    await this.deps.offline.keep(appId, userId, stanza.toString());
  }

  /**
   * XEP-0280 sent carbons of `sent` (as the recipient got it, addressed to the bare JID the sender wrote
   * to) to the owner's other available connections that enabled carbons; the outer type equals the inner one.
   */
  carbons(owner: CarbonOwner, sent: Element, addressedTo: string): void {
    if (!deservesCarbon(sent)) return;
    // Built only when a connection takes carbons: most senders have none, and the copy is per message.
    const carbon = () => {
      const copy = cloneElement(sent);
      copy.attrs.to = addressedTo;
      return xml('message', { xmlns: NS.client, type: copy.attrs.type ?? 'chat', from: owner.bareJid }, xml('sent', { xmlns: NS.carbons }, xml('forwarded', { xmlns: NS.forward }, copy)));
    };
    this.deps.router.deliver(owner.appId, owner.userId, carbon, owner.except ? { carbonsOnly: true, except: owner.except } : { carbonsOnly: true });
  }

  /**
   * The connections group traffic reaches (realtime.md §7.3 step 6, [R-33]): every available connection
   * of every dialog member, joined or not, plus every connection joined to the room, on every node; each once.
   */
  roomSessions(room: RoomKey, memberIds: readonly number[]): Set<SessionView> {
    const sessions = new Set<SessionView>();
    const remoteSeen = new Set<string>();
    const add = (session: SessionView) => {
      if (isRemote(session)) {
        const key = `${session.node}/${session.id}`;
        if (remoteSeen.has(key)) return;
        remoteSeen.add(key);
      }
      sessions.add(session);
    };
    for (const session of this.deps.rooms.sessions(room)) add(session);
    for (const userId of memberIds) {
      for (const session of this.deps.router.sessionsOf(room.appId, userId)) if (session.available) add(session);
      for (const session of this.deps.router.remoteSessionsOf(room.appId, userId)) add(session);
    }
    return sessions;
  }

  /** Sends `stanza` to each connection (local or remote) with `to` stamped, serialised once; returns how many got it. */
  toEach(sessions: Iterable<SessionView>, stanza: Element, skip?: (session: SessionView) => boolean): number {
    return sendToEach(this.deps.router, sessions, stanza, skip);
  }
}

/** The one connection a full JID names (undefined for a bare JID: every available connection). */
export function resourceOf(to: { class: string; resource?: string }): string | undefined {
  return to.class === 'full' ? to.resource : undefined;
}

/** Sends `stanza` to each connection (local or remote) with `to` stamped, serialised once, skipping closed ones and `skip` (room presences use it too). */
export function sendToEach(router: SessionRouter, sessions: Iterable<SessionView>, stanza: Element, skip?: (session: SessionView) => boolean): number {
  return router.toEach(sessions, stanza, skip);
}
