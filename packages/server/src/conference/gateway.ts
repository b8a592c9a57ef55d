import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { ConferenceService } from '../domain/conference/service.js';
import type { SfuRelayTarget } from '../ports/sfu.js';
import { ClientRelay, type RelayLog } from './client-relay.js';

export const CONFERENCE_PATH = '/conference';
export const JANUS_SUBPROTOCOL = 'janus-protocol';
/** SDPs are a few KiB; nothing the SDK sends comes near this. */
const MAX_FRAME_BYTES = 256 * 1024;

export interface ConferenceGateway {
  readonly connections: number;
  close(): void;
}

/**
 * The Janus API gateway at `conference.server` (realtime.md §13): WebSocket `/conference` on the HTTP
 * port, subprotocol `janus-protocol`, one relay per client.
 */
export function attachConferenceGateway(server: Server, conference: ConferenceService, target: SfuRelayTarget, log: RelayLog): ConferenceGateway {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(JANUS_SUBPROTOCOL) ? JANUS_SUBPROTOCOL : false),
  });
  const relays = new Set<ClientRelay>();
  let accepting = true;
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== CONFERENCE_PATH) return;
    const offered = String(request.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (!accepting || !offered.includes(JANUS_SUBPROTOCOL)) {
      socket.on('error', () => undefined);
      socket.end(`HTTP/1.1 ${accepting ? '400 Bad Request' : '503 Service Unavailable'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const relay = new ClientRelay(ws, target, conference, log);
      relays.add(relay);
      ws.once('close', () => relays.delete(relay));
    });
  };
  server.on('upgrade', onUpgrade);
  return {
    get connections() {
      return relays.size;
    },
    close() {
      accepting = false;
      server.off('upgrade', onUpgrade);
      for (const relay of relays) relay.close(1001, 'server shutting down');
      relays.clear();
      wss.close();
    },
  };
}
