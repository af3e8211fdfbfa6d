import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Bumped whenever the build recipe changes in a way that changes the binary (for example how
 * libsrtp is built), so that a cached worker from an older recipe is never reused.
 */
export const WORKER_RECIPE_REVISION = 1;

const require = createRequire(import.meta.url);

/** The folder of the installed `mediasoup` npm package (its `worker/` holds the C++ sources). */
export function mediasoupPackageDir(): string {
  return dirname(require.resolve('mediasoup/package.json'));
}

/** The installed mediasoup version, read from its package.json. */
export function installedMediasoupVersion(): string {
  const pkg = require('mediasoup/package.json') as { version: string };
  return pkg.version;
}

/**
 * Root of the worker cache. It lives outside the clone (so every fresh clone on this machine
 * reuses one build) unless `MEDIASOUP_WORKER_CACHE_DIR` says otherwise.
 */
export function workerCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MEDIASOUP_WORKER_CACHE_DIR) return env.MEDIASOUP_WORKER_CACHE_DIR;
  const cacheHome = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cacheHome, 'dmp-party', 'mediasoup-worker');
}

/** Cache key: mediasoup version plus recipe revision. */
export function workerCacheKey(version = installedMediasoupVersion()): string {
  return `${version}-openssl-srtp-r${WORKER_RECIPE_REVISION}`;
}

/** Where the cached worker binary for the installed mediasoup lives (it may not exist yet). */
export function cachedWorkerBinaryPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(workerCacheRoot(env), workerCacheKey(), 'mediasoup-worker');
}

/**
 * The worker binary the media node should run: `MEDIASOUP_WORKER_BIN` when set, else the cached
 * build for the installed mediasoup version.
 */
export function resolveWorkerBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env.MEDIASOUP_WORKER_BIN || cachedWorkerBinaryPath(env);
}
