import type { MeetingRecord } from '../../ports/meetings.js';
import type { Sfu } from '../../ports/sfu.js';
import type { MeetingService } from '../meetings/service.js';
import type { SessionService } from '../sessions/service.js';
import type { Clock } from '../shared/actor.js';
import { DomainFailure } from '../shared/failure.js';

/** Who a conference connection belongs to, fixed by the token of its first `create`. */
export interface ConferenceIdentity {
  appId: number;
  userId: number;
  token: string;
}

/** A refusal in Janus's terms: the code and reason the SDK sees (realtime.md §13.5, §13.8). */
export class ConferenceRefusal extends Error {
  override name = 'ConferenceRefusal';
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(`${code} ${reason}`);
  }
}

export const UNAUTHORIZED_TOKEN = new ConferenceRefusal(403, 'Unauthorized request (wrong or missing secret/token)');

export interface ConferenceOptions {
  publishers: number;
  /** An empty room is destroyed after this long (realtime.md §13.7: 10 minutes). */
  idleRoomMs: number;
}

/** What happens to a room's recordings once the room ends (turned into files by the recordings module). */
export interface RoomEndedListener {
  roomEnded(meeting: Pick<MeetingRecord, 'id' | 'appId' | 'hostId'>, recordingDir: string): void;
}

interface ActiveRoom {
  appId: number;
  hostId: number;
  /** When the room was last seen empty; undefined while someone is in it. */
  emptySince: number | undefined;
}

/**
 * Conferences of meetings on the SFU (realtime.md §13): who may connect and join, rooms created on
 * first join and destroyed when the meeting is deleted or the room stayed empty, recording on and off.
 */
export class ConferenceService {
  private readonly rooms = new Map<string, ActiveRoom>();
  private readonly endedListeners: RoomEndedListener[] = [];

  constructor(
    private readonly sessions: SessionService,
    private readonly meetings: MeetingService,
    private readonly sfu: Sfu,
    private readonly clock: Clock,
    private readonly options: ConferenceOptions,
  ) {
    meetings.observe({
      updated: (before, after) => {
        if (before.record !== after.record && this.rooms.has(after.id)) void this.sfu.setRecording(after.id, after.record).catch(() => undefined);
      },
      deleted: (meeting) => {
        if (this.rooms.has(meeting.id)) void this.endRoom(meeting.id).catch(() => undefined);
      },
    });
  }

  onRoomEnded(listener: RoomEndedListener): void {
    this.endedListeners.push(listener);
  }

  /** A conference token is a user session token of the REST API. */
  async identify(token: unknown): Promise<ConferenceIdentity> {
    if (typeof token !== 'string' || token === '' || token.length > 512) throw UNAUTHORIZED_TOKEN;
    try {
      const { actor } = await this.sessions.authenticate(token);
      if (actor.userId === null) throw UNAUTHORIZED_TOKEN;
      return { appId: actor.appId, userId: actor.userId, token };
    } catch (error) {
      if (error instanceof DomainFailure) throw UNAUTHORIZED_TOKEN;
      throw error;
    }
  }

  /** A later request's token must be the connection's, or another valid token of the same user. */
  async confirm(identity: ConferenceIdentity, token: unknown): Promise<void> {
    if (token === identity.token) return;
    const other = await this.identify(token);
    if (other.appId !== identity.appId || other.userId !== identity.userId) throw UNAUTHORIZED_TOKEN;
  }

  /**
   * Admits the user to the meeting's room (creating it on the SFU when needed). A publisher must join
   * under its own user id; an older publisher of the same user is removed first (a reload works).
   */
  async admit(identity: ConferenceIdentity, room: unknown, publisherId?: unknown): Promise<void> {
    const meeting = typeof room === 'string' ? await this.meetings.mayJoin(identity.appId, identity.userId, room) : undefined;
    if (!meeting) throw new ConferenceRefusal(433, 'Unauthorized (not invited to this meeting)');
    if (publisherId !== undefined && String(publisherId) !== String(identity.userId)) {
      throw new ConferenceRefusal(433, 'Unauthorized (the publisher id must be your user id)');
    }
    await this.ensureRoom(meeting);
    if (publisherId !== undefined) {
      const present = await this.sfu.participants(meeting.id);
      if (present.some((p) => p.publisher && p.id === String(identity.userId))) await this.sfu.kick(meeting.id, String(identity.userId));
    }
  }

  /** May the user address this room at all (list participants, configure …)? */
  async mayUse(identity: ConferenceIdentity, room: unknown): Promise<boolean> {
    return typeof room === 'string' && (await this.meetings.mayJoin(identity.appId, identity.userId, room)) !== undefined;
  }

  /** Destroys rooms that stayed empty for the idle time; called periodically. */
  async sweepIdleRooms(): Promise<void> {
    const now = this.clock();
    for (const [room, state] of [...this.rooms]) {
      const present = await this.sfu.participants(room);
      if (present.length > 0) state.emptySince = undefined;
      else if (state.emptySince === undefined) state.emptySince = now;
      else if (now - state.emptySince >= this.options.idleRoomMs) await this.endRoom(room);
    }
  }

  /** Ends a room now (meeting deleted, or idle): destroyed on the SFU, then its recordings processed. */
  async endRoom(room: string): Promise<void> {
    const state = this.rooms.get(room);
    this.rooms.delete(room);
    await this.sfu.destroyRoom(room);
    if (state) for (const listener of this.endedListeners) listener.roomEnded({ id: room, appId: state.appId, hostId: state.hostId }, this.sfu.recordingDir(room));
  }

  /** Rooms are gone after the SFU restarted: forget them so the next join creates them again. */
  forgetRooms(): void {
    this.rooms.clear();
  }

  activeRooms(): string[] {
    return [...this.rooms.keys()];
  }

  private async ensureRoom(meeting: MeetingRecord): Promise<void> {
    if (this.rooms.has(meeting.id)) return;
    await this.sfu.ensureRoom({ room: meeting.id, description: meeting.name, publishers: this.options.publishers, record: meeting.record });
    this.rooms.set(meeting.id, { appId: meeting.appId, hostId: meeting.hostId, emptySince: undefined });
  }
}
