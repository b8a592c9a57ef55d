import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface ManagedJanusSettings {
  /** Private folder for the generated configuration (recreated on every start). */
  folder: string;
  /** Where the janus package keeps `plugins/` and `transports/`. */
  libDir: string;
  wsPort: number;
  apiSecret: string;
  adminKey: string;
  rtpPorts: string;
  publicIp: string;
  iceInterfaces: string;
}

const quote = (value: string) => JSON.stringify(value);

/**
 * Writes Janus's configuration with only what conferencing needs (realtime.md §13.7): the videoroom
 * plugin and the WebSocket transport (loopback only), linked into private folders so no other
 * plugin, transport, event handler or logger is loaded.
 */
export async function writeManagedJanusConfig(settings: ManagedJanusSettings): Promise<string> {
  const { folder } = settings;
  await rm(folder, { recursive: true, force: true });
  for (const sub of ['plugins', 'transports', 'events', 'loggers']) await mkdir(path.join(folder, sub), { recursive: true, mode: 0o700 });
  await symlink(path.join(settings.libDir, 'plugins', 'libjanus_videoroom.so'), path.join(folder, 'plugins', 'libjanus_videoroom.so'));
  await symlink(path.join(settings.libDir, 'transports', 'libjanus_websockets.so'), path.join(folder, 'transports', 'libjanus_websockets.so'));

  const nat = [
    '  ignore_mdns = true',
    settings.publicIp === '' ? '' : `  nat_1_1_mapping = ${quote(settings.publicIp)}`,
    settings.iceInterfaces === '' ? '' : `  ice_enforce_list = ${quote(settings.iceInterfaces)}`,
  ].filter((line) => line !== '');
  const main = [
    'general: {',
    `  configs_folder = ${quote(folder)}`,
    `  plugins_folder = ${quote(path.join(folder, 'plugins'))}`,
    `  transports_folder = ${quote(path.join(folder, 'transports'))}`,
    `  events_folder = ${quote(path.join(folder, 'events'))}`,
    `  loggers_folder = ${quote(path.join(folder, 'loggers'))}`,
    '  debug_level = 3',
    '  server_name = "parley-janus"',
    '  session_timeout = 60',
    '  token_auth = false',
    `  api_secret = ${quote(settings.apiSecret)}`,
    `  admin_secret = ${quote(settings.apiSecret)}`,
    '  protected_folders = ["/bin", "/boot", "/dev", "/etc", "/initrd", "/lib", "/lib32", "/lib64", "/proc", "/sbin", "/sys", "/usr", "/var"]',
    '}',
    'certificates: {}',
    'media: {',
    `  rtp_port_range = ${quote(settings.rtpPorts)}`,
    '}',
    'nat: {',
    ...nat,
    '}',
    'plugins: {}',
    'transports: {}',
    'loggers: {}',
    'events: {}',
    '',
  ].join('\n');
  const websockets = [
    'general: {',
    '  json = "compact"',
    '  ws = true',
    `  ws_port = ${settings.wsPort}`,
    '  ws_ip = "127.0.0.1"',
    '  wss = false',
    '}',
    'admin: {',
    '  admin_ws = false',
    '}',
    '',
  ].join('\n');
  const videoroom = ['general: {', `  admin_key = ${quote(settings.adminKey)}`, '  lock_rtp_forward = true', '  string_ids = true', '}', ''].join('\n');
  const configFile = path.join(folder, 'janus.jcfg');
  await writeFile(configFile, main, { mode: 0o600 });
  await writeFile(path.join(folder, 'janus.transport.websockets.jcfg'), websockets, { mode: 0o600 });
  await writeFile(path.join(folder, 'janus.plugin.videoroom.jcfg'), videoroom, { mode: 0o600 });
  return configFile;
}
