/**
 * ejabberd and Prosody from Debian's packages as benchmark peers: each in its own temporary folder,
 * with the configuration from bench/peers/ (placeholders filled in), on free loopback ports, in the
 * foreground as a child process group of this process (never the system service). As root they run
 * as the package's system user (setpriv), as the packages expect.
 *
 * Accounts are written straight into the peer's SQLite store before it starts (10,000 registrations
 * through ejabberdctl or prosodyctl would take minutes: one VM / interpreter per account); both peers
 * store these passwords in plain text (see the configs), all with one password.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { Progress } from './run.js';
import { countRows, freePort, spawnGroup, waitForPort, type GroupChild, type PeerName, type XmppTarget } from './xmpp-target.js';

const PEERS_DIR = fileURLToPath(new URL('../peers/', import.meta.url));
const PASSWORD = 'bench-xmpp-password';
const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;

const EJABBERDCTL = '/usr/sbin/ejabberdctl';
const EJABBERD_SCHEMA = '/usr/share/ejabberd/sql/lite.sql';
const ERLANG_LIB = '/usr/lib/erlang/lib';
const PROSODY = '/usr/bin/prosody';
const LUA_DBI_SQLITE = '/usr/lib/x86_64-linux-gnu/lua/5.4/dbd/sqlite3.so';

export const peerUsername = (index: number) => `bench${index}`;

/** Why the peer cannot run here, or undefined when it can. */
export function peerMissing(target: PeerName): string | undefined {
  const name = target.startsWith('ejabberd') ? 'ejabberd' : 'prosody';
  const needs = name === 'ejabberd' ? [EJABBERDCTL, EJABBERD_SCHEMA] : [PROSODY, LUA_DBI_SQLITE];
  const missing = needs.filter((file) => !existsSync(file));
  // ejabberd's SQLite driver is a separate package (only "suggested" by ejabberd's).
  const hasSqliteDriver = () => existsSync(ERLANG_LIB) && readdirSync(ERLANG_LIB).some((entry) => entry.startsWith('p1_sqlite3-'));
  if (name === 'ejabberd' && !hasSqliteDriver()) missing.push(`${ERLANG_LIB}/p1_sqlite3-*`);
  if (missing.length === 0) return undefined;
  const packages = name === 'ejabberd' ? 'ejabberd erlang-p1-sqlite3' : 'prosody lua-dbi-sqlite3';
  return `${name} is not installed (missing ${missing.join(', ')}); install it with: apt-get install -y ${packages}`;
}

function packageVersion(name: string): string {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Version}', name], { encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
}

/** uid/gid of a system user from /etc/passwd, or undefined. */
function systemUser(name: string): { uid: number; gid: number } | undefined {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((entry) => entry.startsWith(`${name}:`));
  const fields = line?.split(':');
  return fields?.[2] && fields[3] ? { uid: Number(fields[2]), gid: Number(fields[3]) } : undefined;
}

function chownTree(target: string, owner: { uid: number; gid: number }): void {
  chownSync(target, owner.uid, owner.gid);
  if (!statSync(target).isDirectory()) return;
  for (const entry of readdirSync(target)) chownTree(path.join(target, entry), owner);
}

function fillTemplate(file: string, values: Record<string, string | number>): string {
  let text = readFileSync(path.join(PEERS_DIR, file), 'utf8');
  for (const [key, value] of Object.entries(values)) text = text.replaceAll(`@${key}@`, String(value));
  return text;
}

/** As root: run as `user` (the package's system user); otherwise as this process's user. */
function asUser(user: string, command: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [command, args];
  return ['setpriv', [`--reuid=${user}`, `--regid=${user}`, '--init-groups', command, ...args]];
}

function insertUsers(file: string, accounts: number, statement: string, setup: string[], row: (username: string) => unknown[]): void {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    for (const sql of setup) db.exec(sql);
    const insert = db.prepare(statement);
    db.transaction(() => {
      for (let index = 0; index < accounts; index += 1) insert.run(...row(peerUsername(index)));
    })();
  } finally {
    db.close();
  }
}

/** Runs `prepare`; if it throws, the peer's temporary folder is removed before the error goes on. */
async function removeOnFailure(root: string, prepare: () => Promise<void>): Promise<void> {
  try {
    await prepare();
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

interface PeerRun {
  root: string;
  group: GroupChild;
}

async function finishStart(name: string, run: PeerRun, httpPort: number, progress: Progress): Promise<void> {
  try {
    await waitForPort(httpPort, START_TIMEOUT_MS, run.group.exited);
  } catch (error) {
    await run.group.stop(STOP_GRACE_MS);
    const log = run.group.output.toString().trim();
    rmSync(run.root, { recursive: true, force: true });
    throw new Error(`${name} did not start: ${error instanceof Error ? error.message : String(error)}${log ? `\n--- its output ---\n${log}` : ''}`);
  }
  progress(`${name} is up (process group ${run.group.pid})`);
}

function stopper(run: PeerRun, logFile: string, progress: Progress, name: string): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      await run.group.stop(STOP_GRACE_MS);
      try {
        // Warnings and errors only (ejabberd logs a few info lines at start even at level warning).
        const lines = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').filter((line) => /\[(warning|error|critical)\]|\t(warn|error)\t/.test(line) && !/Received SIGTERM/.test(line)) : [];
        if (lines.length > 0) progress(`${name} logged ${lines.length} warning/error lines; the last ones:\n${lines.slice(-10).join('\n')}`);
      } catch {
        // No log.
      }
      rmSync(run.root, { recursive: true, force: true });
    })();
    return stopping;
  };
}

/**
 * `archive: false` is the no-archive profile (`ejabberd.nomam.yml`, target `ejabberd-nomam`): messages
 * are routed, not persisted.
 */
export async function startEjabberd(accounts: number, progress: Progress, archive = true): Promise<XmppTarget> {
  const name = archive ? 'ejabberd' : 'ejabberd-nomam';
  const root = mkdtempSync(path.join(os.tmpdir(), 'parley-bench-ejabberd-'));
  const [c2sPort, httpPort, distPort] = [await freePort(), await freePort(), await freePort()];
  await removeOnFailure(root, async () => {
    for (const folder of ['etc', 'spool', 'log', 'db']) await mkdir(path.join(root, folder));
    writeFileSync(path.join(root, 'etc/ejabberd.yml'), fillTemplate(archive ? 'ejabberd.yml' : 'ejabberd.nomam.yml', { ROOT: root, C2S_PORT: c2sPort, HTTP_PORT: httpPort }));
    writeFileSync(path.join(root, 'etc/ejabberdctl.cfg'), fillTemplate('ejabberdctl.cfg', { ROOT: root, DIST_PORT: distPort }));
    writeFileSync(path.join(root, 'etc/inetrc'), existsSync('/etc/ejabberd/inetrc') ? readFileSync('/etc/ejabberd/inetrc') : '');
    progress(`${name}: writing ${accounts} accounts into ${root}/db/ejabberd.db`);
    insertUsers(path.join(root, 'db/ejabberd.db'), accounts, 'INSERT INTO users(username, password) VALUES (?, ?)', [readFileSync(EJABBERD_SCHEMA, 'utf8')], (username) => [username, PASSWORD]);
    const owner = process.getuid?.() === 0 ? systemUser('ejabberd') : undefined;
    if (owner) chownTree(root, owner);
  });
  const [command, args] = asUser('ejabberd', EJABBERDCTL, ['--config-dir', path.join(root, 'etc'), '--spool', path.join(root, 'spool'), '--logs', path.join(root, 'log'), 'foreground']);
  const group = spawnGroup(command, args, { cwd: root, env: { ...process.env, HOME: root } });
  const run = { root, group };
  progress(`${name}: starting on ws://127.0.0.1:${httpPort}/ws (c2s ${c2sPort}, distribution ${distPort})`);
  await finishStart(name, run, httpPort, progress);
  return {
    name,
    version: `ejabberd ${packageVersion('ejabberd')}${archive ? '' : ', no archive'}`,
    wsUrl: `ws://127.0.0.1:${httpPort}/ws`,
    domain: 'localhost',
    password: PASSWORD,
    username: peerUsername,
    persistence: archive ? 'mod_mam (archive: always) in SQLite — a row in sender and recipient archive per message' : 'none (mod_mam off: routed, not stored)',
    storedRows: () => countRows(path.join(root, 'db/ejabberd.db'), 'archive'),
    pid: group.pid,
    stop: stopper(run, path.join(root, 'log/ejabberd.log'), progress, name),
  };
}

/** `archive: false` is the no-archive profile (`prosody.nomam.cfg.lua`, target `prosody-nomam`). */
export async function startProsody(accounts: number, progress: Progress, archive = true): Promise<XmppTarget> {
  const name = archive ? 'prosody' : 'prosody-nomam';
  const root = mkdtempSync(path.join(os.tmpdir(), 'parley-bench-prosody-'));
  const [c2sPort, httpPort] = [await freePort(), await freePort()];
  const config = path.join(root, 'prosody.cfg.lua');
  await removeOnFailure(root, async () => {
    for (const folder of ['data', 'certs']) await mkdir(path.join(root, folder));
    writeFileSync(config, fillTemplate(archive ? 'prosody.cfg.lua' : 'prosody.nomam.cfg.lua', { ROOT: root, C2S_PORT: c2sPort, HTTP_PORT: httpPort }));
    progress(`${name}: writing ${accounts} accounts into ${root}/data/prosody.sqlite`);
    // Prosody creates its tables lazily on first use; these are its own definitions (mod_storage_sql 0.12).
    insertUsers(
      path.join(root, 'data/prosody.sqlite'),
      accounts,
      `INSERT INTO prosody(host, user, store, key, type, value) VALUES ('localhost', ?, 'accounts', 'password', 'string', ?)`,
      [
        `CREATE TABLE IF NOT EXISTS "prosody" ("host" TEXT NOT NULL, "user" TEXT NOT NULL, "store" TEXT NOT NULL, "key" TEXT NOT NULL, "type" TEXT NOT NULL, "value" MEDIUMTEXT NOT NULL);
         CREATE INDEX IF NOT EXISTS "prosody_index" ON "prosody" ("host", "user", "store", "key");
         CREATE TABLE IF NOT EXISTS "prosodyarchive" ("sort_id" INTEGER PRIMARY KEY AUTOINCREMENT, "host" TEXT NOT NULL, "user" TEXT NOT NULL, "store" TEXT NOT NULL, "key" TEXT NOT NULL, "when" INTEGER NOT NULL, "with" TEXT NOT NULL, "type" TEXT NOT NULL, "value" MEDIUMTEXT NOT NULL);
         CREATE UNIQUE INDEX IF NOT EXISTS "prosodyarchive_index" ON "prosodyarchive" ("host", "user", "store", "key");
         CREATE INDEX IF NOT EXISTS "prosodyarchive_with_when" ON "prosodyarchive" ("host", "user", "store", "with", "when");
         CREATE INDEX IF NOT EXISTS "prosodyarchive_when" ON "prosodyarchive" ("host", "user", "store", "when");
         CREATE INDEX IF NOT EXISTS "prosodyarchive_sort" ON "prosodyarchive" ("host", "user", "store", "sort_id");`,
      ],
      (username) => [username, PASSWORD],
    );
    const owner = process.getuid?.() === 0 ? systemUser('prosody') : undefined;
    if (owner) chownTree(root, owner);
  });
  const [command, args] = asUser('prosody', PROSODY, ['-F', '--config', config]);
  const group = spawnGroup(command, args, { cwd: root, env: { ...process.env, HOME: root } });
  const run = { root, group };
  progress(`${name}: starting on ws://127.0.0.1:${httpPort}/xmpp-websocket (c2s ${c2sPort})`);
  await finishStart(name, run, httpPort, progress);
  return {
    name,
    version: `Prosody ${packageVersion('prosody')}${archive ? '' : ', no archive'}`,
    wsUrl: `ws://127.0.0.1:${httpPort}/xmpp-websocket`,
    domain: 'localhost',
    password: PASSWORD,
    username: peerUsername,
    persistence: archive ? 'mod_mam (default_archive_policy = true) in SQLite via LuaDBI — a row in sender and recipient archive per message' : 'none (mod_mam not loaded: routed, not stored)',
    storedRows: () => countRows(path.join(root, 'data/prosody.sqlite'), 'prosodyarchive'),
    pid: group.pid,
    stop: stopper(run, path.join(root, 'prosody.log'), progress, name),
  };
}
