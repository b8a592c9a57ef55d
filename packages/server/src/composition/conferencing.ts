import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createJanusPpRecConverter } from '../adapters/recordings-janus-pp-rec/index.js';
import { createJanusSfu, startManagedJanus, type ManagedJanus } from '../adapters/sfu-janus/index.js';
import { attachConferenceGateway, CONFERENCE_PATH, type ConferenceGateway } from '../conference/gateway.js';
import type { Config } from '../config/index.js';
import { RecordingService } from '../domain/conference/recordings.js';
import { ConferenceService } from '../domain/conference/service.js';
import type { Clock } from '../domain/shared/actor.js';
import type { Logger } from '../ops/logging.js';
import type { Sfu } from '../ports/sfu.js';
import type { Store } from '../ports/store.js';
import type { Services } from './services.js';

/** Conferencing as wired: the SFU, the domain service, the gateway and (managed) the Janus process. */
export interface Conferencing {
  readonly sfu: Sfu;
  readonly service: ConferenceService;
  readonly recordings: RecordingService;
  readonly gateway: ConferenceGateway;
  /** Path of the gateway on the HTTP port (`conference.server` = ws(s)://host:port + path). */
  readonly path: string;
  readonly janus: ManagedJanus | undefined;
  close(): Promise<void>;
}

/** Empty rooms are destroyed after this long (realtime.md §13.7). */
const IDLE_ROOM_MS = 10 * 60 * 1000;
const ROOM_SWEEP_INTERVAL_MS = 60 * 1000;

/** Starts the SFU (managed Janus or an external one) and the gateway, or nothing when conferencing is off. */
export async function startConferencing(config: Config, services: Services, store: Store, http: FastifyInstance, logger: Logger, clock: Clock): Promise<Conferencing | undefined> {
  const mode = config.conference === 'off' && config.janusUrl !== '' ? 'external' : config.conference;
  if (mode === 'off') return undefined;
  const secret = (given: string) => (given !== '' ? given : randomBytes(24).toString('hex'));
  const apiSecret = mode === 'managed' ? secret(config.janusApiSecret) : config.janusApiSecret;
  const adminKey = mode === 'managed' ? secret(config.janusAdminKey) : config.janusAdminKey;
  if (mode === 'external' && config.janusUrl === '') throw new Error('PARLEY_CONFERENCE=external needs PARLEY_JANUS_URL');
  const janus =
    mode === 'managed'
      ? await startManagedJanus(
          config.janusBin,
          {
            folder: path.join(config.dataDir, 'janus'),
            libDir: config.janusPluginsDir,
            apiSecret,
            adminKey,
            rtpPorts: config.janusRtpPorts,
            publicIp: config.janusPublicIp,
            iceInterfaces: config.janusIceInterfaces,
          },
          logger,
        )
      : undefined;
  const sfu = createJanusSfu({ url: janus?.url ?? config.janusUrl, apiSecret, adminKey, recordingsRoot: path.join(config.dataDir, 'recordings') });
  const service = new ConferenceService(services.sessions, services.meetings, sfu, clock, { publishers: config.conferencePublishers, idleRoomMs: IDLE_ROOM_MS });
  janus?.onRestart(() => service.forgetRooms());
  const recordings = new RecordingService(
    store,
    services.blobs,
    createJanusPpRecConverter({ ppRec: config.janusPpRecBin, ffmpeg: config.ffmpegBin }),
    clock,
    logger,
  );
  service.onRoomEnded(recordings);
  const gateway = attachConferenceGateway(http.server, service, sfu.relay, logger);
  const sweeper = setInterval(() => void service.sweepIdleRooms().catch((error: unknown) => logger.warn({ err: error }, 'conference room sweep failed')), ROOM_SWEEP_INTERVAL_MS);
  sweeper.unref();
  logger.info({ mode, janus: janus?.url ?? config.janusUrl }, 'conferencing on');
  return {
    sfu,
    service,
    recordings,
    gateway,
    path: CONFERENCE_PATH,
    janus,
    async close() {
      clearInterval(sweeper);
      gateway.close();
      await sfu.close();
      await janus?.stop();
    },
  };
}
