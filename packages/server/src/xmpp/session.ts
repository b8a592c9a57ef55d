import { randomUUID } from 'node:crypto';
import { userJid } from '@parley/protocol';
import type { Element} from '@xmpp/xml';
import { xml } from '@xmpp/xml';
import type { Actor } from '../domain/shared/actor.js';
import { xmlSafeText } from '../domain/shared/xml-text.js';
import type { PreparedStanza } from './cluster/prepared-stanza.js';
import { HeldWhileInactive } from './held-while-inactive.js';
import { NS } from './ns.js';
import { UnackedQueue } from './sm/unacked-queue.js';
import type { XmppObserver } from '../ops/xmpp-metrics.js';
import type { XmppConnection } from './transport/connection.js';

/** RFC 6120 §4.9.3 stream error conditions the face sends. */
export type StreamErrorCondition =
  | 'bad-format'
  | 'conflict'
  | 'connection-timeout'
  | 'host-unknown'
  | 'internal-server-error'
  | 'invalid-namespace'
  | 'invalid-xml'
  | 'not-authorized'
  | 'not-well-formed'
  | 'policy-violation'
  | 'reset'
  | 'resource-constraint'
  | 'restricted-xml'
  | 'system-shutdown'
  | 'undefined-condition'
  | 'unsupported-encoding'
  | 'unsupported-feature'
  | 'unsupported-stanza-type'
  | 'unsupported-version';

export type SessionState = 'negotiating' | 'bound' | 'closed';

/** XEP-0198 counters of one stream (h values are mod 2^32). */
export interface StreamManagementState {
  enabled: boolean;
  /** Stanzas received from the client since `<enable/>` whose handlers completed (our `h`). */
  inbound: number;
  /** Stanzas sent to the client since `<enable/>`. */
  outbound: number;
  /** Last `h` the client acknowledged. */
  acknowledged: number;
  /** Resumption id when the client enabled with `resume="true"` ('' = not resumable). */
  id: string;
  /** Stanzas sent since `<enable/>` not yet acknowledged (resent on resumption, else offline-queued). */
  readonly unacked: UnackedQueue;
}

/** Most unacknowledged stanzas kept per session (a client that never acks loses its stream). */
export const MAX_UNACKED_STANZAS = 5000;
/** Within one burst, ask for an ack at least every this many stanzas. */
const ACK_REQUEST_EVERY = 100;

export interface SessionOptions {
  chatDomain: string;
  /** Slow-reader cap: bytes queued towards the client before the connection is dropped. */
  maxOutboundBytes: number;
  /** XEP-0198: most bytes of unacknowledged stanzas kept for one session (live or parked). */
  maxUnackedBytes?: number;
  /** Runs the `available` hooks of every module (wired by the face). */
  runAvailableHooks(session: ClientSession): Promise<void>;
  /** XEP-0198 `resume="true"`: registers the session for resumption; undefined when not possible. */
  enableResumption?(session: ClientSession): { id: string; maxSeconds: number } | undefined;
  /** The unacknowledged-stanza buffer is full. */
  onUnackedOverflow?(session: ClientSession): void;
  /** Observability: each element sent, each stream error. */
  observer?: Pick<XmppObserver, 'stanzaOut' | 'streamError'>;
  /** The carbons flag changed (the cluster's presence leases carry it). */
  onCarbonsChanged?(session: ClientSession): void;
}

interface Identity {
  appId: number;
  userId: number;
  resource: string;
  serial: number;
  credential: LoginCredential;
}

/** What the login proved: the password, one session's token, or (SCRAM) either of them. */
export type LoginCredential = { via: 'password' } | { via: 'token'; sessionId: number } | { via: 'unknown' };

const STANZA_NAMES = new Set(['message', 'presence', 'iq']);

/**
 * One client connection after the transport: identity once authenticated and bound, flags modules keep
 * per connection, and the only way to write to the client. Sending never throws; writes after close are
 * dropped. Handlers get it as `ctx.session`.
 */
export class ClientSession {
  /** Connection id (random hex), also the presence-directory connection id. */
  readonly id: string;
  transport: 'websocket' | 'tcp';
  remoteAddress: string;
  readonly chatDomain: string;
  state: SessionState = 'negotiating';
  /** The `to` of the client's stream header (the host of its WebSocket URL; realtime.md §2). */
  streamTo = '';
  /** Sent initial presence (receives 1-1 traffic, counts as online). */
  available = false;
  private carbonsEnabled = false;
  /** XEP-0352 inactive / Tigase mobile v2 enable="true" (realtime.md §11.2); change it with `setInactive`. */
  inactive = false;
  /** Presences and typing held back while inactive. */
  private readonly held = new HeldWhileInactive();
  readonly sm: StreamManagementState;
  /**
   * The connection died but the session waits for an XEP-0198 resumption: still registered and
   * `available`, stanzas sent to it are only buffered (not `closed`).
   */
  detached = false;
  /** False once the stream was closed on purpose (client close, most stream errors): no resumption. */
  resumeAllowed = true;
  /** Per-connection state of modules, keyed by module id. */
  readonly data = new Map<string, unknown>();
  private identity: Identity | undefined;
  private streamOpened = false;
  private ending = false;
  private ackRequestScheduled = false;
  private sentSinceAckRequest = 0;

  constructor(
    public connection: XmppConnection,
    private readonly options: SessionOptions,
  ) {
    this.id = connection.id;
    this.transport = connection.transport;
    this.remoteAddress = connection.remoteAddress;
    this.chatDomain = options.chatDomain;
    this.sm = { enabled: false, inbound: 0, outbound: 0, acknowledged: 0, id: '', unacked: new UnackedQueue(MAX_UNACKED_STANZAS, options.maxUnackedBytes) };
  }

  /** XEP-0280 carbons enabled. */
  get carbons(): boolean {
    return this.carbonsEnabled;
  }

  set carbons(enabled: boolean) {
    if (enabled === this.carbonsEnabled) return;
    this.carbonsEnabled = enabled;
    if (this.identity) this.options.onCarbonsChanged?.(this);
  }

  get closed(): boolean {
    return this.state === 'closed' || this.ending;
  }

  get authenticated(): boolean {
    return this.identity !== undefined;
  }

  get bound(): boolean {
    return this.state === 'bound';
  }

  get appId(): number {
    return this.requireIdentity().appId;
  }

  get userId(): number {
    return this.requireIdentity().userId;
  }

  /** '' until bound. */
  get resource(): string {
    return this.identity?.resource ?? '';
  }

  /** `{uid}-{appId}@D`. */
  get bareJid(): string {
    const { appId, userId } = this.requireIdentity();
    return userJid(appId, userId, this.chatDomain);
  }

  /** `{uid}-{appId}@D/{resource}` once bound. */
  get jid(): string {
    const { appId, userId, resource } = this.requireIdentity();
    return userJid(appId, userId, this.chatDomain, resource || undefined);
  }

  /** What domain services take: sessionId is this connection's serial number on this node. */
  get actor(): Actor {
    const { appId, userId, serial, resource } = this.requireIdentity();
    return resource ? { appId, userId, sessionId: serial, resource } : { appId, userId, sessionId: serial };
  }

  /** What the login proved (revocations match on it). */
  get credential(): LoginCredential {
    return this.requireIdentity().credential;
  }

  /** Called by SASL success. */
  authenticate(appId: number, userId: number, serial: number, credential: LoginCredential = { via: 'unknown' }): void {
    this.identity = { appId, userId, resource: '', serial, credential };
  }

  /** Called by resource binding. */
  bind(resource: string): void {
    this.requireIdentity().resource = resource;
    this.state = 'bound';
  }

  /** Marks the resource available once (initial presence) and runs every module's `available` hook. */
  async becomeAvailable(): Promise<boolean> {
    if (this.available || this.closed) return false;
    this.available = true;
    await this.options.runAvailableHooks(this);
    return true;
  }

  /**
   * Sends one element. Stanzas get `xmlns="jabber:client"` when missing (RFC 7395: every WebSocket frame
   * declares its namespaces). Returns false when the session is closed. Drops the connection with
   * `policy-violation` once more than `maxOutboundBytes` wait for a client that does not read.
   */
  send(element: Element): boolean {
    if (this.closed) return false;
    this.options.observer?.stanzaOut(element.name);
    const stanza = STANZA_NAMES.has(element.name);
    if (stanza && element.attrs.xmlns === undefined) element.attrs.xmlns = NS.client;
    // A parked session keeps no presence: a resumed client asks for (and gets) current presence anyway,
    // and copying every presence into every parked session made memory grow with the square of logins.
    if (this.detached && element.name === 'presence') return false;
    if (this.inactive && stanza && this.held.hold(element)) return true;
    return this.sendText(element.toString(), stanza);
  }

  /**
   * Sends a stanza serialised once for many recipients (the router's common path): the same bytes with
   * this connection's JID as `to`. Same rules as `send`.
   */
  sendPrepared(prepared: PreparedStanza): boolean {
    if (this.closed) return false;
    if (this.inactive && prepared.isStanza) return this.send(prepared.elementFor(this.jid));
    this.options.observer?.stanzaOut(prepared.name);
    if (this.detached && prepared.name === 'presence') return false;
    return this.sendText(prepared.textFor(this.jid), prepared.isStanza);
  }

  private sendText(text: string, stanza: boolean): boolean {
    if (!this.sm.enabled || !stanza) return this.detached ? false : this.write(text);
    // XEP-0198: every stanza is kept until the client acknowledges it (resent on resumption).
    if (!this.sm.unacked.push((this.sm.outbound + 1) >>> 0, text)) {
      this.options.onUnackedOverflow?.(this);
      return false;
    }
    this.sm.outbound = (this.sm.outbound + 1) >>> 0;
    if (this.detached) return true;
    const written = this.write(text);
    this.requestAckSoon();
    return written;
  }

  /** Client state: going active sends what was held back (latest presence / typing per sender). */
  setInactive(inactive: boolean): void {
    this.inactive = inactive;
    if (!inactive) for (const element of this.held.release()) this.send(element);
  }

  /** XEP-0198 `resume="true"`: the resumption id and window, or undefined when not offered. */
  enableResumption(): { id: string; maxSeconds: number } | undefined {
    return this.options.enableResumption?.(this);
  }

  /** The connection died while resumable: keep the session, buffer what is sent to it. */
  detach(): void {
    this.detached = true;
    this.ending = false;
  }

  /** XEP-0198 resumption: continue on a new connection, whose stream header is already open. */
  attach(connection: XmppConnection, streamTo: string): void {
    this.connection = connection;
    this.transport = connection.transport;
    this.remoteAddress = connection.remoteAddress;
    this.streamTo = streamTo;
    this.streamOpened = true;
    this.detached = false;
    this.ending = false;
    this.resumeAllowed = true;
  }

  /** After `<resumed/>`: writes every stanza the client has not acknowledged, in the original order. */
  replayUnacked(): void {
    for (const item of this.sm.unacked.pending()) if (!this.write(item.text)) return;
    this.requestAckSoon();
  }

  /** Writes `<r/>` now when stanzas wait for an acknowledgement (also called periodically). */
  requestAck(): void {
    this.sentSinceAckRequest = 0;
    if (this.closed || this.detached || !this.sm.enabled || this.sm.unacked.size === 0) return;
    this.write(xml('r', { xmlns: NS.sm }).toString());
  }

  /** One `<r/>` after a burst of stanzas (and at least every ACK_REQUEST_EVERY within one). */
  private requestAckSoon(): void {
    this.sentSinceAckRequest += 1;
    if (this.sentSinceAckRequest >= ACK_REQUEST_EVERY) return this.requestAck();
    if (this.ackRequestScheduled) return;
    this.ackRequestScheduled = true;
    setImmediate(() => {
      this.ackRequestScheduled = false;
      this.requestAck();
    });
  }

  /** Writes the stream header (`<open/>` on WebSocket, `<stream:stream>` on TCP) answering the client's. */
  openStream(from: string): void {
    const attrs = { from, id: randomUUID(), version: '1.0', 'xml:lang': 'en' };
    if (this.transport === 'websocket') {
      this.write(xml('open', { xmlns: NS.framing, ...attrs }).toString());
    } else {
      const rendered = Object.entries(attrs)
        .map(([k, v]) => ` ${k}="${v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}"`)
        .join('');
      this.write(`<?xml version='1.0'?><stream:stream xmlns="${NS.client}" xmlns:stream="${NS.stream}"${rendered}>`);
    }
    this.streamOpened = true;
  }

  /** `<stream:error>` with `condition`, then the stream close and the connection close. */
  streamError(condition: StreamErrorCondition, text?: string): void {
    if (this.closed) return;
    this.options.observer?.streamError(this.id, condition, text);
    if (this.transport === 'tcp' && !this.streamOpened) this.openStream(this.streamTo || this.chatDomain);
    const error = xml('stream:error', { 'xmlns:stream': NS.stream }, xml(condition, { xmlns: NS.streams }));
    if (text !== undefined) error.append(xml('text', { xmlns: NS.streams, 'xml:lang': 'en' }, text));
    this.write(error.toString());
    // A timed-out connection is the case resumption exists for; other stream errors end the session.
    this.end(condition === 'connection-timeout');
  }

  /** Closes the stream politely (`<close/>` / `</stream:stream>`) and then the connection. */
  end(resumable = false): void {
    if (this.closed) return;
    if (!resumable) this.resumeAllowed = false;
    this.write(this.transport === 'websocket' ? xml('close', { xmlns: NS.framing }).toString() : '</stream:stream>');
    this.ending = true;
    this.connection.close();
  }

  /** Marks the session closed (the connection is gone); idempotent. */
  markClosed(): void {
    this.state = 'closed';
  }

  private write(raw: string): boolean {
    if (this.closed) return false;
    // Never emit what XML 1.0 forbids (stored text from before REST refused it): clients would fail the stream.
    const text = xmlSafeText(raw);
    this.connection.send(text);
    if (this.connection.bufferedBytes > this.options.maxOutboundBytes) {
      // The client does not read: a last stream error (it may never see it), then drop the socket.
      this.ending = true;
      const error = xml('stream:error', { 'xmlns:stream': NS.stream }, xml('policy-violation', { xmlns: NS.streams }));
      error.append(xml('text', { xmlns: NS.streams, 'xml:lang': 'en' }, 'outbound buffer exceeded (client does not read)'));
      this.connection.send(error.toString());
      this.connection.destroy();
      return false;
    }
    return true;
  }

  private requireIdentity(): Identity {
    if (!this.identity) throw new Error('XMPP session is not authenticated yet');
    return this.identity;
  }
}
