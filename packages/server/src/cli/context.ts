import type { Services } from '../app.js';
import type { Config } from '../config/index.js';

/** Runs an action against the configured store's services (the store is migrated first and closed after). */
export type WithServices = <T>(action: (services: Services, config: Config) => Promise<T>) => Promise<T>;

/** Where a CLI run reads and writes: the process's streams, or buffers in tests. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Passwords are read from here (a prompt when it is a terminal). */
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  /** Where `.env` is read from. */
  cwd: string;
}

/** What every command module gets from the CLI runner. */
export interface CliContext {
  io: CliIo;
  config(): Config;
  withServices: WithServices;
  /** Prints JSON (with --json) or the text lines, to stdout. */
  output(json: boolean | undefined, value: unknown, text: () => string | string[]): void;
}

/** An application or user id given on the command line; anything else is a clear one-line error. */
export function idOption(name: string, value: string | undefined): number {
  const id = Number(value);
  if (value === undefined || !/^\d{1,15}$/.test(value) || !Number.isSafeInteger(id) || id < 1) {
    throw new CliError(`--${name} must be a positive integer id (got ${JSON.stringify(value ?? '')})`);
  }
  return id;
}

/** A usage or operation error: printed as one line (or JSON with --json), exit code 1, nothing changed. */
export class CliError extends Error {
  override name = 'CliError';
}
