/**
 * Command-line helpers the benchmarks share: strict option parsing against a usage text (a bad
 * argument prints the error and the usage to stderr and exits with status 2; --help/-h prints the
 * usage to stdout and exits with 0), bounded integer options, --db, and a time bound for any awaited
 * step.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { TestDatabaseKind } from '@parley/testkit';

export interface CommandLine {
  /** A string option's value; undefined when it was not given. */
  text(name: string): string | undefined;
  /** A boolean option: true when it was given. */
  flag(name: string): boolean;
  /** `error: <message>` and the usage text on stderr, then exit status 2. */
  fail(message: string): never;
  /** `raw` as a whole number from `min` to `max` (else fail), or `fallback` when it is undefined. */
  integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number;
  /** --db: sqlite (the default) or postgres. */
  db(): TestDatabaseKind;
}

/** Parses `argv` strictly (no positionals) with `options` plus --help/-h. */
export function parseCommandLine(argv: string[], usage: string, options: NonNullable<ParseArgsConfig['options']>): CommandLine {
  function fail(message: string): never {
    process.stderr.write(`error: ${message}\n${usage}\n`);
    process.exit(2);
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: { ...options, help: { type: 'boolean', short: 'h' } } }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const text = (name: string) => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  const integer = (name: string, raw: string | undefined, fallback: number, min: number, max: number): number => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    // Number() alone would also take '1e3', '0x10' or '2.0'; only plain digits are meant.
    if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
      fail(`--${name} must be an integer from ${min} to ${max}, got '${raw}'`);
    }
    return value;
  };
  const db = (): TestDatabaseKind => {
    const kind = text('db') ?? 'sqlite';
    if (kind !== 'sqlite' && kind !== 'postgres') fail(`--db must be sqlite or postgres, got '${kind}'`);
    return kind;
  };
  return { text, flag: (name) => values[name] === true, fail, integer, db };
}

/** `promise`, or a rejection `<what> took longer than N s` once `ms` have passed. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
