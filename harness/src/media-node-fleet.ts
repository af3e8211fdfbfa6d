/**
 * Several media node processes for one party (the cascade): each on its own HTTP port and its own
 * block of RTC ports, all with one secret, as a deployment with `MEDIA_NODE_URLS` runs them. A
 * block another run holds right now is given up for the next.
 */
import { randomBytes } from 'node:crypto';
import { MediaNodeProcess } from './media-node-process';
import { freeTcpPort, rtcPortBlocks } from './ports';

export interface MediaNodeFleet {
  nodes: MediaNodeProcess[];
  secret: string;
  /** The edge's `MEDIA_NODE_URLS`. */
  urls: string;
  stop(): Promise<void>;
}

export async function startMediaNodeFleet(
  count: number,
  env: Record<string, string>,
): Promise<MediaNodeFleet> {
  const secret = env.MEDIA_NODE_SECRET ?? randomBytes(32).toString('hex');
  const nodes: MediaNodeProcess[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.stop().catch(() => undefined)));
  };
  const blocks = rtcPortBlocks('multiNode');
  try {
    while (nodes.length < count) {
      const rtc = blocks.shift();
      if (!rtc) throw new Error(`could not start ${count} media nodes: no free RTC port block left`);
      const started = await MediaNodeProcess.start(
        { ...env, MEDIA_NODE_SECRET: secret, RTC_MIN_PORT: String(rtc.min), RTC_MAX_PORT: String(rtc.max) },
        await freeTcpPort(),
      ).catch(() => undefined);
      if (started) nodes.push(started);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { nodes, secret, urls: nodes.map((node) => node.url).join(','), stop };
}
