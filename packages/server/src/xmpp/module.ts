import type { Element } from '@xmpp/xml';
import type { AppService } from '../domain/apps/service.js';
import type { BlobLinks } from '../domain/blobs/blob-links.js';
import type { CallService } from '../domain/calls/service.js';
import type { DialogService } from '../domain/dialogs/service.js';
import type { LastActivityService } from '../domain/last-activity/service.js';
import type { ArchiveService } from '../domain/live-chat/archive.js';
import type { OfflineQueue } from '../domain/live-chat/offline.js';
import type { LiveChatService } from '../domain/live-chat/service.js';
import type { WriteOrder } from '../domain/messages/commands.js';
import type { MessageService } from '../domain/messages/service.js';
import type { PrivacyService } from '../domain/privacy/service.js';
import type { SessionService } from '../domain/sessions/service.js';
import type { Clock } from '../domain/shared/actor.js';
import type { UserService } from '../domain/users/service.js';
import type { Logger } from '../ops/logging.js';
import type { ClusterPresence } from '../ports/presence.js';
import type { RoomOccupancy } from './modules/muc/occupancy.js';
import type { SessionRouter } from './router.js';
import type { ClientSession } from './session.js';
import type { StanzaErrorSpec } from './stanza-errors.js';
import type { Delivery } from './delivery.js';

/**
 * The one shape every file in `xmpp/modules/` exports (design.md §3): metadata, the disco features it
 * adds, stanza handlers with typed routing keys, and session hooks. Dependencies come in through the
 * module's factory function (`(deps: XmppModuleDeps) => XmppModule`, see `modules/index.ts`).
 */
export interface XmppModule {
  meta: {
    id: string;
    title: string;
    /** 'RFC 6120', 'XEP-0199', 'Tigase mobile v2', 'ConnectyCube' … */
    spec?: string;
    version?: string;
    status: 'complete' | 'partial';
    notes?: string;
  };
  /** Added to the server's disco#info answer. */
  discoFeatures?: string[];
  handlers?: StanzaHandler[];
  hooks?: Partial<SessionHooks>;
}

export type StanzaKind = 'message' | 'presence' | 'iq' | 'nonza';

/**
 * Who a stanza is addressed to, seen from the sending session (realtime.md §5):
 * - `none`: no `to`;
 * - `server`: the chat domain `D` (or the host the client opened the stream to);
 * - `self`: the sender's own bare JID, or its own full JID;
 * - `bare` / `full`: another user JID of the same application (own other resources are `full`);
 * - `muc-service`: `muc.D`; `room`: `{appId}_{dialogId}@muc.D`; `occupant`: a room JID with a resource
 *   (rooms of the same application only);
 * - `other`: anything else — other domains, other applications' users and rooms, unknown local parts.
 */
export type AddresseeClass = 'none' | 'server' | 'self' | 'bare' | 'full' | 'muc-service' | 'room' | 'occupant' | 'other';

export type Addressee =
  | { class: 'none' }
  | { class: 'server' | 'muc-service' | 'other'; jid: string }
  | { class: 'self' | 'bare' | 'full'; jid: string; appId: number; userId: number; resource: string }
  | { class: 'room' | 'occupant'; jid: string; appId: number; dialogId: string; occupant: string };

/** A user JID of the sender's application (bare, full or the sender's own). */
export type UserAddressee = Extract<Addressee, { userId: number }>;
/** A room (or occupant) JID of the sender's application. */
export type RoomAddressee = Extract<Addressee, { dialogId: string }>;

/** Typed routing key; every given field must match. */
export interface StanzaMatch {
  kind: StanzaKind;
  /** Stanza `type` with RFC defaults applied (message → 'normal', presence → 'available'). */
  type?: string[];
  to?: AddresseeClass[];
  /**
   * iq: namespace of its single payload child; message/presence: namespace of any child;
   * nonza: the element's own namespace.
   */
  payload?: string;
  /** nonza: its local name; iq: the payload child's local name; message/presence: any child's local name. */
  name?: string;
}

export type HandlerResult = 'handled' | 'pass';

export interface StanzaHandler {
  match: StanzaMatch;
  /** Higher runs first (default 0); equal priorities run in module-list order. */
  priority?: number;
  handle(ctx: StanzaContext, stanza: Element): Promise<HandlerResult> | HandlerResult;
  /**
   * A synchronous look before handling, in arrival order (ADR 0022): 'pass' when `handle` is sure to
   * pass this stanza; 'pipelined' when `handle` takes it and may overlap the connection's neighbouring
   * stanzas (it then keeps their order through `ctx.writeOrder` and `ctx.inTurn()`). Absent or 'serial':
   * the stanza is handled after every earlier one finished, and later ones wait for it.
   */
  mode?(stanza: Element): 'pass' | 'serial' | 'pipelined';
}

export interface SessionHooks {
  /** Resource bound; the session is registered in the router. */
  bound(session: ClientSession): Promise<void> | void;
  /** Initial presence received (`session.becomeAvailable()`). */
  available(session: ClientSession): Promise<void> | void;
  /** Connection gone; already unregistered from the router. Runs after the stanza being handled finished. */
  closed(session: ClientSession): Promise<void> | void;
  /**
   * XEP-0198: the connection died but the session waits for a resumption (still registered and
   * `available`; what is sent to it is buffered). Either `resumed` or `closed` follows.
   */
  detached(session: ClientSession): Promise<void> | void;
  /** XEP-0198: a new connection resumed the detached session (same JID, rooms, flags). */
  resumed(session: ClientSession): Promise<void> | void;
}

/** Everything a handler gets besides the stanza. */
export interface StanzaContext {
  readonly session: ClientSession;
  readonly router: SessionRouter;
  readonly domains: { readonly chat: string; readonly muc: string };
  readonly kind: StanzaKind;
  /** `type` with defaults applied ('' for nonzas). */
  readonly type: string;
  /** The stanza `id` ('' when absent). */
  readonly id: string;
  readonly to: Addressee;
  /** Disco features of every module (for disco#info). */
  readonly features: readonly string[];
  readonly logger: Logger;
  /** Milliseconds since the epoch (the server clock, movable in tests). */
  now(): number;
  /** Sends an element to this session. */
  send(element: Element): boolean;
  /** iq only: `<iq type="result">` with the request id, `from` = the request's `to`, optional payload. */
  result(payload?: Element): void;
  /**
   * Error reply to this stanza (same kind and id, type="error", legacy numeric `code`, realtime.md §7.11),
   * `from` = the address the client wrote to (or D). Never answers error stanzas or iq results.
   */
  bounce(error: StanzaErrorSpec): void;
  /**
   * Resolves once every earlier stanza of this connection was handled: a pipelined handler awaits it
   * before it routes anything (what it sends through this context meanwhile is held until then).
   * Resolved at once for a stanza handled one at a time.
   */
  inTurn(): Promise<void>;
  /** A pipelined handler's order of message writes, for `messages.send`; undefined otherwise. */
  readonly writeOrder: WriteOrder | undefined;
}

/** The domain services XMPP modules may call (the same objects the HTTP face uses). */
export interface XmppServices {
  apps: AppService;
  users: UserService;
  sessions: SessionService;
  dialogs: DialogService;
  messages: MessageService;
  presence: ClusterPresence;
  liveChat: LiveChatService;
  offline: OfflineQueue;
  archive: ArchiveService;
  privacy: PrivacyService;
  lastActivity: LastActivityService;
  /** Strips session tokens from links to this server's files in routed messages. */
  blobLinks: BlobLinks;
  calls: CallService;
}

/** What every module factory receives. */
export interface XmppModuleDeps {
  services: XmppServices;
  router: SessionRouter;
  /** Chat domain `D` and MUC domain `muc.D`. */
  domains: { chat: string; muc: string };
  logger: Logger;
  clock: Clock;
  /** Who is joined to which room on this node (group traffic, typing and REST-started removals reach them). */
  rooms: RoomOccupancy<ClientSession>;
  /** The one fan-out of chat stanzas: connections, offline queue, carbons, rooms (ADR 0013). */
  delivery: Delivery;
}
