export { ConfigError, loadConfig, type MediaNodeConfig } from './config';
export { type MediaNode, startMediaNode } from './media-node';
export { resolveWorkerBinary } from './worker-location';
