export { ConfigError, loadConfig, type MediaNodeConfig } from './config';
export { type MediaNode, startMediaNode } from './media-node';
export { resolveWorkerBinary, workerCacheRoot } from './worker-location';
