export * from './errors';
export * from './ids';
export * from './media-api';
export * from './media-api-client';
export * from './media-signing';
export * from './party-messages';
export * from './rtp';
export * from './version';
