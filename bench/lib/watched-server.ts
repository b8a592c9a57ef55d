/**
 * The server child process (bench/lib/server-process.ts) on a benchmark's database, watched for the
 * run: an exit before `stop()` is reported with the child's stderr at once (the phases then only see
 * network errors), and `stop()` reports a SIGKILL and whatever the child wrote to stderr.
 */
import type { BenchDatabase } from './bench-db.js';
import type { Progress } from './run.js';
import { startServerProcess } from './server-process.js';

/** Start-up bound of the server child process. */
export const SERVER_PROCESS_START_TIMEOUT_MS = 60_000;

export interface WatchedServerProcess {
  /** Base URL, `http://127.0.0.1:PORT`. */
  url: string;
  /** The application `serve` created or reused ("default"). */
  app: { id: number; authKey: string };
  pid: number;
  /** SIGTERM (SIGKILL if ignored), then the progress lines above; the database is left alone. */
  stop(): Promise<void>;
}

export async function startWatchedServerProcess(db: BenchDatabase, passwordHashCost: number, progress: Progress, nodeArgs: readonly string[] = []): Promise<WatchedServerProcess> {
  const child = await startServerProcess({
    nodeArgs,
    dataDir: db.dataDir,
    databaseUrl: db.databaseUrl,
    passwordHashCost,
    startTimeoutMs: SERVER_PROCESS_START_TIMEOUT_MS,
  });
  let stopping = false;
  void child.exited.then((exit) => {
    if (!stopping) progress(`the server process exited during the run (code ${exit.code ?? '-'}, signal ${exit.signal ?? '-'}); its stderr:\n${child.stderrTail()}`);
  });
  return {
    url: child.url,
    app: child.app,
    pid: child.pid,
    async stop() {
      stopping = true;
      const exit = await child.stop();
      if (exit.killed) progress('the server process ignored SIGTERM and was killed');
      const tail = child.stderrTail().trim();
      if (tail) progress(`the server process wrote to stderr:\n${tail}`);
    },
  };
}
