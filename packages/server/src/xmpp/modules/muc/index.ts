import { occupantJid, roomJid } from '@parley/protocol';
import { xml } from '@xmpp/xml';
import type { DialogRecord } from '../../../ports/dialogs.js';
import type { RoomAddressee, StanzaContext, XmppModule, XmppModuleDeps } from '../../module.js';
import { NS } from '../../ns.js';
import type { ClientSession } from '../../session.js';
import { sendToEach } from '../../delivery.js';
import type { RoomKey, RoomOccupancy } from './occupancy.js';
import { joinError, joinRefusals, occupantPresence, selfPresence, type Affiliation } from './presences.js';

/** Session data key of the user's affiliation in a joined room (for its LEAVE presence). */
export const affiliationKey = (room: RoomKey) => `muc-affiliation:${room.appId}_${room.dialogId}`;

function affiliationIn(dialog: DialogRecord, userId: number): Affiliation {
  if (dialog.ownerId === userId) return 'owner';
  return dialog.adminIds.includes(userId) ? 'admin' : 'member';
}

/**
 * Group dialogs as MUC rooms (realtime.md §6.3–§6.7): join and leave with the SDK's self-presence
 * shape, user-level JOIN/LEAVE events for the other occupants, online occupants by disco#items.
 * Joining is optional for members (group traffic reaches them anyway); no subject, no history.
 */
export function mucModule(deps: XmppModuleDeps, rooms: RoomOccupancy<ClientSession>): XmppModule {
  const { liveChat } = deps.services;
  const occupantOf = (room: RoomKey, userId: number) => occupantJid(room.appId, room.dialogId, userId, deps.domains.chat);

  /** Tells the room's other users' connections that `userId` arrived or left. */
  function announce(room: RoomKey, userId: number, presence: { available: boolean; affiliation: Affiliation; jid?: string }): void {
    const stanza = occupantPresence({ from: occupantOf(room, userId), to: '' }, presence);
    sendToEach(deps.router, rooms.sessions(room), stanza, (session) => session.userId === userId);
  }

  async function join(ctx: StanzaContext, to: RoomAddressee, joinId: string | undefined): Promise<void> {
    const { session } = ctx;
    const room = { appId: to.appId, dialogId: to.dialogId };
    const address = { from: to.jid, to: session.jid, ...(joinId !== undefined ? { id: joinId } : {}) };
    if (to.occupant !== String(session.userId)) {
      session.send(joinError(address, joinRefusals.wrongNick));
      return;
    }
    const access = await liveChat.roomAccess(session.actor, to.dialogId);
    if (!access.allowed) {
      const refusal = { 'not-found': joinRefusals.notFound, private: joinRefusals.private, 'not-occupant': joinRefusals.notOccupant }[access.reason];
      session.send(joinError(address, refusal));
      return;
    }
    const affiliation = affiliationIn(access.dialog, session.userId);
    session.data.set(affiliationKey(room), affiliation);
    // Everyone already there, one presence per user (§6.3 step 1).
    for (const [userId, sessions] of rooms.occupants(room)) {
      if (userId === session.userId) continue;
      const first = [...sessions][0];
      session.send(occupantPresence({ from: occupantOf(room, userId), to: session.jid }, { available: true, affiliation: affiliationIn(access.dialog, userId), ...(first ? { jid: first.jid } : {}) }));
    }
    const { firstOfUser } = rooms.join(room, session.userId, session);
    if (firstOfUser) announce(room, session.userId, { available: true, affiliation, jid: session.jid });
    session.send(selfPresence(address, { available: true, affiliation, jid: session.jid, ...(joinId !== undefined ? { id: joinId } : {}) }));
  }

  function leave(session: ClientSession, room: RoomKey, notifySelf: boolean): void {
    const affiliation = (session.data.get(affiliationKey(room)) as Affiliation | undefined) ?? 'member';
    const { lastOfUser, wasJoined } = rooms.leave(room, session.userId, session);
    session.data.delete(affiliationKey(room));
    if (wasJoined && lastOfUser) announce(room, session.userId, { available: false, affiliation });
    if (notifySelf) {
      const from = occupantOf(room, session.userId);
      session.send(selfPresence({ from, to: session.jid }, { available: false, affiliation, jid: session.jid }));
    }
  }

  return {
    meta: { id: 'muc', title: 'Multi-User Chat rooms for group dialogs', spec: 'XEP-0045', version: '1.34', status: 'partial', notes: 'Rooms are the app’s non-private dialogs (realtime.md §6.3); no subject, history, roles or configuration.' },
    discoFeatures: [NS.muc],
    handlers: [
      {
        match: { kind: 'presence', type: ['available'], to: ['occupant', 'room'] },
        async handle(ctx, stanza) {
          await join(ctx, ctx.to as RoomAddressee, stanza.attrs.id);
          return 'handled' as const;
        },
      },
      {
        match: { kind: 'presence', type: ['unavailable'], to: ['occupant', 'room'] },
        handle(ctx) {
          const to = ctx.to as RoomAddressee;
          leave(ctx.session, { appId: to.appId, dialogId: to.dialogId }, true);
          return 'handled' as const;
        },
      },
      {
        match: { kind: 'iq', type: ['get'], to: ['room'], payload: NS.discoItems },
        async handle(ctx) {
          const to = ctx.to as RoomAddressee;
          const room = { appId: to.appId, dialogId: to.dialogId };
          const access = await liveChat.roomAccess(ctx.session.actor, to.dialogId);
          if (!access.allowed) {
            ctx.bounce({ condition: access.reason === 'not-found' ? 'item-not-found' : 'forbidden' });
            return 'handled' as const;
          }
          const jid = roomJid(room.appId, room.dialogId, ctx.domains.chat);
          const items = [...rooms.occupants(room).keys()].map((userId) => xml('item', { jid: `${jid}/${userId}`, name: String(userId) }));
          ctx.result(xml('query', { xmlns: NS.discoItems }, ...items));
          return 'handled' as const;
        },
      },
    ],
    hooks: {
      closed(session) {
        for (const { room, userId, lastOfUser } of rooms.leaveAll(session)) {
          if (lastOfUser) announce(room, userId, { available: false, affiliation: (session.data.get(affiliationKey(room)) as Affiliation | undefined) ?? 'member' });
        }
      },
    },
  };
}
