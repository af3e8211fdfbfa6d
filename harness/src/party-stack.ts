/**
 * The whole party on this machine, as production wires it: a real media node (mediasoup), the edge
 * under `wrangler dev` (workerd), the host's app and a listener-role app sharing one real
 * PostgreSQL, all on loopback. Browser tests and the party benchmarks drive it through Chromium.
 * The media node posts its events to the edge (`EDGE_EVENTS_URL`), as `npm start` wires it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MediaNode } from '@dmp-party/media-node';
import { MEDIA_EVENTS_PATH, MediaApiClient } from '@dmp-party/protocol';
import { type AppServer, buildApp, startAppServer, waitForScan } from './app-server';
import { type DelayProxy, startDelayProxy } from './delay-proxy';
import { startMediaNodeFleet } from './media-node-fleet';
import { MediaNodeProcess } from './media-node-process';
import { startMediaNodeServer } from './media-node-server';
import { freeTcpPort, rtcPortBlocks, type TEST_RTC_BLOCKS } from './ports';
import { type PostgresServer, startPostgres } from './postgres-server';
import { WranglerDev } from './wrangler-dev';

export interface PartyStack {
  host: AppServer;
  /** Stops the host's app server and starts it again (same port, same data folder). */
  restartHost(): Promise<void>;
  listener: AppServer;
  edgeUrl: string;
  edge: WranglerDev;
  /** The media node's signed API, as the edge sees it. */
  media: MediaApiClient;
  /** With `mediaNodeProcess`: the node's own process, to kill and start again. */
  mediaProcess: MediaNodeProcess | undefined;
  /** With `mediaNodeCount`: every node's process (the edge's `MEDIA_NODE_URLS`, in order). */
  mediaProcesses: MediaNodeProcess[];
  /** The media node when it runs inside this process (neither `mediaNodeProcess` nor `mediaNode`). */
  mediaNode: MediaNode | undefined;
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
  /** Run the media node as its own process on a fixed port (fault tests), not inside this one. */
  mediaNodeProcess?: boolean;
  /** More edge vars (e.g. `MEDIA_CHECK_SECONDS`). */
  edgeVars?: Record<string, string>;
  /** Quiet child processes (benchmarks). */
  quiet?: boolean;
  /** A media node already running (e.g. the container): its API's URL and secret. */
  mediaNode?: { url: string; secret: string };
  /**
   * The edge's port, when a media node started before the stack posts its events there (see
   * `edgeEventsUrl`); a free one otherwise.
   */
  edgePort?: number;
  /**
   * A deployed party's round trips (delay proxies): browsers reach the edge and the listener site
   * through `browserEdgeRttMs` (Cloudflare is near them), the edge reaches the media node through
   * `edgeMediaRttMs` (the VPS is not near Cloudflare). The host's own page and app stay local.
   */
  latency?: LatencyModel;
  /** Several media node processes, all given to the edge (`MEDIA_NODE_URLS`). */
  mediaNodeCount?: number;
}

export interface LatencyModel {
  browserEdgeRttMs: number;
  edgeMediaRttMs: number;
}

/** What a production deployment's round trips look like (browser → Cloudflare → a VPS). */
export const PRODUCTION_LATENCY: LatencyModel = { browserEdgeRttMs: 30, edgeMediaRttMs: 40 };

/** Where a local media node posts its events: the edge's route on `edgePort` (see docs/EDGE.md). */
export function edgeEventsUrl(edgePort: number): string {
  return `http://127.0.0.1:${edgePort}${MEDIA_EVENTS_PATH}`;
}

export async function startPartyStack(options: PartyStackOptions): Promise<PartyStack> {
  const hostSecret = randomBytes(32).toString('hex');
  const stopping: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const step of stopping.reverse()) await Promise.resolve(step()).catch(() => undefined);
  };
  try {
    // The edge's port is chosen first: the media node needs it for its events.
    const edgePort = options.edgePort ?? (await freeTcpPort());
    const mediaEnv = {
      MEDIASOUP_WORKERS: String(options.mediasoupWorkers ?? 1),
      EDGE_EVENTS_URL: edgeEventsUrl(edgePort),
      ...options.mediaNodeEnv,
    };
    const fleet =
      (options.mediaNodeCount ?? 1) > 1
        ? await startMediaNodeFleet(options.mediaNodeCount as number, {
            ...mediaEnv,
            MEDIASOUP_WORKER_BIN: options.workerBinary,
            ...(options.quiet ? { MEDIA_NODE_LOG_LEVEL: 'error' } : {}),
          })
        : undefined;
    const media = fleet
      ? (fleet.nodes[0] as MediaNodeProcess)
      : options.mediaNode
        ? runningMediaNode(options.mediaNode)
        : await startMediaNode(options, mediaEnv);
    stopping.push(() => (fleet ? fleet.stop() : media.stop()));
    // Proxies listen before their targets start: they connect to them only when a client comes.
    const delayed = async (target: string, rttMs: number | undefined): Promise<string> => {
      if (rttMs === undefined) return target;
      const proxy: DelayProxy = await startDelayProxy(target, rttMs);
      stopping.push(() => proxy.close());
      return proxy.url;
    };

    const postgres: PostgresServer = await startPostgres();
    stopping.push(() => postgres.stop());

    const [hostPort, listenerPort] = [await freeTcpPort(), await freeTcpPort()];
    const hostOrigin = `http://127.0.0.1:${hostPort}`;
    const listenerOrigin = await delayed(
      `http://127.0.0.1:${listenerPort}`,
      options.latency?.browserEdgeRttMs,
    );
    const edge = await WranglerDev.start(
      {
        PARTY_HOST_SECRET: hostSecret,
        MEDIA_NODE_SECRET: media.secret,
        MEDIA_NODE_URL: await delayed(media.url, options.latency?.edgeMediaRttMs),
        ...(fleet ? { MEDIA_NODE_URLS: fleet.urls } : {}),
        ALLOWED_ORIGINS: `${hostOrigin},${listenerOrigin}`,
        PUBLIC_URL: listenerOrigin,
        ...options.edgeVars,
      },
      { port: edgePort },
    );
    stopping.push(() => edge.stop());
    const partyUrl = await delayed(edge.url, options.latency?.browserEdgeRttMs);

    buildApp();
    // The host's own state (the party it remembers) in a folder of this stack's, not the checkout's.
    const hostData = mkdtempSync(join(tmpdir(), 'dmp-party-host-'));
    stopping.push(() => rmSync(hostData, { recursive: true, force: true }));
    const hostEnv = {
      PARTY_ROLE: 'host',
      DATABASE_URL: postgres.url,
      MUSIC_DIR: options.musicDir,
      PARTY_URL: partyUrl,
      PARTY_HOST_SECRET: hostSecret,
      PGLITE_DATA_DIR: join(hostData, 'pglite'),
    };
    let host = await startAppServer(hostEnv, hostPort);
    stopping.push(() => host.stop());
    await waitForScan(host);
    const listener = await startAppServer(
      { PARTY_ROLE: 'listener', DATABASE_URL: postgres.url, PARTY_URL: partyUrl },
      listenerPort,
    );
    stopping.push(() => listener.stop());
    const stack: PartyStack = {
      host,
      listener: { ...listener, url: listenerOrigin },
      edgeUrl: edge.url,
      edge,
      media: media.client,
      mediaProcess: media instanceof MediaNodeProcess ? media : undefined,
      mediaProcesses: fleet?.nodes ?? [],
      mediaNode: 'node' in media ? media.node : undefined,
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

/** A node started by someone else (the container tests): theirs to stop. */
function runningMediaNode(node: { url: string; secret: string }) {
  return { ...node, client: new MediaApiClient(node.url, node.secret), stop: () => undefined };
}

/**
 * The media node in this process (port 0), or as its own process on a port kept for restarts. Its
 * RTC ports are a block of the party's share of the port plan; a block another run on this machine
 * holds right now is given up for the next.
 */
async function startMediaNode(options: PartyStackOptions, env: Record<string, string>) {
  const blocks = rtcPortBlocks(options.portOwner ?? 'partyE2e');
  for (const [i, rtc] of blocks.entries()) {
    try {
      return await startMediaNodeOn(rtc, options, env);
    } catch (error) {
      if (i === blocks.length - 1) throw error;
    }
  }
  throw new Error('no RTC port block');
}

async function startMediaNodeOn(
  rtc: { min: number; max: number },
  options: PartyStackOptions,
  env: Record<string, string>,
) {
  if (!options.mediaNodeProcess)
    return startMediaNodeServer({
      workerBinary: options.workerBinary,
      portOwner: options.portOwner ?? 'partyE2e',
      rtc,
      env,
    });
  return MediaNodeProcess.start(
    {
      ...env,
      MEDIASOUP_WORKER_BIN: options.workerBinary,
      RTC_MIN_PORT: String(rtc.min),
      RTC_MAX_PORT: String(rtc.max),
      ...(options.quiet ? { MEDIA_NODE_LOG_LEVEL: 'error' } : {}),
    },
    await freeTcpPort(),
  );
}

/** The first worker's WebRTC port of a stack whose media node runs in this process (fault tests). */
export function inProcessRtcPort(stack: PartyStack): number {
  if (!stack.mediaNode) throw new Error('this stack runs no media node in this process');
  return stack.mediaNode.pool.rtcPort(0);
}
