import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { Config } from '../config/index.js';
import { maskUrlPassword } from './mask.js';

export interface ListeningState {
  url: string;
  xmppPort?: number;
  metricsUrl?: string;
}

const loopbackHosts = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopback(host: string): boolean {
  return loopbackHosts.has(host) || host.startsWith('127.');
}

export const tlsConfigured = (config: Config) => config.xmppTlsCert !== '' && config.xmppTlsKey !== '';

/** One line per listener (HTTP, WebSocket, XMPP TCP with its TLS state, metrics, admin API). */
export function listenerLines(config: Config, state: ListeningState): string[] {
  const wsUrl = `${state.url.replace(/^http/, 'ws')}/ws`;
  const lines = [
    `  HTTP       ${state.url}  (REST, /health${state.metricsUrl ? '' : ', /metrics'})`,
    `  WebSocket  ${wsUrl}  (XMPP over WebSocket, RFC 7395)`,
  ];
  if (state.xmppPort === undefined) lines.push('  XMPP TCP   off (PARLEY_XMPP_PORT=0)');
  else {
    const tls = tlsConfigured(config) ? 'STARTTLS, required before login' : 'no TLS: SASL PLAIN passwords travel in clear';
    lines.push(`  XMPP TCP   ${config.host}:${state.xmppPort}  (${tls})`);
  }
  if (state.metricsUrl) lines.push(`  Metrics    ${state.metricsUrl}${config.metricsToken === '' ? '' : '  (bearer token required)'}`);
  else if (config.metricsToken !== '') lines.push('  Metrics    /metrics on the HTTP port (bearer token required)');
  const adminAccess = [config.adminToken === '' ? '' : 'bearer token', config.dashboard ? 'dashboard operators' : ''].filter((item) => item !== '').join(' or ');
  lines.push(`  Admin API  ${adminAccess === '' ? 'off (PARLEY_ADMIN_TOKEN unset, PARLEY_DASHBOARD=false)' : `${state.url}/admin (${adminAccess}; description at /admin/openapi.json)`}`);
  if (config.dashboard) lines.push(`  Dashboard  ${state.url}/dashboard`);
  return lines;
}

/** Warnings an operator should see at every start. */
export function startupWarnings(config: Config, state: ListeningState, apps: { id: number; name: string; settings: { denySessionWithoutUser: boolean } }[]): string[] {
  const warnings: string[] = [];
  if (state.xmppPort !== undefined && !tlsConfigured(config) && !isLoopback(config.host)) {
    warnings.push(
      `warning: XMPP TCP on ${config.host}:${state.xmppPort} offers SASL PLAIN without TLS, so passwords cross the network in clear: set PARLEY_XMPP_TLS_CERT and PARLEY_XMPP_TLS_KEY, or PARLEY_XMPP_PORT=0 (WebSocket clients behind a TLS proxy are not affected)`,
    );
  }
  for (const app of apps) {
    if (!app.settings.denySessionWithoutUser) {
      warnings.push(
        `warning: application ${app.id} "${app.name}" signs up unknown logins automatically (anyone holding its auth key can create users); lock it down with: parley app set --app ${app.id} --deny-session-without-user`,
      );
    }
  }
  return warnings;
}

/** Certificate and key: both or neither, readable, and belonging together. Throws a one-line error. */
export function checkTlsFiles(config: Config): 'off' | 'ok' {
  const { xmppTlsCert: cert, xmppTlsKey: key } = config;
  if (cert === '' && key === '') return 'off';
  if (cert === '' || key === '') {
    const [given, missing] = cert === '' ? ['PARLEY_XMPP_TLS_KEY', 'PARLEY_XMPP_TLS_CERT (--xmpp-tls-cert)'] : ['PARLEY_XMPP_TLS_CERT', 'PARLEY_XMPP_TLS_KEY (--xmpp-tls-key)'];
    throw new StartupError(`${given} is set but ${missing} is not: give both for STARTTLS, or neither`);
  }
  const read = (file: string, option: string) => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new StartupError(`${option} = "${file}" cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): fix the path or the file's permissions`);
    }
  };
  const certPem = read(cert, 'PARLEY_XMPP_TLS_CERT (--xmpp-tls-cert)');
  const keyPem = read(key, 'PARLEY_XMPP_TLS_KEY (--xmpp-tls-key)');
  try {
    createSecureContext({ cert: certPem, key: keyPem });
  } catch (error) {
    throw new StartupError(`PARLEY_XMPP_TLS_CERT and PARLEY_XMPP_TLS_KEY do not form a usable pair (${(error as Error).message}): give the PEM certificate and its own private key`);
  }
  return 'ok';
}

/** A known start-up failure, already phrased as the one line an operator reads. */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** Turns known failures (port in use, unreadable TLS file, unreachable database) into one plain line. */
export function describeStartupError(error: unknown, config: Config): string | undefined {
  if (error instanceof StartupError) return error.message;
  const failure = error as NodeJS.ErrnoException & { port?: number; address?: string };
  const code = failure.code ?? (failure as { cause?: { code?: string } }).cause?.code;
  if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
    const port = failure.port;
    const option =
      port === config.xmppPort ? 'PARLEY_XMPP_PORT (--xmpp-port)' : port === config.metricsPort && port !== 0 ? 'PARLEY_METRICS_PORT (--metrics-port)' : 'PARLEY_PORT (--port)';
    if (code === 'EADDRINUSE') return `port ${port} on ${failure.address ?? config.host} is already in use (${option}): stop the other process or choose another port`;
    if (code === 'EACCES') return `no permission to listen on port ${port} (${option}): ports below 1024 need privileges; choose a higher port`;
    return `address ${failure.address ?? config.host} is not on this machine (PARLEY_HOST / --host): use one of its addresses, 127.0.0.1 or 0.0.0.0`;
  }
  if (config.databaseUrl !== '' && isDatabaseFailure(code, failure.message)) {
    return `the PostgreSQL database at ${maskUrlPassword(config.databaseUrl)} cannot be used (${code ?? ''}${code ? ': ' : ''}${failure.message}) (PARLEY_DATABASE_URL / --database-url): check that it runs, the URL, the user and the password`;
  }
  if (config.databaseUrl === '' && (code === 'SQLITE_CANTOPEN' || code === 'EACCES' || code === 'EROFS' || code === 'ENOTDIR')) {
    return `the data folder "${config.dataDir}" cannot hold the SQLite database (${code}) (PARLEY_DATA_DIR / --data-dir): choose a writable folder`;
  }
  return undefined;
}

function isDatabaseFailure(code: string | undefined, message: string | undefined): boolean {
  if (code && ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET', '28P01', '28000', '3D000', '57P03'].includes(code)) return true;
  return /connect|password authentication|does not exist|timeout/i.test(message ?? '');
}
