/**
 * The whole party on this machine, as production wires it: a real media node (mediasoup), the edge
 * under `wrangler dev` (workerd), the host's app and a listener-role app sharing one real
 * PostgreSQL, all on loopback. Browser tests and the party benchmarks drive it through Chromium.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { WranglerDev } from '../../edge/test-support/wrangler-dev';
import { loadConfig } from '../../media-node/src/config';
import { type MediaNode, startMediaNode } from '../../media-node/src/media-node';
import { freeTcpPort, rtcPortBlock } from '../../media-node/test-support/ports';
import { type AppServer, buildApp, startAppServer, waitForScan } from '../test/app-server';
import { type PostgresServer, startPostgres } from '../test-support/postgres-server';

export interface PartyStack {
  host: AppServer;
  listener: AppServer;
  edgeUrl: string;
  edge: WranglerDev;
  /** The in-process media node; absent when `options.mediaNode` named one running elsewhere. */
  mediaNode?: MediaNode;
  stop(): Promise<void>;
}

export interface PartyStackOptions {
  musicDir: string;
  workerBinary: string;
  mediasoupWorkers?: number;
  /** Quiet child processes (benchmarks). */
  quiet?: boolean;
  /** A media node already running (e.g. the container): its API's URL and secret. */
  mediaNode?: { url: string; secret: string };
}

export async function startPartyStack(options: PartyStackOptions): Promise<PartyStack> {
  const mediaSecret = options.mediaNode?.secret ?? randomBytes(32).toString('hex');
  const hostSecret = randomBytes(32).toString('hex');
  const rtc = rtcPortBlock('partyE2e');
  const stopping: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const step of stopping.reverse()) await Promise.resolve(step()).catch(() => undefined);
  };
  try {
    let mediaNode: MediaNode | undefined;
    let mediaUrl = options.mediaNode?.url;
    if (!mediaUrl) {
      const node = await startMediaNode(
        loadConfig({
          MEDIA_NODE_SECRET: mediaSecret,
          MEDIASOUP_WORKERS: String(options.mediasoupWorkers ?? 1),
          RTC_MIN_PORT: String(rtc.min),
          RTC_MAX_PORT: String(rtc.max),
          MEDIA_NODE_LOG_LEVEL: 'silent',
        }),
        options.workerBinary,
      );
      mediaNode = node;
      stopping.push(() => node.close());
      const mediaServer = serve({ fetch: node.app.fetch, port: 0, hostname: '127.0.0.1' });
      await new Promise<void>((resolve) => mediaServer.once('listening', () => resolve()));
      stopping.push(() => new Promise<void>((resolve) => mediaServer.close(() => resolve())));
      mediaUrl = `http://127.0.0.1:${(mediaServer.address() as AddressInfo).port}`;
    }

    const postgres: PostgresServer = await startPostgres();
    stopping.push(() => postgres.stop());

    const [hostPort, listenerPort] = [await freeTcpPort(), await freeTcpPort()];
    const hostOrigin = `http://127.0.0.1:${hostPort}`;
    const listenerOrigin = `http://127.0.0.1:${listenerPort}`;
    const edge = await WranglerDev.start({
      PARTY_HOST_SECRET: hostSecret,
      MEDIA_NODE_SECRET: mediaSecret,
      MEDIA_NODE_URL: mediaUrl,
      ALLOWED_ORIGINS: `${hostOrigin},${listenerOrigin}`,
      PUBLIC_URL: listenerOrigin,
    });
    stopping.push(() => edge.stop());

    buildApp();
    const host = await startAppServer(
      {
        PARTY_ROLE: 'host',
        DATABASE_URL: postgres.url,
        MUSIC_DIR: options.musicDir,
        PARTY_URL: edge.url,
        PARTY_HOST_SECRET: hostSecret,
      },
      hostPort,
    );
    stopping.push(() => host.stop());
    await waitForScan(host);
    const listener = await startAppServer(
      { PARTY_ROLE: 'listener', DATABASE_URL: postgres.url, PARTY_URL: edge.url },
      listenerPort,
    );
    stopping.push(() => listener.stop());
    return { host, listener, edgeUrl: edge.url, edge, mediaNode, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
