// A P2P call session (mesh of up to 4): the docs' session API and the signal handling behind it,
// wire-compatible with the official SDK 6.1.2 (same signals, same offer direction in group calls).
import { CallPeer, type PeerOwner } from './peer.js';
import type { CallType, MediaType, PeerConnectionState} from './enums.js';
import { CallSessionState, CallSignalType, type SessionConnectionState } from './enums.js';
import { attachMediaStream, detachMediaStream, type MediaElementOptions } from './media.js';
import type { IceCandidateInit, ReceivedSignal, SignalFields, UserInfo } from './signal-codec.js';
import { collectStats } from './stats.js';

export interface SessionHost {
  readonly currentUserID: number;
  timers(): { answerMs: number; dialingMs: number; disconnectMs: number; statsMs: number };
  rtcConfiguration(): Promise<RTCConfiguration>;
  send(userId: number, type: CallSignalType, fields: SignalFields): void;
  mediaDevices(): MediaDevices;
  notAnswered(session: CallSession, userId: number): void;
  remoteStream(session: CallSession, userId: number, stream: MediaStream): void;
  connectionState(session: CallSession, userId: number, state: SessionConnectionState): void;
  statsReport(session: CallSession, userId: number, stats: unknown, error?: Error): void;
  closed(session: CallSession): void;
}

export interface MediaParams extends MediaStreamConstraints {
  elementId?: string;
  options?: MediaElementOptions;
}

export class CallSession implements PeerOwner {
  state = CallSessionState.NEW;
  readonly peerConnections: Record<number, CallPeer> = {};
  localStream: MediaStream | undefined;
  mediaParams: MediaStreamConstraints = {};
  maxBandwidth: number;
  private answerTimer: ReturnType<typeof setTimeout> | undefined;
  private statsTimer: ReturnType<typeof setInterval> | undefined;
  private closeReported = false;

  constructor(
    private readonly host: SessionHost,
    readonly ID: string,
    readonly initiatorID: number,
    readonly opponentsIDs: number[],
    readonly callType: CallType,
    maxBandwidth = 0,
  ) {
    this.maxBandwidth = maxBandwidth;
  }

  get currentUserID(): number {
    return this.host.currentUserID;
  }

  // ── media ──

  async getUserMedia(params: MediaParams = { audio: true, video: true }): Promise<MediaStream> {
    const { elementId, options, ...constraints } = params;
    this.mediaParams = constraints;
    return this.useStream(await this.host.mediaDevices().getUserMedia(constraints), elementId, options);
  }

  /** Screen sharing: the display stream replaces the camera in every peer connection. */
  async getDisplayMedia(params: MediaParams = { video: true }): Promise<MediaStream> {
    const { elementId, options, ...constraints } = params;
    return this.useStream(await this.host.mediaDevices().getDisplayMedia(constraints), elementId, options);
  }

  /** Switches camera and/or microphone: `{video: deviceId}` or `{audio: {deviceId}}`. */
  async switchMediaTracks(devices: { audio?: string | MediaTrackConstraints; video?: string | MediaTrackConstraints } = {}): Promise<MediaStream> {
    const pick = (kind: 'audio' | 'video') => {
      const device = devices[kind];
      if (device === undefined) return this.mediaParams[kind] ?? false;
      return typeof device === 'string' ? { deviceId: { exact: device } } : device;
    };
    const stream = await this.host.mediaDevices().getUserMedia({ audio: pick('audio'), video: pick('video') });
    return this.useStream(stream);
  }

  attachMediaStream(elementId: string, stream: MediaStream, options?: MediaElementOptions): void {
    attachMediaStream(elementId, stream, options);
  }

  detachMediaStream(elementId: string, options?: MediaElementOptions): void {
    detachMediaStream(elementId, options);
  }

  mute(type: MediaType | 'audio' | 'video'): void {
    this.setEnabled(type, false);
  }

  unmute(type: MediaType | 'audio' | 'video'): void {
    this.setEnabled(type, true);
  }

  /** Caps what this user sends to everyone (kbps; 0 removes the cap). */
  async setMaxBandwidth(kbps: number): Promise<void> {
    this.maxBandwidth = kbps;
    await Promise.all(Object.values(this.peerConnections).map((peer) => peer.setMaxBandwidth(kbps)));
  }

  connectionStateForUser(userId: number): PeerConnectionState | null {
    return this.peerConnections[userId]?.state ?? null;
  }

  // ── call flow ──

  /** Caller: offers to every opponent, re-sending `call` until answered or `answerTimeInterval` passed. */
  call(extension: UserInfo = {}, callback?: (error: Error | null) => void): void {
    this.state = CallSessionState.ACTIVE;
    if (typeof extension.maxBandwidth === 'number') this.maxBandwidth = extension.maxBandwidth;
    const userInfo = { ...extension };
    Promise.all(this.opponentsIDs.map((userId) => this.offerTo(userId, userInfo))).then(
      () => callback?.(null),
      (error: unknown) => callback?.(error instanceof Error ? error : new Error(String(error))),
    );
  }

  /** Callee: answers the initiator and, in a group call, offers to (or answers) the other callees. */
  async accept(extension: UserInfo = {}): Promise<void> {
    if (this.state === CallSessionState.ACTIVE) return;
    if (this.state === CallSessionState.CLOSED) return;
    this.state = CallSessionState.ACTIVE;
    this.clearAnswerTimer();
    const others = this.opponentsIDs.filter((userId) => userId !== this.currentUserID);
    const work: Promise<void>[] = [this.answer(this.initiatorID, extension)];
    for (const userId of others) {
      // The official rule: the higher id offers to the lower; offers already received are answered now.
      if (this.currentUserID > userId) work.push(this.offerTo(userId, extension));
      else if (this.peerConnections[userId]?.remoteSdp) work.push(this.answer(userId, extension));
    }
    await Promise.all(work);
  }

  /** Declines: `reject` to every peer of the session (works inside `onCallListener`), then closes. */
  reject(extension: UserInfo = {}): void {
    this.state = CallSessionState.REJECTED;
    this.clearAnswerTimer();
    for (const userId of this.peerIds()) this.host.send(userId, CallSignalType.REJECT, this.fields({ userInfo: extension }));
    this.close();
  }

  /** Hangs up: `hangUp` to every peer, then closes. */
  stop(extension: UserInfo = {}): void {
    this.state = CallSessionState.STOPPED;
    this.clearAnswerTimer();
    for (const userId of this.peerIds()) this.host.send(userId, CallSignalType.STOP, this.fields({ userInfo: extension }));
    this.close();
  }

  /** Sends app data to the peers (`update` signal; `onUpdateCallListener` on Parley SDK peers). */
  update(extension: UserInfo = {}, userId?: number): void {
    for (const id of userId === undefined ? this.peerIds() : [userId]) this.host.send(id, CallSignalType.UPDATE, this.fields({ userInfo: extension }));
  }

  canInitiateIceRestart(userId: number): boolean {
    return this.peerConnections[userId]?.type === 'offer';
  }

  /** ICE restart towards one peer (the docs' network-change recipe); only the offering side may. */
  async iceRestart(userId: number): Promise<void> {
    const peer = this.peerConnections[userId];
    if (!peer || peer.type !== 'offer') return;
    const sdp = await peer.localDescription(this.maxBandwidth, true);
    this.host.send(userId, CallSignalType.RESTART, { sessionID: this.ID, sdp });
  }

  // ── incoming signals (called by the client) ──

  async onSignal(userId: number, signal: ReceivedSignal): Promise<void> {
    const peer = this.peerConnections[userId];
    switch (signal.signalType) {
      case CallSignalType.CALL:
        return this.onCall(userId, signal);
      case CallSignalType.ACCEPT:
        if (!peer || peer.type !== 'offer') return;
        peer.clearDialing();
        return peer.setRemote('answer', signal.sdp);
      case CallSignalType.REJECT:
      case CallSignalType.STOP:
        return this.onPeerLeft(userId);
      case CallSignalType.CANDIDATE:
        return peer?.addCandidates(signal.iceCandidates);
      case CallSignalType.RESTART:
        if (!peer) return;
        await peer.setRemote('offer', signal.sdp);
        this.host.send(userId, CallSignalType.RESTART_ACCEPT, { sessionID: this.ID, sdp: await peer.localDescription(this.maxBandwidth) });
        return;
      case CallSignalType.RESTART_ACCEPT:
        return peer?.setRemote('answer', signal.sdp);
    }
  }

  /** Records the offer; in a group call already accepted, a callee's offer is answered at once. */
  private async onCall(userId: number, signal: ReceivedSignal): Promise<void> {
    const existing = this.peerConnections[userId];
    if (existing) {
      if (existing.type !== 'answer' || existing.original.remoteDescription) return;
      existing.remoteSdp = signal.sdp;
    } else {
      const peer = await this.newPeer(userId, 'answer');
      peer.remoteSdp = signal.sdp;
      if (userId === this.initiatorID && this.state === CallSessionState.NEW) this.startAnswerTimer();
    }
    if (this.state === CallSessionState.ACTIVE && userId !== this.initiatorID) await this.answer(userId, {});
  }

  private onPeerLeft(userId: number): void {
    this.clearAnswerTimer();
    // The initiator hanging up ends the call for everyone (official behaviour).
    const gone = userId === this.initiatorID ? Object.values(this.peerConnections) : [this.peerConnections[userId]];
    for (const peer of gone) peer?.release();
    this.closeIfAllClosed();
  }

  // ── plumbing ──

  /** The peers that get session-wide signals: those with a connection, or the initiator we were called by. */
  private peerIds(): number[] {
    const ids = Object.keys(this.peerConnections).map(Number);
    if (ids.length === 0 && this.initiatorID !== this.currentUserID) ids.push(this.initiatorID);
    return ids;
  }

  private fields(extra: Partial<SignalFields>): SignalFields {
    return { ...extra, sessionID: this.ID, callType: this.callType, callerID: this.initiatorID, opponentsIDs: this.opponentsIDs };
  }

  private async newPeer(userId: number, type: 'offer' | 'answer'): Promise<CallPeer> {
    const configuration = await this.host.rtcConfiguration();
    const existing = this.peerConnections[userId];
    if (existing && !existing.released) return existing;
    const peer = new CallPeer(this, userId, type, configuration, this.host.timers().disconnectMs);
    this.peerConnections[userId] = peer;
    return peer;
  }

  private async offerTo(userId: number, userInfo: UserInfo): Promise<void> {
    const peer = await this.newPeer(userId, 'offer');
    peer.addStream(this.localStream);
    const sdp = await peer.localDescription(this.maxBandwidth);
    const { answerMs, dialingMs } = this.host.timers();
    let waited = 0;
    const dial = () => {
      if (waited >= answerMs) {
        peer.clearDialing();
        peer.release();
        this.host.notAnswered(this, userId);
        this.closeIfAllClosed();
        return;
      }
      this.host.send(userId, CallSignalType.CALL, this.fields({ userInfo, sdp }));
      waited += dialingMs;
    };
    dial();
    peer.dialingTimer = setInterval(dial, dialingMs);
  }

  private async answer(userId: number, userInfo: UserInfo): Promise<void> {
    const peer = this.peerConnections[userId];
    if (!peer?.remoteSdp || peer.original.remoteDescription) return;
    peer.addStream(this.localStream);
    await peer.setRemote('offer', peer.remoteSdp);
    const sdp = await peer.localDescription(this.maxBandwidth);
    this.host.send(userId, CallSignalType.ACCEPT, this.fields({ userInfo, sdp }));
  }

  /** Makes `stream` the local media; settles once every peer connection sends the new tracks. */
  private async useStream(stream: MediaStream, elementId?: string, options?: MediaElementOptions): Promise<MediaStream> {
    const replacements: Promise<unknown>[] = [];
    if (!this.localStream) {
      this.localStream = stream;
    } else {
      const current = this.localStream;
      for (const track of stream.getTracks()) {
        const old = current.getTracks().filter((candidate) => candidate.kind === track.kind);
        // Muted stays muted across a device switch or screen share.
        track.enabled = old.every((candidate) => candidate.enabled);
        for (const previous of old) {
          previous.stop();
          current.removeTrack(previous);
        }
        current.addTrack(track);
        for (const peer of Object.values(this.peerConnections)) replacements.push(peer.replaceTrack(track));
      }
    }
    if (elementId) attachMediaStream(elementId, this.localStream, options);
    await Promise.all(replacements);
    return this.localStream;
  }

  private setEnabled(type: string, enabled: boolean): void {
    const tracks = type === 'audio' ? this.localStream?.getAudioTracks() : type === 'video' ? this.localStream?.getVideoTracks() : [];
    for (const track of tracks ?? []) track.enabled = enabled;
  }

  private startAnswerTimer(): void {
    this.answerTimer = setTimeout(() => {
      this.answerTimer = undefined;
      this.close();
    }, this.host.timers().answerMs);
  }

  private clearAnswerTimer(): void {
    if (this.answerTimer !== undefined) clearTimeout(this.answerTimer);
    this.answerTimer = undefined;
  }

  private closeIfAllClosed(): void {
    if (Object.values(this.peerConnections).every((peer) => peer.closed)) this.close();
  }

  private close(): void {
    for (const peer of Object.values(this.peerConnections)) peer.release();
    this.clearAnswerTimer();
    if (this.statsTimer !== undefined) clearInterval(this.statsTimer);
    for (const track of this.localStream?.getTracks() ?? []) track.stop();
    this.localStream = undefined;
    this.state = CallSessionState.CLOSED;
    if (!this.closeReported) {
      this.closeReported = true;
      this.host.closed(this);
    }
  }

  // ── PeerOwner ──

  onLocalCandidates(peer: CallPeer, candidates: IceCandidateInit[]): void {
    this.host.send(peer.userID, CallSignalType.CANDIDATE, this.fields({ iceCandidates: candidates }));
  }

  onRemoteStream(peer: CallPeer, stream: MediaStream): void {
    this.host.remoteStream(this, peer.userID, stream);
    this.startStats();
  }

  onConnectionState(peer: CallPeer, state: SessionConnectionState): void {
    this.host.connectionState(this, peer.userID, state);
  }

  onGone(peer: CallPeer): void {
    peer.release();
    this.closeIfAllClosed();
  }

  /** `onCallStatsReport` every `statsReportTimeInterval` seconds, when set. */
  private startStats(): void {
    const { statsMs } = this.host.timers();
    if (statsMs <= 0 || this.statsTimer !== undefined) return;
    this.statsTimer = setInterval(() => {
      for (const peer of Object.values(this.peerConnections)) {
        if (peer.released) continue;
        collectStats(peer.original).then(
          (stats) => this.host.statsReport(this, peer.userID, stats),
          (error: unknown) => this.host.statsReport(this, peer.userID, null, error instanceof Error ? error : new Error(String(error))),
        );
      }
    }, statsMs);
  }

  toString(): string {
    return `ID: ${this.ID}, initiatorID: ${this.initiatorID}, opponentsIDs: ${this.opponentsIDs.join(',')}, state: ${this.state}, callType: ${this.callType}`;
  }
}
