import { WebSocket, type RawData } from 'ws';
import { ConferenceRefusal, UNAUTHORIZED_TOKEN, type ConferenceIdentity, type ConferenceService } from '../domain/conference/service.js';
import type { SfuRelayTarget } from '../ports/sfu.js';
import { rewriteFromJanus, rewriteRequestBody } from './rewrite.js';

type Json = Record<string, unknown>;

export interface RelayLog {
  debug(data: object, message: string): void;
  warn(data: object, message: string): void;
}

/** Janus verbs janus.js sends; anything else (claim, admin verbs …) is refused. */
const CLIENT_VERBS = new Set(['create', 'attach', 'message', 'trickle', 'keepalive', 'detach', 'hangup', 'destroy', 'ping', 'info']);
/** Videoroom requests of participants; room management (create, destroy, kick, recording …) is Parley's. */
const CLIENT_REQUESTS = new Set(['join', 'configure', 'publish', 'unpublish', 'joinandconfigure', 'start', 'pause', 'switch', 'leave', 'listparticipants', 'subscribe', 'unsubscribe', 'update']);

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

class HostileFrame extends Error {}

/** Janus sessions one connection may hold (janus.js uses one) and handles per session (one per participant, 12+1 in a full room). */
const MAX_SESSIONS = 4;
const MAX_HANDLES = 64;

/** Requests held while the upstream connection opens; a client sending more is not janus.js. */
const MAX_PENDING_UPSTREAM = 64;

/**
 * One SDK connection of the gateway (realtime.md §13.5–13.6): its own upstream WebSocket to Janus,
 * requests checked (token, verb, ownership of session and handle ids, meeting membership) and rewritten,
 * replies rewritten back. A malformed or hostile frame closes this client only.
 */
export class ClientRelay {
  private identity: ConferenceIdentity | undefined;
  private readonly upstream: WebSocket;
  private readonly pendingUpstream: string[] = [];
  /** Session id → its handle ids, all created by this client. */
  private readonly sessions = new Map<number, Set<number>>();
  /** Transactions of create/attach in flight: what to record when Janus answers. */
  private readonly pendingCreates = new Map<string, { kind: 'session' } | { kind: 'handle'; sessionId: number }>();
  /** Requests are handled one at a time, in order (checks are async). */
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly client: WebSocket,
    private readonly target: SfuRelayTarget,
    private readonly conference: ConferenceService,
    private readonly log: RelayLog,
  ) {
    this.upstream = new WebSocket(target.url, target.subprotocol, { perMessageDeflate: false });
    this.upstream.on('open', () => {
      for (const frame of this.pendingUpstream.splice(0)) this.upstream.send(frame);
    });
    this.upstream.on('message', (data) => this.fromJanus(data));
    this.upstream.on('error', (error) => log.warn({ err: error }, 'conference upstream failed'));
    this.upstream.on('close', () => this.close(1011, 'media server unavailable'));
    client.on('message', (data, isBinary) => {
      this.queue = this.queue.then(() => this.fromClient(data, isBinary)).catch((error: unknown) => {
        if (error instanceof HostileFrame) this.close(1008, error.message);
        else {
          log.warn({ err: error }, 'conference request failed');
          this.close(1011, 'internal error');
        }
      });
    });
    client.on('close', () => this.close(1000, 'client left'));
    client.on('error', () => this.close(1000, 'client failed'));
  }

  private async fromClient(data: RawData, isBinary: boolean): Promise<void> {
    if (this.closed) return;
    if (isBinary) throw new HostileFrame('binary frames are not Janus API');
    let message: unknown;
    try {
      message = JSON.parse(data.toString());
    } catch {
      throw new HostileFrame('not JSON');
    }
    if (!isObject(message) || typeof message.janus !== 'string' || typeof message.transaction !== 'string' || message.transaction.length > 64) {
      throw new HostileFrame('not a Janus request');
    }
    const transaction = message.transaction;
    try {
      await this.check(message);
    } catch (error) {
      if (!(error instanceof ConferenceRefusal)) throw error;
      this.replyError(message, error);
      return;
    }
    const { token: _token, apisecret: _secret, ...forwarded } = message;
    if (this.target.apiSecret !== '') forwarded.apisecret = this.target.apiSecret;
    if (message.janus === 'message' && isObject(message.body)) forwarded.body = rewriteRequestBody(message.body);
    if (message.janus === 'create') this.pendingCreates.set(transaction, { kind: 'session' });
    if (message.janus === 'attach') this.pendingCreates.set(transaction, { kind: 'handle', sessionId: message.session_id as number });
    this.send(JSON.stringify(forwarded));
  }

  /** Throws a refusal (answered as a Janus error) or a HostileFrame (closes the client). */
  private async check(message: Json): Promise<void> {
    const verb = message.janus as string;
    if (!CLIENT_VERBS.has(verb)) throw new ConferenceRefusal(403, `Request '${verb}' is not allowed`);
    if (verb === 'ping' || verb === 'info') return;
    if (!this.identity) {
      if (verb !== 'create') throw UNAUTHORIZED_TOKEN;
      this.identity = await this.conference.identify(message.token);
      return;
    }
    await this.conference.confirm(this.identity, message.token);
    if (verb === 'create') {
      if (this.sessions.size + this.pendingCreates.size >= MAX_SESSIONS) throw new ConferenceRefusal(403, `At most ${MAX_SESSIONS} sessions per connection`);
      return;
    }
    const sessionId = message.session_id;
    const handles = typeof sessionId === 'number' ? this.sessions.get(sessionId) : undefined;
    if (!handles) throw new ConferenceRefusal(458, 'No such session');
    if (verb === 'attach') {
      if (message.plugin !== 'janus.plugin.videoroom') throw new ConferenceRefusal(460, 'Only janus.plugin.videoroom is available');
      if (handles.size >= MAX_HANDLES) throw new ConferenceRefusal(403, `At most ${MAX_HANDLES} handles per session`);
      return;
    }
    if (verb === 'keepalive' || verb === 'destroy') return;
    const handleId = message.handle_id;
    if (typeof handleId !== 'number' || !handles.has(handleId)) throw new ConferenceRefusal(459, 'No such handle');
    if (verb === 'message') await this.checkBody(message.body);
  }

  private async checkBody(body: unknown): Promise<void> {
    if (!isObject(body) || typeof body.request !== 'string') throw new ConferenceRefusal(499, 'Missing request');
    if (!CLIENT_REQUESTS.has(body.request)) throw new ConferenceRefusal(403, `Request '${body.request}' is not allowed`);
    const identity = this.identity as ConferenceIdentity;
    const room = typeof body.room === 'number' ? String(body.room) : body.room;
    const joiningAsPublisher = (body.request === 'join' || body.request === 'joinandconfigure') && body.ptype === 'publisher';
    if (joiningAsPublisher) return this.conference.admit(identity, room, body.id ?? identity.userId);
    if (body.request === 'join') return this.conference.admit(identity, room);
    if (body.room !== undefined && !(await this.conference.mayUse(identity, room))) throw new ConferenceRefusal(433, 'Unauthorized (not invited to this meeting)');
  }

  private fromJanus(data: RawData): void {
    if (this.closed) return;
    let message: unknown;
    try {
      message = JSON.parse(data.toString());
    } catch {
      return;
    }
    if (!isObject(message)) return;
    this.track(message);
    this.client.send(JSON.stringify(rewriteFromJanus(message)));
  }

  /** Records the sessions and handles this client created, and forgets them when they end. */
  private track(message: Json): void {
    const transaction = typeof message.transaction === 'string' ? message.transaction : undefined;
    const pending = transaction === undefined ? undefined : this.pendingCreates.get(transaction);
    if (pending && transaction !== undefined) {
      this.pendingCreates.delete(transaction);
      const id = isObject(message.data) ? message.data.id : undefined;
      if (message.janus === 'success' && typeof id === 'number') {
        if (pending.kind === 'session') this.sessions.set(id, new Set());
        else this.sessions.get(pending.sessionId)?.add(id);
      }
    }
    const sessionId = message.session_id;
    if (typeof sessionId !== 'number') return;
    if (message.janus === 'timeout') this.sessions.delete(sessionId);
    if (message.janus === 'detached' && typeof message.sender === 'number') this.sessions.get(sessionId)?.delete(message.sender);
  }

  private replyError(request: Json, refusal: ConferenceRefusal): void {
    const reply: Json = { janus: 'error', transaction: request.transaction, error: { code: refusal.code, reason: refusal.reason } };
    if (typeof request.session_id === 'number') reply.session_id = request.session_id;
    if (this.client.readyState === WebSocket.OPEN) this.client.send(JSON.stringify(reply));
  }

  private send(frame: string): void {
    if (this.upstream.readyState === WebSocket.OPEN) this.upstream.send(frame);
    else if (this.upstream.readyState === WebSocket.CONNECTING) {
      if (this.pendingUpstream.length >= MAX_PENDING_UPSTREAM) throw new HostileFrame('too many requests before the media server answered');
      this.pendingUpstream.push(frame);
    }
  }

  /** Ends both sides; the client's Janus sessions are destroyed before the upstream closes. */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.log.debug({ code, reason, sessions: this.sessions.size }, 'conference client closed');
    if (this.upstream.readyState === WebSocket.OPEN) {
      for (const sessionId of this.sessions.keys()) {
        const destroy: Json = { janus: 'destroy', session_id: sessionId, transaction: `parley-${sessionId}` };
        if (this.target.apiSecret !== '') destroy.apisecret = this.target.apiSecret;
        this.upstream.send(JSON.stringify(destroy));
      }
      this.upstream.close(1000);
    } else {
      this.upstream.terminate();
    }
    this.sessions.clear();
    if (this.client.readyState === WebSocket.OPEN || this.client.readyState === WebSocket.CONNECTING) this.client.close(code, reason.slice(0, 120));
  }
}
