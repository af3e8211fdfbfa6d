import type * as Mediasoup from 'mediasoup';

export type MediasoupModule = typeof Mediasoup;

let loaded: Promise<MediasoupModule> | undefined;

/**
 * Loads mediasoup with our worker binary. mediasoup reads `MEDIASOUP_WORKER_BIN` once, when its
 * Worker module is first evaluated, so the variable must be set before the first import.
 */
export function loadMediasoup(workerBinary: string): Promise<MediasoupModule> {
  if (!loaded) {
    process.env.MEDIASOUP_WORKER_BIN = workerBinary;
    loaded = import('mediasoup');
  }
  return loaded;
}
