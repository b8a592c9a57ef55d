import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, constants, mkdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

export interface CoturnOptions {
  binary: string;
  /** Folder for the private config file (created 0700; the file 0600: it holds the secret). */
  dir: string;
  listenHost: string;
  /** Advertised address (coturn external-ip behind NAT); '' = listenHost. */
  publicHost: string;
  port: number;
  relayMinPort: number;
  relayMaxPort: number;
  realm: string;
  /** '' = a random secret for this run. */
  secret: string;
  /** Tests only: relay to 127.0.0.0/8 peers (both browsers on one machine). Never in production. */
  allowLoopbackPeers?: boolean;
  startTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface RunningCoturn {
  urls: string[];
  secret: string;
  configFile: string;
  stop(): Promise<void>;
}

export async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The coturn config Parley writes: shared-secret auth (TURN REST convention), no TLS, no CLI, no telnet. */
export function coturnConfig(options: CoturnOptions & { secret: string; pidFile: string }): string {
  const lines = [
    `listening-ip=${options.listenHost}`,
    `listening-port=${options.port}`,
    `min-port=${options.relayMinPort}`,
    `max-port=${options.relayMaxPort}`,
    'use-auth-secret',
    `static-auth-secret=${options.secret}`,
    `realm=${options.realm}`,
    'fingerprint',
    'no-cli',
    'no-tls',
    'no-dtls',
    'no-multicast-peers',
    'no-software-attribute',
    'simple-log',
    'log-file=stdout',
    `pidfile=${options.pidFile}`,
  ];
  if (options.listenHost !== '0.0.0.0' && options.listenHost !== '::') lines.push(`relay-ip=${options.listenHost}`);
  if (options.publicHost !== '' && options.publicHost !== options.listenHost) lines.push(`external-ip=${options.publicHost}`);
  if (options.allowLoopbackPeers) lines.push('allow-loopback-peers');
  return `${lines.join('\n')}\n`;
}

/** The URLs clients get: TURN over UDP and TCP, and STUN, on the advertised address. */
export function coturnUrls(host: string, port: number): string[] {
  const h = host.includes(':') ? `[${host}]` : host;
  return [`stun:${h}:${port}`, `turn:${h}:${port}?transport=udp`, `turn:${h}:${port}?transport=tcp`];
}

/**
 * Starts coturn as a child process with a private config and resolves once it listens; `stop()` ends it
 * (SIGTERM, then SIGKILL after 3 s). It also dies with its parent's stdio pipes closing.
 */
export async function startCoturn(options: CoturnOptions): Promise<RunningCoturn> {
  // A coturn (or anything) already on the port would answer the readiness probe for ours.
  await ensurePortFree(options.listenHost, options.port);
  const secret = options.secret !== '' ? options.secret : randomBytes(24).toString('hex');
  await mkdir(options.dir, { recursive: true, mode: 0o700 });
  const configFile = path.join(options.dir, 'turnserver.conf');
  const pidFile = path.join(options.dir, 'turnserver.pid');
  await writeFile(configFile, coturnConfig({ ...options, secret, pidFile }), { mode: 0o600 });
  const child = spawn(options.binary, ['-c', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  await waitUntilListening(child, { host: options.listenHost, port: options.port }, options.startTimeoutMs ?? 10_000, options.log);
  const urls = coturnUrls(options.publicHost || options.listenHost, options.port);
  return { urls, secret, configFile, stop: () => stopChild(child) };
}

function ensurePortFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => reject(new Error(`TURN port ${host}:${port} is not free (${error.code ?? error.message})`)));
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** Resolves once coturn accepts TCP on its port (its UDP listener opens in the same step). */
function waitUntilListening(child: ChildProcess, target: { host: string; port: number }, timeoutMs: number, log?: (line: string) => void): Promise<void> {
  let output = '';
  const onData = (chunk: Buffer) => {
    const text = chunk.toString();
    output = (output + text).slice(-2000);
    for (const line of text.split('\n')) if (line.trim() !== '') log?.(line.trim());
  };
  // Keep draining so a full pipe never blocks coturn.
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const host = target.host === '0.0.0.0' ? '127.0.0.1' : target.host === '::' ? '::1' : target.host;
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      child.kill('SIGKILL');
      reject(error);
    };
    child.once('exit', (code) => fail(new Error(`coturn exited (${code}) while starting: ${output.slice(-500)}`)));
    child.once('error', fail);
    const probe = () => {
      if (settled) return;
      const socket = net.connect({ host, port: target.port });
      socket.once('connect', () => {
        socket.destroy();
        if (settled) return;
        settled = true;
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) fail(new Error(`coturn did not listen on ${host}:${target.port} within ${timeoutMs} ms: ${output.slice(-500)}`));
        else setTimeout(probe, 100);
      });
    };
    probe();
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
