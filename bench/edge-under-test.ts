/**
 * The edge benchmarks' setup: a media node process (one worker) and the edge alone under
 * `wrangler dev` in front of it, with a host secret the benchmark mints host tokens with.
 */
import { randomBytes } from 'node:crypto';
import { MediaNodeProcess } from '@dmp-party/harness/media-node-process';
import { WranglerDev } from '@dmp-party/harness/wrangler-dev';

export interface EdgeUnderTest {
  media: MediaNodeProcess;
  edge: WranglerDev;
  hostSecret: string;
  stop(): Promise<void>;
}

/** `mediaPort`: the media node's fixed API port; `vars`: edge vars over the wiring. */
export async function startEdgeUnderTest(
  mediaPort: number,
  vars: Record<string, string>,
): Promise<EdgeUnderTest> {
  const hostSecret = randomBytes(32).toString('hex');
  const media = await MediaNodeProcess.start({ MEDIASOUP_WORKERS: '1' }, mediaPort);
  try {
    const edge = await WranglerDev.start({
      PARTY_HOST_SECRET: hostSecret,
      MEDIA_NODE_SECRET: media.secret,
      MEDIA_NODE_URL: media.url,
      ...vars,
    });
    // The edge goes first: it talks to the node, never the other way round.
    const stop = () => edge.stop().finally(() => media.stop());
    return { media, edge, hostSecret, stop };
  } catch (error) {
    await media.stop();
    throw error;
  }
}
