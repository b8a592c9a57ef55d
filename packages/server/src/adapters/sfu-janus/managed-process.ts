import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { WebSocket } from 'ws';
import { writeManagedJanusConfig, type ManagedJanusSettings } from './managed-config.js';

export interface ManagedJanusLog {
  info(data: object, message: string): void;
  warn(data: object, message: string): void;
  debug(data: object, message: string): void;
}

export interface ManagedJanus {
  /** `ws://127.0.0.1:<port>` */
  readonly url: string;
  /** Process id of the running janus (changes after a restart). */
  readonly pid: number | undefined;
  /** Resolves when Janus answers on its WebSocket (after a start or restart). */
  ready(): Promise<void>;
  /** Called after Janus came back from a crash (rooms are gone and must be recreated on demand). */
  onRestart(listener: () => void): void;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 20_000;
const RESTART_DELAY_MS = 1000;

/** A free TCP port of 127.0.0.1 (for Janus's WebSocket when none is configured). */
export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Whether something answers the Janus WebSocket subprotocol at `url`. */
function probe(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, 'janus-protocol');
    const done = (ok: boolean) => {
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.terminate();
      resolve(ok);
    };
    ws.once('open', () => done(true));
    ws.once('error', () => done(false));
  });
}

/**
 * Runs the `janus` binary as a child process with a private configuration, restarting it when it
 * dies (until `stop`). Output goes to the log at debug level.
 */
export async function startManagedJanus(binary: string, settings: Omit<ManagedJanusSettings, 'wsPort'> & { wsPort?: number }, log: ManagedJanusLog): Promise<ManagedJanus> {
  const wsPort = settings.wsPort && settings.wsPort > 0 ? settings.wsPort : await freeLoopbackPort();
  const configFile = await writeManagedJanusConfig({ ...settings, wsPort });
  const url = `ws://127.0.0.1:${wsPort}`;
  let child: ChildProcess | undefined;
  let stopping = false;
  let readiness: Promise<void> = Promise.resolve();
  const restartListeners: (() => void)[] = [];

  const waitReady = async (): Promise<void> => {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!stopping) {
      if (await probe(url)) return;
      if (Date.now() > deadline) throw new Error(`janus did not answer on ${url} within ${READY_TIMEOUT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  const launch = (): void => {
    const spawned = spawn(binary, ['-C', configFile, '-F', settings.folder, '-o'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = spawned;
    const relay = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') log.debug({ janus: line }, 'janus');
    };
    spawned.stdout?.on('data', relay);
    spawned.stderr?.on('data', relay);
    spawned.once('error', (error) => log.warn({ err: error }, 'janus could not be started'));
    spawned.once('exit', (code, signal) => {
      if (stopping) return;
      log.warn({ code, signal }, 'janus exited; restarting');
      setTimeout(() => {
        if (stopping) return;
        launch();
        readiness = waitReady();
        readiness.then(() => restartListeners.forEach((listener) => listener())).catch((error: unknown) => log.warn({ err: error }, 'janus restart failed'));
      }, RESTART_DELAY_MS).unref();
    });
  };

  launch();
  readiness = waitReady();
  try {
    await readiness;
  } catch (error) {
    stopping = true;
    child?.kill('SIGKILL');
    throw error;
  }
  log.info({ url, pid: child?.pid }, 'janus started');

  return {
    url,
    get pid() {
      return child?.pid;
    },
    ready: () => readiness,
    onRestart: (listener) => restartListeners.push(listener),
    async stop() {
      stopping = true;
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => running.kill('SIGKILL'), 5000);
        running.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        running.kill('SIGTERM');
      });
    },
  };
}
