export * from './actor.js';
export * from './audit-log.js';
export * from './device-health.js';
export * from './device-store.js';
export * from './mqtt-access.js';
export * from './token-store.js';
