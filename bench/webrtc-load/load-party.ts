/**
 * The load benchmarks' party: N media node processes (the edge's `MEDIA_NODE_URLS`), the edge under
 * `wrangler dev`, and a Node host publishing a stereo tone through the edge, as the host page does.
 */
import { randomBytes } from 'node:crypto';
import { type MediaNodeFleet, startMediaNodeFleet } from '@dmp-party/harness/media-node-fleet';
import { type PublishedTone, startToneHost } from '@dmp-party/harness/webrtc-listener';
import { WranglerDev } from '@dmp-party/harness/wrangler-dev';
import { resolveWorkerBinary } from '@dmp-party/media-node';
import { mintHostToken } from '@dmp-party/protocol';

export const LOAD_ORIGIN = 'http://bench.local';

export interface LoadParty {
  fleet: MediaNodeFleet;
  edge: WranglerDev;
  sessionId: string;
  wsBase: string;
  tone: PublishedTone;
  stop(): Promise<void>;
}

export async function startLoadParty(nodes: number, workersPerNode: number): Promise<LoadParty> {
  const fleet = await startMediaNodeFleet(nodes, {
    MEDIASOUP_WORKERS: String(workersPerNode),
    MEDIASOUP_WORKER_BIN: resolveWorkerBinary(),
    MEDIA_NODE_LOG_LEVEL: 'error',
    MEDIA_NODE_DRAIN_SECONDS: '0',
  });
  const hostSecret = randomBytes(32).toString('hex');
  let edge: WranglerDev | undefined;
  try {
    edge = await WranglerDev.start({
      PARTY_HOST_SECRET: hostSecret,
      MEDIA_NODE_SECRET: fleet.secret,
      MEDIA_NODE_URL: fleet.nodes[0]?.url as string,
      MEDIA_NODE_URLS: fleet.urls,
      ALLOWED_ORIGINS: LOAD_ORIGIN,
      PUBLIC_URL: LOAD_ORIGIN,
      LISTENER_CAP: '20000',
    });
    const sessionId = `load-${randomBytes(4).toString('hex')}`;
    const wsBase = edge.url.replace(/^http/, 'ws');
    const tone = await startToneHost(
      `${wsBase}/party/${sessionId}/ws`,
      await mintHostToken(hostSecret, sessionId),
      LOAD_ORIGIN,
    );
    const running = edge;
    return {
      fleet,
      edge,
      sessionId,
      wsBase,
      tone,
      stop: async () => {
        tone.stop();
        await running.stop();
        await fleet.stop();
      },
    };
  } catch (error) {
    await edge?.stop();
    await fleet.stop();
    throw error;
  }
}
