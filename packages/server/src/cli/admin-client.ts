import type { Config } from '../config/index.js';
import { CliError } from './context.js';

/**
 * Commands about the running server (status, connections) ask it over its admin API, as ejabberdctl
 * asks its node: at http://HOST:PORT (0.0.0.0 / :: → loopback) with PARLEY_ADMIN_TOKEN.
 */
export function adminBaseUrl(config: Config): string {
  const host = config.host === '0.0.0.0' || config.host === '' ? '127.0.0.1' : config.host === '::' ? '[::1]' : config.host.includes(':') ? `[${config.host}]` : config.host;
  return `http://${host}:${config.port}`;
}

/** No running server could be asked (no admin token configured, or nothing answers). */
export class ServerUnreachable extends CliError {
  override name = 'ServerUnreachable';
}

export async function callRunningServer(config: Config, method: string, path: string, body?: unknown): Promise<unknown> {
  if (config.adminToken === '') {
    throw new ServerUnreachable('this command asks the running server over its admin API: set PARLEY_ADMIN_TOKEN (--admin-token) to the token the server runs with');
  }
  const base = adminBaseUrl(config);
  let response: Response;
  try {
    response = await fetch(base + path, {
      method,
      headers: { Authorization: `Bearer ${config.adminToken}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(5000),
    });
  } catch (error) {
    throw new ServerUnreachable(`no Parley server answers at ${base} (${describe(error)}): start it with \`parley serve\`, or pass the --host/--port it listens on`);
  }
  const text = await response.text();
  const json = text === '' ? undefined : (JSON.parse(text) as unknown);
  if (response.status === 401 || (response.status === 404 && json !== undefined && /No route/.test(text))) {
    throw new CliError(`the server at ${base} refused the admin token (PARLEY_ADMIN_TOKEN / --admin-token must match the server's)`);
  }
  if (!response.ok) throw new CliError(serverError(json) ?? `${method} ${path} → ${response.status}: ${text}`);
  return json;
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

/** The contract's error body as one line: `name: is already used …; password: is too short`. */
function serverError(json: unknown): string | undefined {
  const errors = (json as { errors?: unknown } | undefined)?.errors;
  if (Array.isArray(errors)) return errors.join('; ');
  if (errors && typeof errors === 'object') {
    return Object.entries(errors as Record<string, string[]>)
      .map(([field, messages]) => (field === 'base' ? messages.join('; ') : `${field}: ${[messages].flat().join('; ')}`))
      .join('; ');
  }
  return undefined;
}

/**
 * A change that must also end live connections (delete, password, block): made by the running server
 * when one can be asked, which closes them; otherwise straight in the database, where no server means
 * nobody is connected. Says which happened.
 */
export async function viaServerOrStore<T>(config: Config, server: () => Promise<T>, store: () => Promise<T>): Promise<{ result: T; liveConnections: string }> {
  try {
    return { result: await server(), liveConnections: 'closed by the running server' };
  } catch (error) {
    if (!(error instanceof ServerUnreachable)) throw error;
    return { result: await store(), liveConnections: `not closed (${error.message})` };
  }
}
