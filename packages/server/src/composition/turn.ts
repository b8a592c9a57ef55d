import path from 'node:path';
import { isExecutable, startCoturn } from '../adapters/turn-coturn/index.js';
import { ConfigError, type Config } from '../config/index.js';
import { createLogger, type Logger } from '../ops/logging.js';

/** TURN as configured for an external coturn (`parley serve` overrides it with the coturn it manages). */
export function configuredTurn(config: Config): { urls: string[]; secret: string } {
  if (config.turn !== 'external') return { urls: [], secret: '' };
  return { urls: splitUrls(config.turnUrls), secret: config.turnSecret };
}

export function splitUrls(text: string): string[] {
  return text.split(',').map((url) => url.trim()).filter((url) => url !== '');
}

export interface TurnRelay {
  /** What clients get; undefined = no TURN (calls use host and STUN candidates). */
  turn?: { urls: string[]; secret: string };
  /** One start-up line saying which TURN is in force. */
  summary: string;
  stop(): Promise<void>;
}

/**
 * The TURN relay of `parley serve` (PARLEY_TURN): starts coturn with a private config under the data
 * folder when managed (or auto with coturn installed), points at an external one, or runs without.
 */
export async function startTurnRelay(config: Config, logger: Logger = createLogger('silent'), options: { allowLoopbackPeers?: boolean } = {}): Promise<TurnRelay> {
  const none = async () => {};
  if (config.turn === 'off') return { summary: 'TURN: off (PARLEY_TURN=off); calls use host and STUN candidates only', stop: none };
  if (config.turn === 'external') {
    const turn = configuredTurn(config);
    if (turn.urls.length === 0 || turn.secret === '') throw new ConfigError('PARLEY_TURN=external needs PARLEY_TURN_URLS and PARLEY_TURN_SECRET');
    return { turn, summary: `TURN: external ${turn.urls.join(', ')}`, stop: none };
  }
  if (!(await isExecutable(config.turnBinary))) {
    const message = `coturn not found at ${config.turnBinary} (install the Debian package coturn)`;
    if (config.turn === 'managed') throw new ConfigError(`PARLEY_TURN=managed: ${message}`);
    return { summary: `TURN: off, ${message}; calls use host and STUN candidates only`, stop: none };
  }
  if (config.turnRelayMinPort > config.turnRelayMaxPort) throw new ConfigError('PARLEY_TURN_RELAY_MIN_PORT must not exceed PARLEY_TURN_RELAY_MAX_PORT');
  let coturn: Awaited<ReturnType<typeof startCoturn>>;
  try {
    coturn = await startCoturn({
      binary: config.turnBinary,
      dir: path.join(config.dataDir, 'turn'),
      listenHost: config.turnListenHost,
      publicHost: config.turnPublicHost,
      port: config.turnPort,
      relayMinPort: config.turnRelayMinPort,
      relayMaxPort: config.turnRelayMaxPort,
      realm: config.turnRealm,
      secret: config.turnSecret,
      allowLoopbackPeers: options.allowLoopbackPeers,
      log: (line) => logger.debug({ coturn: line }, 'coturn'),
    });
  } catch (error) {
    // Asked for explicitly: fail. In auto mode the server still starts, without TURN.
    if (config.turn === 'managed') throw error;
    logger.warn({ err: error }, 'coturn did not start');
    return { summary: `TURN: off, coturn did not start (${(error as Error).message}); calls use host and STUN candidates only`, stop: none };
  }
  const urls = config.turnUrls === '' ? coturn.urls : splitUrls(config.turnUrls);
  return {
    turn: { urls, secret: coturn.secret },
    summary: `TURN: managed coturn on ${config.turnListenHost}:${config.turnPort} (relay ports ${config.turnRelayMinPort}-${config.turnRelayMaxPort}), clients get ${urls.join(', ')}`,
    stop: () => coturn.stop(),
  };
}
