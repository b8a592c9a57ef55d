import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.js';
import { listenerLines, startupWarnings } from './startup.js';

const config = (values: Record<string, string>) => loadConfig({ dataDir: '/tmp/x', ...values }, {});
const apps = [
  { id: 1, name: 'default', settings: { denySessionWithoutUser: false } },
  { id: 2, name: 'locked', settings: { denySessionWithoutUser: true } },
];

describe('start-up lines', () => {
  it('list HTTP, WebSocket, XMPP TCP with its TLS state, and the admin API', () => {
    const plain = listenerLines(config({ dashboard: 'false' }), { url: 'http://127.0.0.1:8080', xmppPort: 5222 }).join('\n');
    expect(plain).toMatch(/HTTP +http:\/\/127\.0\.0\.1:8080/);
    expect(plain).toMatch(/WebSocket +ws:\/\/127\.0\.0\.1:8080\/ws/);
    expect(plain).toMatch(/XMPP TCP +127\.0\.0\.1:5222 +\(no TLS: SASL PLAIN passwords travel in clear\)/);
    expect(plain).toMatch(/Admin API +off/);
    // With the dashboard (the default) operators sign in to the admin API even without a token.
    expect(listenerLines(config({}), { url: 'http://127.0.0.1:8080', xmppPort: 5222 }).join('\n')).toMatch(/Admin API +http:\/\/127\.0\.0\.1:8080\/admin \(dashboard operators/);
    const tls = listenerLines(config({ xmppTlsCert: '/c.pem', xmppTlsKey: '/k.pem', adminToken: 't' }), { url: 'http://127.0.0.1:8080', xmppPort: 5222 }).join('\n');
    expect(tls).toMatch(/XMPP TCP .*STARTTLS, required before login/);
    expect(tls).toMatch(/Admin API +http:\/\/127\.0\.0\.1:8080\/admin/);
    expect(listenerLines(config({}), { url: 'http://127.0.0.1:8080' }).join('\n')).toMatch(/XMPP TCP +off/);
  });

  it('warn about automatic sign-up per application and PLAIN without TLS off loopback', () => {
    const loopback = startupWarnings(config({}), { url: 'http://127.0.0.1:8080', xmppPort: 5222 }, apps);
    expect(loopback).toEqual([expect.stringMatching(/^warning: application 1 "default" signs up unknown logins automatically.*parley app set --app 1 --deny-session-without-user$/)]);
    const exposed = startupWarnings(config({ host: '0.0.0.0' }), { url: 'http://0.0.0.0:8080', xmppPort: 5222 }, apps);
    expect(exposed[0]).toMatch(/^warning: XMPP TCP on 0\.0\.0\.0:5222 offers SASL PLAIN without TLS/);
    expect(startupWarnings(config({ host: '0.0.0.0', xmppTlsCert: '/c', xmppTlsKey: '/k' }), { url: 'x', xmppPort: 5222 }, [])).toEqual([]);
    expect(startupWarnings(config({ host: '0.0.0.0' }), { url: 'x' }, [])).toEqual([]);
  });
});
