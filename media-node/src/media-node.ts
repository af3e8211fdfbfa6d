import { randomUUID } from 'node:crypto';
import { importSigningKey } from '@dmp-party/protocol';
import type { types } from 'mediasoup';
import type { MediaNodeConfig } from './config';
import { EdgeEvents } from './edge-events';
import { createApp } from './http/app';
import { loadMediasoup } from './media/mediasoup-loader';
import { SessionRegistry } from './media/session-registry';
import { WorkerPool } from './media/worker-pool';

/** A running media node: its workers, sessions and HTTP app (not yet bound to a port). */
export interface MediaNode {
  app: ReturnType<typeof createApp>;
  pool: WorkerPool;
  registry: SessionRegistry;
  /**
   * Tells the edge this node has just started and holds no session (with `EDGE_EVENTS_URL`), so a
   * party it served before a restart rebuilds its media now. Call once the API is listening.
   */
  announceStart(): void;
  /**
   * SIGTERM's first step: tells the edge this node drains (a `sessionDraining` event per session,
   * so each party moves its media elsewhere and closes its session here), then waits until no
   * session is left or `timeoutMs` has passed. `close` follows.
   */
  drain(timeoutMs: number): Promise<void>;
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
  const edge = new EdgeEvents({ url: config.edgeEventsUrl, secret: config.secret });
  registry.on('sessionRebuilt', (session) =>
    edge.send({ type: 'sessionRebuilt', sessionId: session.sessionId, generation: session.generation }),
  );
  let closing: Promise<void> | undefined;
  return {
    app,
    pool,
    registry,
    announceStart: () => edge.send({ type: 'nodeStarted', bootId: randomUUID() }),
    async drain(timeoutMs) {
      registry.draining = true;
      const sessions = await registry.all();
      for (const session of sessions) edge.send({ type: 'sessionDraining', sessionId: session.sessionId });
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline && (await registry.all()).length > 0)
        await new Promise((resolve) => setTimeout(resolve, 100));
    },
    close() {
      closing ??= (async () => {
        edge.close();
        await registry.closeAll();
        await pool.close();
      })();
      return closing;
    },
  };
}
