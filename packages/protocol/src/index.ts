export * from './errors.js';
export * from './ids.js';
export * from './dates.js';
export * from './coerce.js';
export * from './rest/users.js';
export * from './rest/sessions.js';
export * from './rest/chat.js';
