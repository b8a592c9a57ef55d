/** What `parley status` and `GET /admin/status` report about a running server. */
export interface ServerStatus {
  version: string;
  uptimeSeconds: number;
  listeners: ListenerInfo[];
  connections: { total: number; websocket: number; tcp: number };
  database: { kind: string; ok: boolean; error?: string };
}

export interface ListenerInfo {
  name: 'http' | 'websocket' | 'xmpp-tcp' | 'metrics';
  url: string;
  /** TCP: whether STARTTLS is offered (and required before login). */
  tls?: boolean;
}
