// One conference session (one per browser tab): local media, joining a meeting's room as publisher
// or listener, one subscription per remote publisher, and a `leave` that settles. Requests are those
// of the official SDK (realtime.md §13.3).
import { candidateOf, JanusConnection, type JanusMessage, type JanusWebSocketConstructor } from './janus-connection.js';
import { Subscriber } from './subscriber.js';
import type { AttachMediaStreamOptions, ConferenceListeners, ConferenceParticipant } from './types.js';

export interface ConferenceSessionSettings {
  server: string;
  token: string;
  iceServers: RTCIceServer[];
  listeners: () => ConferenceListeners;
  WebSocketImpl?: JanusWebSocketConstructor | undefined;
}

let sessionSerial = 0;

export class ConferenceSession {
  readonly id = `conf-${Date.now().toString(36)}-${(sessionSerial += 1)}`;
  currentRoomId: string | undefined;
  localStream: MediaStream | undefined;
  private janus: JanusConnection | undefined;
  private publisherHandle: number | undefined;
  private publisherPc: RTCPeerConnection | undefined;
  private readonly subscribers = new Map<number, Subscriber>();
  private userId: number | undefined;
  private display = '';

  constructor(private readonly settings: ConferenceSessionSettings) {}

  private get on(): ConferenceListeners {
    return this.settings.listeners();
  }

  async getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream> {
    const stream = await navigator.mediaDevices.getUserMedia(constraints);
    return this.useLocalStream(stream);
  }

  /** Screen sharing: the display's video replaces the camera (audio keeps its enabled state). */
  async getDisplayMedia(constraints: DisplayMediaStreamOptions): Promise<MediaStream> {
    const stream = await navigator.mediaDevices.getDisplayMedia(constraints);
    return this.useLocalStream(stream);
  }

  attachMediaStream(elementOrId: string | HTMLVideoElement, stream: MediaStream, options: AttachMediaStreamOptions = {}): void {
    const element = typeof elementOrId === 'string' ? (document.getElementById(elementOrId) as HTMLVideoElement | null) : elementOrId;
    if (!element) throw new Error(`Unable to attach media stream, element ${String(elementOrId)} is undefined`);
    element.muted = options.muted ?? false;
    if (options.mirror) element.style.transform = 'scaleX(-1)';
    element.srcObject = stream;
    void element.play().catch(() => undefined);
  }

  join(roomId: string, userId: number, userDisplayName = ''): Promise<void> {
    return this.enter(roomId, userId, userDisplayName, false);
  }

  /** Joins without sending audio or video (a data-only publisher, like the official SDK). */
  joinAsListener(roomId: string, userId: number, userDisplayName = ''): Promise<void> {
    return this.enter(roomId, userId, userDisplayName, true);
  }

  async listOfOnlineParticipants(): Promise<ConferenceParticipant[]> {
    const reply = await this.connected().message(this.publisher(), { request: 'listparticipants', room: this.currentRoomId }, undefined, false);
    return (reply.plugindata?.data?.participants ?? []) as ConferenceParticipant[];
  }

  async sendKeyframeRequest(roomId = this.currentRoomId): Promise<void> {
    await this.connected().message(this.publisher(), { request: 'configure', room: roomId, keyframe: true }, undefined, false);
  }

  muteAudio(): void {
    this.setEnabled('audio', false);
  }
  unmuteAudio(): void {
    this.setEnabled('audio', true);
  }
  isAudioMuted(): boolean {
    return this.isMuted('audio');
  }
  muteVideo(): void {
    this.setEnabled('video', false);
  }
  unmuteVideo(): void {
    this.setEnabled('video', true);
  }
  isVideoMuted(): boolean {
    return this.isMuted('video');
  }

  /** Switches camera and/or microphone by device id; the new tracks are sent in place of the old. */
  async switchMediaTracks(deviceIds: { audio?: string; video?: string }): Promise<MediaStream> {
    const constraints: MediaStreamConstraints = {};
    if (deviceIds.audio) constraints.audio = { deviceId: { exact: deviceIds.audio } };
    if (deviceIds.video) constraints.video = { deviceId: { exact: deviceIds.video } };
    return this.useLocalStream(await navigator.mediaDevices.getUserMedia(constraints));
  }

  /** e.g. `"245 kbits/sec"`, as the official SDK reports it. */
  getRemoteUserBitrate(userId: number): string {
    return `${this.subscribers.get(userId)?.bitrateKbps ?? 0} kbits/sec`;
  }

  /** The remote user's audio level, 0…1. */
  getRemoteUserVolume(userId: number): number {
    return this.subscribers.get(userId)?.audioLevel ?? 0;
  }

  /** Leaves the room and ends the session on the server; resolves once everything is closed. */
  async leave(): Promise<void> {
    const janus = this.janus;
    if (!janus) return;
    const handle = this.publisherHandle;
    const room = this.currentRoomId;
    try {
      if (handle !== undefined) await janus.message(handle, { request: 'leave', room, id: this.userId }, undefined, false).catch(() => undefined);
      await Promise.all([...this.subscribers.values()].map((subscriber) => subscriber.close()));
      this.subscribers.clear();
      if (handle !== undefined) await janus.request({ janus: 'detach', handle_id: handle }).catch(() => undefined);
      await janus.request({ janus: 'destroy' }).catch(() => undefined);
    } finally {
      this.publisherPc?.close();
      this.publisherPc = undefined;
      this.publisherHandle = undefined;
      this.currentRoomId = undefined;
      janus.close();
      this.janus = undefined;
      this.localStream?.getTracks().forEach((track) => track.stop());
      this.localStream = undefined;
    }
  }

  private async enter(roomId: string, userId: number, display: string, asListener: boolean): Promise<void> {
    if (this.janus) throw new Error('Already joined a room; leave it first');
    const janus = new JanusConnection(this.settings.server, this.settings.token, this.settings.WebSocketImpl);
    this.janus = janus;
    janus.onEvent = (message) => this.handleEvent(message);
    janus.onClosed = () => this.on.onErrorListener?.(this, 'Lost connection to the server');
    try {
      await janus.open();
      await janus.createSession();
      this.publisherHandle = await janus.attach();
      const joined = await janus.message(this.publisherHandle, { request: 'join', room: roomId, ptype: 'publisher', id: userId, display });
      const data = joined.plugindata?.data as JanusMessage;
      if (data?.error_code) throw new Error(`${String(data.error_code)} ${String(data.error)}`);
      this.currentRoomId = roomId;
      this.userId = userId;
      this.display = display;
      await this.publish(asListener);
      for (const publisher of (data.publishers ?? []) as JanusMessage[]) this.addPublisher(publisher, true);
    } catch (error) {
      await this.leave().catch(() => undefined);
      throw error;
    }
  }

  /** Offers the local tracks (none for a listener) plus the data channel the SDK always opens. */
  private async publish(asListener: boolean): Promise<void> {
    const handle = this.publisher();
    const pc = new RTCPeerConnection({ iceServers: this.settings.iceServers });
    this.publisherPc = pc;
    pc.onicecandidate = (event) => this.connected().trickle(handle, event.candidate ? candidateOf(event.candidate) : { completed: true });
    pc.oniceconnectionstatechange = () => this.on.onSessionConnectionStateChangedListener?.(this, pc.iceConnectionState);
    const tracks = asListener ? [] : (this.localStream?.getTracks() ?? []);
    for (const track of tracks) pc.addTrack(track, this.localStream as MediaStream);
    pc.createDataChannel('JanusDataChannel', { ordered: true });
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    const audio = tracks.some((t) => t.kind === 'audio');
    const video = tracks.some((t) => t.kind === 'video');
    const configured = await this.connected().message(handle, { request: 'configure', audio, video }, { type: 'offer', sdp: offer.sdp ?? '' });
    const data = configured.plugindata?.data as JanusMessage;
    if (data?.error_code) throw new Error(`${String(data.error_code)} ${String(data.error)}`);
    if (!configured.jsep) throw new Error('the conference server sent no answer');
    await pc.setRemoteDescription(configured.jsep as RTCSessionDescriptionInit);
  }

  private addPublisher(publisher: JanusMessage, existing: boolean): void {
    const userId = Number(publisher.id);
    if (!Number.isFinite(userId) || userId === this.userId || this.subscribers.has(userId)) return;
    const display = String(publisher.display ?? '');
    this.on.onParticipantJoinedListener?.(this, userId, display, existing);
    const subscriber = new Subscriber(userId, this.connected(), this.settings.iceServers, {
      stream: (stream) => this.on.onRemoteStreamListener?.(this, userId, stream),
      track: (track, eventType) => this.on.onRemoteTracksUpdatedListener?.(this, userId, track, eventType),
      iceState: (state) => this.on.onRemoteConnectionStateChangedListener?.(this, userId, state),
    });
    this.subscribers.set(userId, subscriber);
    subscriber.start(this.currentRoomId as string, this.display).catch((error: unknown) => {
      this.subscribers.delete(userId);
      void subscriber.close();
      this.on.onErrorListener?.(this, error);
    });
  }

  private removePublisher(userId: number): void {
    const subscriber = this.subscribers.get(userId);
    if (!subscriber) return;
    this.subscribers.delete(userId);
    void subscriber.close();
    this.on.onParticipantLeftListener?.(this, userId);
  }

  private handleEvent(message: JanusMessage): void {
    if (message.janus === 'slowlink') {
      const sender = message.sender as number;
      const remote = [...this.subscribers.values()].find((s) => s.handleId === sender);
      this.on.onSlowLinkListener?.(this, remote?.userId ?? this.userId, Boolean(message.uplink), Number(message.lost ?? message.nacks ?? 0));
      return;
    }
    if (message.janus !== 'event') return;
    const data = message.plugindata?.data as JanusMessage | undefined;
    if (!data || data.videoroom === 'joined' || data.videoroom === 'attached') return;
    const fromPublisher = message.sender === this.publisherHandle;
    if (Array.isArray(data.publishers) && message.transaction === undefined) for (const p of data.publishers as JanusMessage[]) this.addPublisher(p, false);
    for (const key of ['leaving', 'unpublished'] as const) if (typeof data[key] === 'number') this.removePublisher(data[key] as number);
    if (fromPublisher && data.error_code && message.transaction === undefined) this.on.onErrorListener?.(this, data);
  }

  private useLocalStream(stream: MediaStream): MediaStream {
    const previous = this.localStream;
    if (!previous) {
      this.localStream = stream;
      return stream;
    }
    // Keep one stream object: swap its tracks (keeping the audio track's enabled state) and what is sent.
    for (const track of stream.getTracks()) {
      const old = previous.getTracks().find((t) => t.kind === track.kind);
      if (old) {
        if (track.kind === 'audio') track.enabled = old.enabled;
        previous.removeTrack(old);
        old.stop();
      }
      previous.addTrack(track);
      const sender = this.publisherPc?.getSenders().find((s) => s.track?.kind === track.kind || (s.track === null && old !== undefined));
      void sender?.replaceTrack(track);
    }
    return previous;
  }

  private setEnabled(kind: 'audio' | 'video', enabled: boolean): void {
    for (const track of this.localStream?.getTracks() ?? []) if (track.kind === kind) track.enabled = enabled;
  }

  private isMuted(kind: 'audio' | 'video'): boolean {
    const tracks = (this.localStream?.getTracks() ?? []).filter((t) => t.kind === kind);
    return tracks.length === 0 || tracks.every((t) => !t.enabled);
  }

  private connected(): JanusConnection {
    if (!this.janus) throw new Error('Not joined to a room');
    return this.janus;
  }

  private publisher(): number {
    if (this.publisherHandle === undefined) throw new Error('Not joined to a room');
    return this.publisherHandle;
  }
}
