/**
 * A real media node (real mediasoup workers) inside this process, serving its HTTP API on an
 * OS-assigned port of 127.0.0.1: what the edge's tests, the party stack and benchmarks talk to.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { loadConfig, type MediaNode, startMediaNode } from '@dmp-party/media-node';
import { MediaApiClient } from '@dmp-party/protocol';
import { serve } from '@hono/node-server';
import { rtcPortBlock, type TEST_RTC_BLOCKS } from './ports';

export interface MediaNodeServer {
  node: MediaNode;
  /** Base URL of the HTTP API, e.g. `http://127.0.0.1:41234`. */
  url: string;
  secret: string;
  /** A signed client for it (the edge's view of the node). */
  client: MediaApiClient;
  stop(): Promise<void>;
}

export interface MediaNodeServerOptions {
  workerBinary: string;
  /** Whose block of RTC ports to use (see the port plan). */
  portOwner: keyof typeof TEST_RTC_BLOCKS;
  /** A block of that owner's to use, rather than one drawn at random. */
  rtc?: { min: number; max: number };
  workers?: number;
  /** More media node variables (they win over the defaults). */
  env?: Record<string, string>;
}

export async function startMediaNodeServer(options: MediaNodeServerOptions): Promise<MediaNodeServer> {
  const secret = randomBytes(32).toString('hex');
  const rtc = options.rtc ?? rtcPortBlock(options.portOwner);
  const node = await startMediaNode(
    loadConfig({
      MEDIA_NODE_SECRET: secret,
      MEDIASOUP_WORKERS: String(options.workers ?? 1),
      RTC_MIN_PORT: String(rtc.min),
      RTC_MAX_PORT: String(rtc.max),
      MEDIA_NODE_LOG_LEVEL: 'silent',
      ...options.env,
    }),
    options.workerBinary,
  );
  const server = serve({ fetch: node.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let stopping: Promise<void> | undefined;
  return {
    node,
    url,
    secret,
    client: new MediaApiClient(url, secret),
    stop() {
      stopping ??= (async () => {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await node.close();
      })();
      return stopping;
    },
  };
}
