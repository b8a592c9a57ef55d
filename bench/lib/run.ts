/**
 * The life of a benchmark process: progress and warning lines on stderr, the time bounds every
 * benchmark uses, a watchdog for the whole run, Ctrl-C, and the exit status of `main`.
 */

/** A progress line on stderr. */
export type Progress = (message: string) => void;

/** In-flight requests may run this long past a phase's end before being aborted as timeouts. */
export const GRACE_MS = 5_000;
export const SERVER_START_TIMEOUT_MS = 120_000;
export const SERVER_STOP_TIMEOUT_MS = 30_000;

/** Progress lines tagged `[bench:<name>]`, so they stand out from the server's own stderr. */
export function progressLine(name: string): Progress {
  return (message: string) => process.stderr.write(`[bench:${name}] ${message}\n`);
}

export const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The stack where there is one: for failures that end the run. */
export const errorStack = (error: unknown) => (error instanceof Error ? (error.stack ?? error.message) : String(error));

/** A clean-up step that failed: worth a line, not the run. */
export const warn = (error: unknown) => {
  process.stderr.write(`warning: ${errorText(error)}\n`);
};

/**
 * Exits with status 1 once `boundMs` have passed; returns the function that calls it off. Every phase
 * is bounded by its own hard stop; this catches anything else that hangs.
 */
export function startWatchdog(boundMs: number): () => void {
  const watchdog = setTimeout(() => {
    process.stderr.write(`error: the run exceeded its ${Math.round(boundMs / 1000)} s bound; exiting\n`);
    process.exit(1);
  }, boundMs);
  // The watchdog alone must not keep the process alive.
  watchdog.unref();
  return () => clearTimeout(watchdog);
}

/** On Ctrl-C: `cleanUp` (e.g. stop the server), then exit status 130. */
export function onInterrupt(progress: Progress, cleanUp: () => Promise<void>): void {
  process.once('SIGINT', () => {
    progress('interrupted');
    void cleanUp().finally(() => process.exit(130));
  });
}

/** Runs `main` and exits with its status; a throw that escapes it is status 1. */
export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`error: ${errorStack(error)}\n`);
      process.exit(1);
    },
  );
}
