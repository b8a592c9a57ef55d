export * from './postgres.js';
export * from './server.js';
export * from './rest.js';
export * from './xmpp.js';
export * from './fake-ai.js';
export * from './brokers.js';
export * from './s3.js';
export type { CallPushNotifier, IncomingCallNotice } from '@parley/server';
export * from './push-receivers.js';
