export * from './postgres.js';
export * from './server.js';
export * from './rest.js';
export * from './xmpp.js';
export type { CallPushNotifier, IncomingCallNotice } from '@parley/server';
