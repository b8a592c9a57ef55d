/* global window, document, ConnectyCube */
// Drives one user's page through the seed's "Make first call" and "Video Calling" snippets with whichever
// SDK the page loaded as the global `ConnectyCube` (the official browser bundle or @parley/sdk's). The test
// calls these functions with page.evaluate and reads `T.events`.
(function () {
  const T = { events: [], session: undefined, remoteStreams: {}, iceServers: [], user: undefined };
  window.T = T;
  const record = (name, detail = {}) => T.events.push({ name, at: Date.now(), ...detail });

  /** Step 1 of the docs: init with Parley's endpoints; `iceServers` is filled after login (useServerTurn). */
  T.init = function (options) {
    const config = {
      debug: { mode: 0 },
      endpoints: { api_url: options.apiUrl, chat: options.chatDomain, chat_url: options.wsUrl },
      videochat: { ...options.videochat },
    };
    // The official SDK takes ICE servers only from its config; @parley/sdk fetches Parley's TURN itself.
    if (options.sdk === 'official') config.videochat.iceServers = T.iceServers;
    ConnectyCube.init({ appId: options.appId, authKey: options.authKey }, config);
    const vc = ConnectyCube.videochat;
    vc.onCallListener = (session, extension) => {
      T.session = session;
      record('call', { sessionId: session.ID, initiatorID: session.initiatorID, extension });
      if (T.autoReject) session.reject({ busy: true });
      if (T.autoAccept) T.accept();
    };
    vc.onAcceptCallListener = (session, userId, extension) => record('accept', { userId, extension });
    vc.onRejectCallListener = (session, userId, extension) => record('reject', { userId, extension });
    vc.onStopCallListener = (session, userId, extension) => record('stop', { userId, extension });
    vc.onUserNotAnswerListener = (session, userId) => record('not-answer', { userId });
    vc.onRemoteStreamListener = (session, userId, stream) => {
      T.remoteStreams[userId] = stream;
      const video = document.createElement('video');
      video.id = `remote-${userId}`;
      video.autoplay = true;
      video.muted = true;
      document.body.appendChild(video);
      session.attachMediaStream(video.id, stream);
      record('remote-stream', { userId });
    };
    vc.onSessionConnectionStateChangedListener = (session, userId, state) => record('connection-state', { userId, state });
    vc.onSessionCloseListener = (session) => record('close', { sessionId: session.ID });
    vc.onUpdateCallListener = (session, userId, extension) => record('update', { userId, extension });
    vc.onCallStatsReport = (session, userId, stats, error) => {
      if (T.events.filter((event) => event.name === 'stats').length < 20) record('stats', { userId, candidateType: stats?.candidateType ?? stats?.local?.candidate?.type, error: error ? String(error) : undefined });
    };
  };

  /** Steps 2–3: a user session and the chat connection (the call signalling transport). */
  T.login = async function (login, password) {
    const session = await ConnectyCube.createSession({ login, password });
    T.user = { id: session.user.id, token: session.token };
    await ConnectyCube.chat.connect({ userId: session.user.id, password: session.token });
    return session.user.id;
  };

  /**
   * How an official-SDK app uses Parley's TURN (README, "Calls"): the array passed as
   * `videochat.iceServers` at init is filled in place with the credentials route's `iceServers`.
   */
  T.useServerTurn = async function (apiUrl) {
    const response = await fetch(`${apiUrl}/calls/turn_credentials.json`, { headers: { 'CB-Token': T.user.token } });
    const body = await response.json();
    T.iceServers.splice(0, T.iceServers.length, ...body.iceServers);
    return body;
  };

  /** Steps 4–6: session, local media, call. */
  T.call = async function (opponents, options = {}) {
    const type = options.audioOnly ? ConnectyCube.videochat.CallType.AUDIO : ConnectyCube.videochat.CallType.VIDEO;
    const session = ConnectyCube.videochat.createNewSession(opponents, type, options.additional ?? {});
    T.session = session;
    await session.getUserMedia({ audio: true, video: !options.audioOnly });
    session.call(options.extension ?? {});
    return session.ID;
  };

  T.accept = async function (extension = {}) {
    const session = T.session;
    await session.getUserMedia({ audio: true, video: session.callType !== ConnectyCube.videochat.CallType.AUDIO });
    session.accept(extension);
  };

  T.reject = (extension = {}) => T.session.reject(extension);
  T.stop = (extension = {}) => T.session.stop(extension);

  T.rejectOverRest = (sessionID, recipientId) => ConnectyCube.videochat.callRejectRequest({ sessionID, recipientId, platform: 'web', userInfo: { busy: true } });

  /** In-call controls of the "Video Calling" chapter. */
  T.mute = (kind) => T.session.mute(kind);
  T.unmute = (kind) => T.session.unmute(kind);
  T.setMaxBandwidth = (kbps) => T.session.setMaxBandwidth(kbps);
  T.update = (extension) => T.session.update(extension);
  T.switchCamera = async function () {
    const cameras = await ConnectyCube.videochat.getMediaDevices('videoinput');
    await T.session.switchMediaTracks({ video: cameras[cameras.length - 1].deviceId });
    return cameras.length;
  };
  T.shareScreen = async function () {
    const stream = await T.session.getDisplayMedia({ video: { width: 640, height: 360, frameRate: { ideal: 10, max: 15 } }, audio: false });
    return stream.getVideoTracks().map((track) => track.label);
  };
  T.iceRestart = async function (userId) {
    const pc = peerConnection(userId);
    const ufrag = () => /a=ice-ufrag:(\S+)/.exec(pc.localDescription.sdp)?.[1];
    const before = ufrag();
    if (!T.session.canInitiateIceRestart(userId)) return { restarted: false };
    await T.session.iceRestart(userId);
    return { restarted: true, before, after: ufrag() };
  };
  /** What this side sends to `userId`: the sender's track and its bitrate cap. */
  T.sender = function (userId, kind) {
    const sender = peerConnection(userId)?.getSenders().find((candidate) => candidate.track?.kind === kind);
    if (!sender) return undefined;
    return { trackId: sender.track.id, enabled: sender.track.enabled, label: sender.track.label, maxBitrate: sender.getParameters().encodings?.[0]?.maxBitrate };
  };

  T.has = (name, userId) => T.events.some((event) => event.name === name && (userId === undefined || event.userId === userId));

  function peerConnection(userId) {
    const peer = T.session?.peerConnections?.[userId];
    if (!peer) return undefined;
    return peer.original ?? peer.rtc ?? peer;
  }

  /** Inbound bytes from one peer and the type of the selected local candidate (host, srflx, relay). */
  T.stats = async function (userId) {
    const pc = peerConnection(userId);
    if (!pc) return { bytesReceived: 0, candidateType: undefined };
    const report = await pc.getStats();
    let bytesReceived = 0;
    let pairId;
    const byId = new Map();
    report.forEach((stat) => {
      byId.set(stat.id, stat);
      if (stat.type === 'inbound-rtp') bytesReceived += stat.bytesReceived ?? 0;
      if (stat.type === 'transport' && stat.selectedCandidatePairId) pairId = stat.selectedCandidatePairId;
    });
    const pair = pairId ? byId.get(pairId) : undefined;
    const local = pair ? byId.get(pair.localCandidateId) : undefined;
    const remote = pair ? byId.get(pair.remoteCandidateId) : undefined;
    return { bytesReceived, candidateType: local?.candidateType, remoteCandidateType: remote?.candidateType };
  };

  /** Media flowing from `userId`: inbound bytes now and `ms` later, with the selected candidate pair. */
  T.flow = async function (userId, ms) {
    const before = await T.stats(userId);
    await new Promise((resolve) => setTimeout(resolve, ms));
    const after = await T.stats(userId);
    return { before: before.bytesReceived, after: after.bytesReceived, candidateType: after.candidateType, remoteCandidateType: after.remoteCandidateType };
  };
})();
