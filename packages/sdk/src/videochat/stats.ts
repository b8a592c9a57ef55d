// The `onCallStatsReport` payload: the official SDK's shape (local/remote × audio/video/candidate).

type Section = { audio: Record<string, unknown>; video: Record<string, unknown>; candidate: Record<string, unknown> };

export interface CallStats {
  local: Section;
  remote: Section;
  /** Type of the selected local candidate (`host`, `srflx`, `relay`), a Parley addition. */
  candidateType?: string;
}

const section = (): Section => ({ audio: {}, video: {}, candidate: {} });

export async function collectStats(pc: RTCPeerConnection): Promise<CallStats> {
  const report = await pc.getStats();
  const stats: CallStats = { local: section(), remote: section() };
  const byId = new Map<string, Record<string, unknown>>();
  let pairId: string | undefined;
  report.forEach((raw: Record<string, unknown>) => {
    byId.set(String(raw.id), raw);
    const kind = raw.kind === 'audio' || raw.mediaType === 'audio' ? 'audio' : 'video';
    if (raw.type === 'inbound-rtp') {
      Object.assign(stats.remote[kind], { bytesReceived: raw.bytesReceived, packetsReceived: raw.packetsReceived, timestamp: raw.timestamp, framesPerSecond: raw.framesPerSecond, frameWidth: raw.frameWidth, frameHeight: raw.frameHeight });
    } else if (raw.type === 'outbound-rtp') {
      Object.assign(stats.local[kind], { bytesSent: raw.bytesSent, packetsSent: raw.packetsSent, timestamp: raw.timestamp, framesPerSecond: raw.framesPerSecond, frameWidth: raw.frameWidth, frameHeight: raw.frameHeight });
    } else if (raw.type === 'transport' && typeof raw.selectedCandidatePairId === 'string') {
      pairId = raw.selectedCandidatePairId;
    }
  });
  const pair = pairId ? byId.get(pairId) : undefined;
  const local = pair ? byId.get(String(pair.localCandidateId)) : undefined;
  const remote = pair ? byId.get(String(pair.remoteCandidateId)) : undefined;
  if (local) Object.assign(stats.local.candidate, { protocol: local.protocol, ip: local.address ?? local.ip, port: local.port, type: local.candidateType });
  if (remote) Object.assign(stats.remote.candidate, { protocol: remote.protocol, ip: remote.address ?? remote.ip, port: remote.port, type: remote.candidateType });
  if (local) stats.candidateType = String(local.candidateType);
  return stats;
}
