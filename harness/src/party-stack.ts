/**
 * The whole party on this machine, as production wires it: a real media node (mediasoup), the edge
 * under `wrangler dev` (workerd), the host's app and a listener-role app sharing one real
 * PostgreSQL, all on loopback. Browser tests and the party benchmarks drive it through Chromium.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MediaNode } from '@dmp-party/media-node';
import { type AppServer, buildApp, startAppServer, waitForScan } from './app-server';
import { startMediaNodeServer } from './media-node-server';
import { freeTcpPort, type TEST_RTC_BLOCKS } from './ports';
import { type PostgresServer, startPostgres } from './postgres-server';
import { WranglerDev } from './wrangler-dev';

export interface PartyStack {
  host: AppServer;
  /** Stops the host's app server and starts it again (same port, same data folder). */
  restartHost(): Promise<void>;
  listener: AppServer;
  edgeUrl: string;
  edge: WranglerDev;
  mediaNode: MediaNode;
  stop(): Promise<void>;
}

export interface PartyStackOptions {
  musicDir: string;
  workerBinary: string;
  mediasoupWorkers?: number;
  /** Whose block of RTC ports the media node uses (see the port plan); `partyE2e` by default. */
  portOwner?: keyof typeof TEST_RTC_BLOCKS;
  /** More media node variables, e.g. `MEDIASOUP_ANNOUNCED_IP` to route browsers through a relay. */
  mediaNodeEnv?: Record<string, string>;
  /** Quiet child processes (benchmarks). */
  quiet?: boolean;
}

export async function startPartyStack(options: PartyStackOptions): Promise<PartyStack> {
  const hostSecret = randomBytes(32).toString('hex');
  const stopping: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const step of stopping.reverse()) await Promise.resolve(step()).catch(() => undefined);
  };
  try {
    const media = await startMediaNodeServer({
      workerBinary: options.workerBinary,
      portOwner: options.portOwner ?? 'partyE2e',
      workers: options.mediasoupWorkers ?? 1,
      ...(options.mediaNodeEnv ? { env: options.mediaNodeEnv } : {}),
    });
    stopping.push(() => media.stop());
    const mediaNode = media.node;

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
    // The host's own state (the party it remembers) in a folder of this stack's, not the checkout's.
    const hostData = mkdtempSync(join(tmpdir(), 'dmp-party-host-'));
    stopping.push(() => rmSync(hostData, { recursive: true, force: true }));
    const hostEnv = {
      PARTY_ROLE: 'host',
      DATABASE_URL: postgres.url,
      MUSIC_DIR: options.musicDir,
      PARTY_URL: edge.url,
      PARTY_HOST_SECRET: hostSecret,
      PGLITE_DATA_DIR: join(hostData, 'pglite'),
    };
    let host = await startAppServer(hostEnv, hostPort);
    stopping.push(() => host.stop());
    await waitForScan(host);
    const listener = await startAppServer(
      { PARTY_ROLE: 'listener', DATABASE_URL: postgres.url, PARTY_URL: edge.url },
      listenerPort,
    );
    stopping.push(() => listener.stop());
    const stack: PartyStack = {
      host,
      listener,
      edgeUrl: edge.url,
      edge,
      mediaNode,
      stop,
      async restartHost() {
        await host.stop();
        host = await startAppServer(hostEnv, hostPort);
        stack.host = host;
      },
    };
    return stack;
  } catch (error) {
    await stop();
    throw error;
  }
}
