import { importSigningKey } from '@dmp-party/protocol';
import type { types } from 'mediasoup';
import type { MediaNodeConfig } from './config';
import { createApp } from './http/app';
import { loadMediasoup } from './media/mediasoup-loader';
import { SessionRegistry } from './media/session-registry';
import { WorkerPool } from './media/worker-pool';

/** A running media node: its workers, sessions and HTTP app (not yet bound to a port). */
export interface MediaNode {
  app: ReturnType<typeof createApp>;
  pool: WorkerPool;
  registry: SessionRegistry;
  /** Closes every session and worker; idempotent. */
  close(): Promise<void>;
}

export async function startMediaNode(config: MediaNodeConfig, workerBinary: string): Promise<MediaNode> {
  const mediasoup = await loadMediasoup(workerBinary);
  const pool = new WorkerPool(mediasoup, {
    count: config.workerCount,
    listenIp: config.listenIp,
    announcedAddress: config.announcedAddress,
    rtcPortBase: config.rtcPortBase,
    rtcMinPort: config.rtcMinPort,
    rtcMaxPort: config.rtcMaxPort,
    logLevel: (['debug', 'warn', 'error'].includes(config.logLevel)
      ? config.logLevel
      : 'error') as types.WorkerLogLevel,
  });
  await pool.start();
  const registry = new SessionRegistry(pool, {
    listenIp: config.listenIp,
    announcedAddress: config.announcedAddress,
    maxConsumersPerWorker: config.maxConsumersPerWorker,
  });
  const app = createApp({ registry, pool, signingKey: await importSigningKey(config.secret) });
  let closing: Promise<void> | undefined;
  return {
    app,
    pool,
    registry,
    close() {
      closing ??= (async () => {
        await registry.closeAll();
        await pool.close();
      })();
      return closing;
    },
  };
}
