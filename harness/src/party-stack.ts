/**
 * The whole party on this machine, as production wires it: a real media node (mediasoup), the edge
 * under `wrangler dev` (workerd), the host's app and a listener-role app sharing one real
 * PostgreSQL, all on loopback. Browser tests and the party benchmarks drive it through Chromium.
 */
import { randomBytes } from 'node:crypto';
import type { MediaNode } from '@dmp-party/media-node';
import { type AppServer, buildApp, startAppServer, waitForScan } from './app-server';
import { startMediaNodeServer } from './media-node-server';
import { freeTcpPort } from './ports';
import { type PostgresServer, startPostgres } from './postgres-server';
import { WranglerDev } from './wrangler-dev';

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
  const hostSecret = randomBytes(32).toString('hex');
  const stopping: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const step of stopping.reverse()) await Promise.resolve(step()).catch(() => undefined);
  };
  try {
    let mediaNode: MediaNode | undefined;
    let media: { url: string; secret: string } | undefined = options.mediaNode;
    if (!media) {
      const server = await startMediaNodeServer({
        workerBinary: options.workerBinary,
        portOwner: 'partyE2e',
        workers: options.mediasoupWorkers ?? 1,
      });
      stopping.push(() => server.stop());
      mediaNode = server.node;
      media = server;
    }

    const postgres: PostgresServer = await startPostgres();
    stopping.push(() => postgres.stop());

    const [hostPort, listenerPort] = [await freeTcpPort(), await freeTcpPort()];
    const hostOrigin = `http://127.0.0.1:${hostPort}`;
    const listenerOrigin = `http://127.0.0.1:${listenerPort}`;
    const edge = await WranglerDev.start({
      PARTY_HOST_SECRET: hostSecret,
      MEDIA_NODE_SECRET: media.secret,
      MEDIA_NODE_URL: media.url,
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
