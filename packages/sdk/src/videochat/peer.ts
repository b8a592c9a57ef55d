// One RTCPeerConnection of a call session: offer/answer, candidate batching, remote stream, bandwidth
// cap, reconnect timer. The session decides what to signal; this object only reports back.
import { CallType, PeerConnectionState, SessionConnectionState } from './enums.js';
import type { IceCandidateInit } from './signal-codec.js';

export interface PeerOwner {
  readonly callType: CallType;
  onLocalCandidates(peer: CallPeer, candidates: IceCandidateInit[]): void;
  onRemoteStream(peer: CallPeer, stream: MediaStream): void;
  onConnectionState(peer: CallPeer, state: SessionConnectionState): void;
  /** The peer stayed disconnected for `disconnectTimeInterval`. */
  onGone(peer: CallPeer): void;
}

const ICE_STATES: Partial<Record<RTCIceConnectionState, [PeerConnectionState, SessionConnectionState]>> = {
  checking: [PeerConnectionState.CHECKING, SessionConnectionState.CONNECTING],
  connected: [PeerConnectionState.CONNECTED, SessionConnectionState.CONNECTED],
  completed: [PeerConnectionState.COMPLETED, SessionConnectionState.COMPLETED],
  failed: [PeerConnectionState.FAILED, SessionConnectionState.FAILED],
  disconnected: [PeerConnectionState.DISCONNECTED, SessionConnectionState.DISCONNECTED],
  closed: [PeerConnectionState.CLOSED, SessionConnectionState.CLOSED],
};

export class CallPeer {
  /** The browser's RTCPeerConnection (named as in the official SDK). */
  readonly original: RTCPeerConnection;
  readonly remoteStream = new MediaStream();
  state = PeerConnectionState.NEW;
  released = false;
  /** The remote offer received before this side accepted. */
  remoteSdp = '';
  /** Dialing timer of an outgoing offer (`call` re-sent until answered). */
  dialingTimer: ReturnType<typeof setInterval> | undefined;
  private readonly pendingLocal: IceCandidateInit[] = [];
  private readonly pendingRemote: IceCandidateInit[] = [];
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private streamReported = false;

  constructor(
    private readonly owner: PeerOwner,
    readonly userID: number,
    /** `offer`: this side sends the offer (and may restart ICE); `answer`: it answers. */
    readonly type: 'offer' | 'answer',
    configuration: RTCConfiguration,
    private readonly disconnectTimeoutMs: number,
  ) {
    this.original = new RTCPeerConnection(configuration);
    this.original.addEventListener('track', this.onTrack);
    this.original.addEventListener('icecandidate', this.onIceCandidate);
    this.original.addEventListener('signalingstatechange', this.onSignalingState);
    this.original.addEventListener('iceconnectionstatechange', this.onIceConnectionState);
  }

  addStream(stream: MediaStream | undefined): void {
    for (const track of stream?.getTracks() ?? []) this.original.addTrack(track, stream!);
  }

  /** Creates and applies the local offer (or answer); returns its SDP. */
  async localDescription(maxBandwidthKbps: number, iceRestart = false): Promise<string> {
    this.state = PeerConnectionState.CONNECTING;
    const description = this.type === 'offer' ? await this.original.createOffer(iceRestart ? { iceRestart } : undefined) : await this.original.createAnswer();
    await this.original.setLocalDescription(description);
    await this.setMaxBandwidth(maxBandwidthKbps);
    return description.sdp ?? '';
  }

  async setRemote(type: 'offer' | 'answer', sdp: string): Promise<void> {
    await this.original.setRemoteDescription({ type, sdp });
    const queued = this.pendingRemote.splice(0);
    await this.addCandidates(queued);
  }

  /** Remote candidates; kept until the remote description is set (they may overtake the offer). */
  async addCandidates(candidates: IceCandidateInit[]): Promise<void> {
    if (!this.original.remoteDescription) {
      this.pendingRemote.push(...candidates);
      return;
    }
    for (const candidate of candidates) {
      if (!candidate.candidate) continue;
      try {
        await this.original.addIceCandidate({ candidate: candidate.candidate, sdpMid: candidate.sdpMid ?? null, sdpMLineIndex: candidate.sdpMLineIndex ?? 0 });
      } catch {
        // A candidate of an older ICE generation: nothing to do.
      }
    }
  }

  /** Caps the video bitrate of what this side sends (kbps; 0 = no cap). */
  async setMaxBandwidth(kbps: number): Promise<void> {
    const maxBitrate = kbps > 0 ? Math.round(kbps * 1000) : 0;
    for (const sender of this.original.getSenders()) {
      if (sender.track?.kind !== 'video') continue;
      const parameters = sender.getParameters();
      if (!parameters.encodings || parameters.encodings.length === 0) parameters.encodings = [{}];
      for (const encoding of parameters.encodings) {
        if (maxBitrate > 0) encoding.maxBitrate = maxBitrate;
        else delete encoding.maxBitrate;
      }
      await sender.setParameters(parameters).catch(() => undefined);
    }
  }

  /** Replaces the outgoing track of the same kind (device switch, screen sharing). */
  async replaceTrack(track: MediaStreamTrack): Promise<void> {
    const sender = this.original.getSenders().find((candidate) => candidate.track?.kind === track.kind);
    if (sender) await sender.replaceTrack(track);
  }

  clearDialing(): void {
    if (this.dialingTimer !== undefined) clearInterval(this.dialingTimer);
    this.dialingTimer = undefined;
  }

  get closed(): boolean {
    return this.released || this.original.signalingState === 'closed' || this.original.iceConnectionState === 'closed';
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.clearDialing();
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    this.original.removeEventListener('track', this.onTrack);
    this.original.removeEventListener('icecandidate', this.onIceCandidate);
    this.original.removeEventListener('signalingstatechange', this.onSignalingState);
    this.original.removeEventListener('iceconnectionstatechange', this.onIceConnectionState);
    this.original.close();
    this.state = PeerConnectionState.CLOSED;
  }

  private readonly onTrack = (event: RTCTrackEvent): void => {
    this.remoteStream.addTrack(event.track);
    const ready = this.owner.callType === CallType.AUDIO ? this.remoteStream.getAudioTracks().length > 0 : this.remoteStream.getVideoTracks().length > 0;
    if (ready && !this.streamReported) {
      this.streamReported = true;
      this.owner.onRemoteStream(this, this.remoteStream);
    }
  };

  /** Batched while the offer/answer exchange is under way, then one signal per candidate (as the official SDK). */
  private readonly onIceCandidate = (event: RTCPeerConnectionIceEvent): void => {
    if (!event.candidate) return;
    const { sdpMLineIndex, sdpMid, candidate } = event.candidate;
    const init = { sdpMLineIndex, sdpMid, candidate };
    if (this.original.signalingState === 'stable') this.owner.onLocalCandidates(this, [init]);
    else this.pendingLocal.push(init);
  };

  private readonly onSignalingState = (): void => {
    if (this.original.signalingState === 'stable' && this.pendingLocal.length > 0) this.owner.onLocalCandidates(this, this.pendingLocal.splice(0));
  };

  private readonly onIceConnectionState = (): void => {
    const mapped = ICE_STATES[this.original.iceConnectionState];
    if (!mapped) return;
    this.state = mapped[0];
    if (this.original.iceConnectionState === 'disconnected') {
      this.reconnectTimer ??= setTimeout(() => this.owner.onGone(this), this.disconnectTimeoutMs);
    } else if (this.reconnectTimer !== undefined) {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = undefined;
    }
    this.owner.onConnectionState(this, mapped[1]);
  };
}
