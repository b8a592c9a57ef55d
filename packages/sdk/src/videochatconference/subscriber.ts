// One remote publisher received by a session: its own handle and peer connection (legacy
// single-`feed` subscription, as SDK 6.1.2 does it), plus bitrate and microphone level from stats.
import { candidateOf, type JanusConnection, type JanusMessage } from './janus-connection.js';

export interface SubscriberEvents {
  stream(stream: MediaStream): void;
  track(track: MediaStreamTrack, eventType: 'added' | 'removed'): void;
  iceState(state: RTCIceConnectionState): void;
}

const STATS_INTERVAL_MS = 1000;

export class Subscriber {
  readonly stream = new MediaStream();
  handleId: number | undefined;
  private pc: RTCPeerConnection | undefined;
  private statsTimer: ReturnType<typeof setInterval> | undefined;
  private lastBytes: { bytes: number; at: number } | undefined;
  bitrateKbps = 0;
  audioLevel = 0;

  constructor(
    readonly userId: number,
    private readonly janus: JanusConnection,
    private readonly iceServers: RTCIceServer[],
    private readonly events: SubscriberEvents,
  ) {}

  async start(room: string, display: string): Promise<void> {
    this.handleId = await this.janus.attach();
    const handleId = this.handleId;
    const attached = await this.janus.message(handleId, { request: 'join', room, ptype: 'listener', feed: this.userId, display });
    const data = attached.plugindata?.data as JanusMessage | undefined;
    if (data?.error_code) throw new Error(`${String(data.error_code)} ${String(data.error)}`);
    if (!attached.jsep) throw new Error('the conference server sent no offer');
    const pc = new RTCPeerConnection({ iceServers: this.iceServers });
    this.pc = pc;
    pc.onicecandidate = (event) => this.janus.trickle(handleId, event.candidate ? candidateOf(event.candidate) : { completed: true });
    pc.oniceconnectionstatechange = () => this.events.iceState(pc.iceConnectionState);
    pc.ontrack = (event) => {
      this.stream.addTrack(event.track);
      this.events.track(event.track, 'added');
      event.track.onended = () => {
        this.stream.removeTrack(event.track);
        this.events.track(event.track, 'removed');
      };
      this.events.stream(this.stream);
    };
    await pc.setRemoteDescription(attached.jsep as RTCSessionDescriptionInit);
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    await this.janus.message(handleId, { request: 'start', room }, { type: 'answer', sdp: answer.sdp ?? '' });
    this.statsTimer = setInterval(() => void this.sample(), STATS_INTERVAL_MS);
  }

  /** Kbit/s of the received video over the last second, and the received audio level. */
  private async sample(): Promise<void> {
    if (!this.pc) return;
    const stats = await this.pc.getStats();
    let bytes = 0;
    stats.forEach((report: RTCStats & { kind?: string; bytesReceived?: number; audioLevel?: number }) => {
      if (report.type !== 'inbound-rtp') return;
      if (report.kind === 'video') bytes += report.bytesReceived ?? 0;
      if (report.kind === 'audio' && typeof report.audioLevel === 'number') this.audioLevel = report.audioLevel;
    });
    const now = Date.now();
    if (this.lastBytes) this.bitrateKbps = Math.max(0, Math.round(((bytes - this.lastBytes.bytes) * 8) / (now - this.lastBytes.at)));
    this.lastBytes = { bytes, at: now };
  }

  async close(): Promise<void> {
    if (this.statsTimer !== undefined) clearInterval(this.statsTimer);
    this.pc?.close();
    this.pc = undefined;
    if (this.handleId !== undefined) await this.janus.request({ janus: 'detach', handle_id: this.handleId }).catch(() => undefined);
  }
}
