export * from './postgres.js';
export * from './server.js';
export * from './rest.js';
export * from './xmpp.js';
export * from './push-receivers.js';
