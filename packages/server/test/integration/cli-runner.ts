import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli/run.js';

const bin = fileURLToPath(new URL('../../bin/parley.js', import.meta.url));

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Written to stdin, then stdin is closed (default: no stdin at all). */
  input?: string;
  /** Working folder (where `.env` is read from). */
  cwd?: string;
}

/**
 * Runs `parley …` with only the given PARLEY_* variables (the machine's are dropped). With `until`, the
 * process is stopped (SIGTERM) once stdout or stderr matches it (servers).
 */
export function parley(args: string[], env: Record<string, string>, until?: RegExp, options: RunOptions = {}): Promise<Run> {
  const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('PARLEY_')));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...cleanEnv, ...env },
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const check = () => {
      if (until?.test(stdout) || until?.test(stderr)) child.kill('SIGTERM');
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      check();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      check();
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Runs `parley …` inside the test process (no process start-up per command): the same program, with its own
 * environment (only `env`), working folder and stdin. Use `parley` for what needs a real process (serve).
 */
export async function parleyInProcess(args: string[], env: Record<string, string>, options: RunOptions = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    stdin: Readable.from(options.input === undefined ? [] : [options.input]),
    env,
    cwd: options.cwd ?? process.cwd(),
  });
  return { code, stdout, stderr };
}
