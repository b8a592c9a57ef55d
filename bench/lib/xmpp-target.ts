/** A server under test in bench/xmpp.ts, whoever it is (Parley, ejabberd, Prosody). */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import Database from 'better-sqlite3';

export type TargetName = 'parley' | 'ejabberd' | 'prosody' | 'ejabberd-nomam' | 'prosody-nomam';
export type PeerName = Exclude<TargetName, 'parley'>;

export interface XmppTarget {
  name: TargetName;
  /** e.g. `ejabberd 23.01`. */
  version: string;
  /** ws://127.0.0.1:PORT/path */
  wsUrl: string;
  domain: string;
  password: string;
  /** Account `index`'s secret when they differ (e.g. a session token each); else `password`. */
  passwordOf?(index: number): string;
  /** JID local part (= SASL authcid) of bench account `index` (0-based, < the accounts provisioned). */
  username(index: number): string;
  /** What "persistence on" means on this server, for the report. */
  persistence: string;
  /**
   * Rows in the server's message store (Parley: messages; peers: archive rows, two per message), read
   * from its SQLite file while it runs; null when it cannot be read. A check that persistence is on.
   */
  storedRows(): number | null;
  /** Root of the server's process tree (memory and CPU are read over the tree). */
  pid: number;
  /** Several server processes (a cluster's nodes): CPU is read over all their trees; default `[pid]`. */
  pids?: number[];
  /** Where receivers log in when it is not `wsUrl` (a cluster: senders on one node, receivers on another). */
  receiverWsUrl?: string;
  /** Stops the server (its whole process tree) and removes its temporary files. Idempotent. */
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (bound and released: another process could take it in between). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once 127.0.0.1:port accepts a connection; rejects after `timeoutMs` or when `gone` settles first. */
export async function waitForPort(port: number, timeoutMs: number, gone: Promise<unknown>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void gone.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error('the process exited before its port opened');
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`port ${port} did not open within ${timeoutMs / 1000} s`);
}

/** Keeps the last `limit` characters written to it. */
export class TextTail {
  private text = '';
  constructor(private readonly limit = 8192) {}
  push(chunk: string): void {
    this.text += chunk;
    if (this.text.length > 2 * this.limit) this.text = this.text.slice(-this.limit);
  }
  toString(): string {
    return this.text.slice(-this.limit);
  }
}

export interface GroupChild {
  child: ChildProcess;
  pid: number;
  output: TextTail;
  exited: Promise<void>;
  /** SIGTERM to the whole process group, SIGKILL after `graceMs`; resolves when the leader exited. */
  stop(graceMs: number): Promise<void>;
}

/**
 * Spawns `command` as the leader of a new process group (the peers fork: ejabberdctl's shell starts
 * beam.smp), so the group can be signalled as one; the group is killed when this process exits.
 */
export function spawnGroup(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): GroupChild {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = new TextTail();
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => output.push(chunk));
  child.stderr?.on('data', (chunk: string) => output.push(chunk));
  let alive = true;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      alive = false;
      resolve();
    });
    child.once('error', (error) => {
      output.push(`spawn failed: ${error.message}\n`);
      alive = false;
      resolve();
    });
  });
  const pid = child.pid ?? -1;
  const signalGroup = (signal: NodeJS.Signals) => {
    if (pid <= 0) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is gone already.
    }
  };
  const killOnExit = () => signalGroup('SIGKILL');
  process.on('exit', killOnExit);
  return {
    child,
    pid,
    output,
    exited,
    async stop(graceMs: number) {
      if (alive) {
        signalGroup('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
        clearTimeout(timer);
      }
      // Whatever is left of the group (also children that outlived the leader).
      signalGroup('SIGKILL');
      await exited;
      process.off('exit', killOnExit);
    },
  };
}

/** `SELECT count(*) FROM <table>` on a SQLite file another process is writing (WAL); null on any failure. */
export function countRows(file: string, table: string): number | null {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      const row = db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number } | undefined;
      return row?.n ?? null;
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}
