/** A throwaway PostgreSQL cluster from Debian's binaries, for machines where none runs. */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { appendFile, chown, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PG_SYSTEM_USER, sleep, withClient } from './postgres-client.js';
import type { TestPostgres } from './postgres.js';

export interface ThrowawayPostgres extends TestPostgres {
  /** TCP port on 127.0.0.1 the cluster listens on. */
  port: number;
  /** Temporary directory holding the data directory, socket and log; removed by `stop()`. */
  dir: string;
}


function run(cmd: string, args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      { cwd: opts.cwd, timeout: opts.timeoutMs ?? 60_000, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) {
          reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${stdout}${stderr}`.trim()));
        } else {
          resolve(stdout);
        }
      },
    );
  });
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

function lookupSystemUser(name: string): { uid: number; gid: number } | undefined {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const [user, , uid, gid] = line.split(':');
      if (user === name && uid !== undefined && gid !== undefined) return { uid: Number(uid), gid: Number(gid) };
    }
  } catch {
    // no /etc/passwd
  }
  return undefined;
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Command line that runs `cmd args` as the postgres system user when we are root. */
function asPostgresUser(cmd: string, args: string[]): [string, string[]] {
  if (!isRoot()) return [cmd, args];
  if (existsSync('/usr/sbin/runuser') || existsSync('/sbin/runuser') || existsSync('/usr/bin/runuser')) {
    return ['runuser', ['-u', PG_SYSTEM_USER, '--', cmd, ...args]];
  }
  return ['su', [PG_SYSTEM_USER, '-s', '/bin/sh', '-c', [cmd, ...args].map(shellQuote).join(' ')]];
}

/** The bin directory of the newest Debian PostgreSQL install with initdb and pg_ctl. */
async function findPostgresBinDir(): Promise<string> {
  const root = '/usr/lib/postgresql';
  let versions: string[] = [];
  try {
    versions = await readdir(root);
  } catch {
    // not installed
  }
  versions.sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
  for (const v of versions) {
    const bin = path.join(root, v, 'bin');
    if (existsSync(path.join(bin, 'initdb')) && existsSync(path.join(bin, 'pg_ctl'))) return bin;
  }
  throw new Error(
    'no PostgreSQL server answers and no /usr/lib/postgresql/*/bin/initdb was found; ' +
      'install the Debian package "postgresql" (bash scripts/ensure-system-deps.sh does) ' +
      'or set PARLEY_TEST_DATABASE_URL',
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => {
        if (port) resolve(port);
        else reject(new Error('could not pick a free port'));
      });
    });
  });
}

async function waitForConnection(url: string, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      await withClient({ connectionString: url, connectionTimeoutMillis: 2_000 }, (c) => c.query('select 1'));
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(100);
    }
  }
}

/** Clusters of this process still running, stopped synchronously on exit. */
const liveClusters = new Map<string, { pgCtl: string; dataDir: string }>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const [dir, { pgCtl, dataDir }] of liveClusters) {
      try {
        const [cmd, args] = asPostgresUser(pgCtl, ['-D', dataDir, '-m', 'immediate', '-w', '-t', '10', 'stop']);
        execFileSync(cmd, args, { cwd: dir, stdio: 'ignore', timeout: 15_000 });
      } catch {
        // already stopped
      }
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        // best effort
      }
    }
    liveClusters.clear();
  });
}

/**
 * Starts a new throwaway PostgreSQL cluster (trust auth, 127.0.0.1 only, on a
 * free port, unix socket inside its temp dir) from the Debian `postgresql`
 * package's `initdb`/`pg_ctl`. As root these run as the `postgres` system user.
 * `stop()` stops it and removes its directory.
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = await findPostgresBinDir();
  const initdb = path.join(bin, 'initdb');
  const pgCtl = path.join(bin, 'pg_ctl');

  let owner: { uid: number; gid: number } | undefined;
  if (isRoot()) {
    owner = lookupSystemUser(PG_SYSTEM_USER);
    if (!owner) {
      throw new Error(`running as root, but there is no "${PG_SYSTEM_USER}" system user to run PostgreSQL as`);
    }
  }

  // As root, the postgres user must be able to reach the dir: use /tmp (1777).
  const base = isRoot() ? '/tmp' : os.tmpdir();
  const dir = await mkdtemp(path.join(base, 'parley-pg-'));
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');

  const cleanup = async () => {
    liveClusters.delete(dir);
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await mkdir(dataDir, { mode: 0o700 });
    if (owner) {
      await chown(dir, owner.uid, owner.gid);
      await chown(dataDir, owner.uid, owner.gid);
    }

    const [initCmd, initArgs] = asPostgresUser(initdb, [
      '-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync',
    ]);
    await run(initCmd, initArgs, { cwd: dir, timeoutMs: 120_000 });

    // initdb created postgresql.conf owned by the postgres user; appending keeps its owner.
    await appendFile(
      path.join(dataDir, 'postgresql.conf'),
      [
        '',
        '# parley testkit throwaway cluster',
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${dir.replace(/'/g, "''")}'`,
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        'max_connections = 200',
        '',
      ].join('\n'),
    );

    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      const [ctlCmd, ctlArgs] = asPostgresUser(pgCtl, [
        '-D', dataDir, '-l', logFile, '-o', `-p ${String(port)}`, '-w', '-t', '60', 'start',
      ]);
      try {
        installExitHook();
        liveClusters.set(dir, { pgCtl, dataDir });
        await run(ctlCmd, ctlArgs, { cwd: dir, timeoutMs: 90_000 });
      } catch (err) {
        lastError = err;
        liveClusters.delete(dir);
        // Maybe the port was taken in between; make sure nothing is left running and retry.
        const [stopCmd, stopArgs] = asPostgresUser(pgCtl, ['-D', dataDir, '-m', 'immediate', 'stop']);
        await run(stopCmd, stopArgs, { cwd: dir, timeoutMs: 30_000 }).catch(() => {});
        continue;
      }

      const adminUrl = `postgres://postgres@127.0.0.1:${String(port)}/postgres`;
      await waitForConnection(adminUrl, 30_000);

      let stopped = false;
      return {
        adminUrl,
        port,
        dir,
        async stop() {
          if (stopped) return;
          stopped = true;
          const [stopCmd, stopArgs] = asPostgresUser(pgCtl, ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']);
          try {
            await run(stopCmd, stopArgs, { cwd: dir, timeoutMs: 90_000 });
          } finally {
            await cleanup();
          }
        },
      };
    }
    let log = '';
    try {
      log = readFileSync(logFile, 'utf8');
    } catch {
      // no log
    }
    throw new Error(`could not start a throwaway PostgreSQL: ${String(lastError)}\n${log}`.trim());
  } catch (err) {
    if (liveClusters.has(dir)) {
      const [stopCmd, stopArgs] = asPostgresUser(pgCtl, ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      await run(stopCmd, stopArgs, { cwd: dir, timeoutMs: 30_000 }).catch(() => {});
    }
    await cleanup();
    throw err;
  }
}
