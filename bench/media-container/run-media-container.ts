/**
 * The media node's container, measured: image size; build time cold (no cache at all), with every
 * layer cached, and the check each `npm test` pays; start to healthy; and a restart mid-party until
 * a listener in Chromium hears the host again, timed from the listener's received audio.
 */

import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { untilAudible } from '@dmp-party/harness/audio-probe';
import { launchChromium } from '@dmp-party/harness/chromium';
import {
  buildMediaImage,
  ensureMediaImage,
  makeNodeBaseImages,
  nodeImageName,
  podman,
  podmanSucceeds,
  type RunningMediaNode,
  startMediaContainer,
} from '@dmp-party/harness/container';
import {
  openPage,
  peerConnectionTimes,
  playTrack,
  startHostParty,
  writeToneLibrary,
} from '@dmp-party/harness/party-pages';
import { edgeEventsUrl, type PartyStack, startPartyStack } from '@dmp-party/harness/party-stack';
import { freeTcpPort } from '@dmp-party/harness/ports';
import { REPO_ROOT } from '@dmp-party/harness/repo';
import { ensureWorkerBinary } from '@dmp-party/media-node/worker-build';
import type { Browser, Page } from 'playwright-core';
import { installOnsetProbe, readOnsetsAfter } from '../party-audio/onset-probe';
import { type Summary, summarize } from '../stats';
import { waitFor } from '../wait-for';

const TONE = { title: 'Restart Tone', leftHz: 440, rightHz: 660 };

export interface MediaContainerResult {
  imageMb: number;
  /** Making the two local base images from scratch (mmdebstrap, Node from npm). */
  baseImagesSeconds: number;
  coldBuildSeconds: number;
  /** The machine's 1-minute load average during the cold build (other work shares the cores). */
  coldBuildLoad: number;
  layerCachedBuildSeconds: number;
  /** A one-line change to the media node's code: the worker layer is reused, the bundle rebuilt. */
  codeChangeBuildSeconds: number;
  /** `ensureMediaImage()` when the image exists: what every `npm test` run pays. */
  cacheCheckMs: Summary;
  /** From `podman run` until `/health` answers 200 (polled every 50 ms from the host). */
  startToAnsweringMs: Summary;
  /** From `podman run` until the image's HEALTHCHECK passes (each check execs node in the container). */
  startToHealthyMs: Summary;
  stopMs: Summary;
  restart: {
    /** From `podman restart` to the first sound the listener hears again. */
    heardAgainMs: Summary;
    /** `podman restart` itself (SIGTERM, drain, exit, start). */
    podmanRestartMs: Summary;
    /** Until the health check passes again. */
    healthyMs: Summary;
    /** Until the listener's page made its new receive transport (the edge noticed and said so). */
    newTransportMs: Summary;
  };
}

export interface MediaContainerOptions {
  startRuns: number;
  restartRuns: number;
  coldBuild: boolean;
}

const timed = async (run: () => unknown): Promise<number> => {
  const started = performance.now();
  await run();
  return performance.now() - started;
};

/** The build context as committed plus untracked files, with a comment added to the node's entry point. */
async function buildWithCodeChange(tag: string, baseImage: string): Promise<number> {
  const context = mkdtempSync(join(tmpdir(), 'dmp-image-context-'));
  try {
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: REPO_ROOT });
    for (const file of files.toString().split('\0').filter(Boolean)) {
      if (!existsSync(join(REPO_ROOT, file))) continue;
      mkdirSync(dirname(join(context, file)), { recursive: true });
      cpSync(join(REPO_ROOT, file), join(context, file));
    }
    appendFileSync(join(context, 'media-node/src/main.ts'), `// rebuilt ${Date.now()}\n`);
    return await buildMediaImage(tag, baseImage, [], console.error, context);
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

/** Scratch builds under tags of their own (removed afterwards): base images, cached, code change, cold. */
async function measureBuilds(baseImage: string, cold: boolean) {
  const scratchTag = `localhost/dmp-party-media-bench:${process.pid}`;
  const builds = {
    baseImagesSeconds: Number.NaN,
    layerCachedBuildSeconds: Number.NaN,
    codeChangeBuildSeconds: Number.NaN,
    coldBuildSeconds: Number.NaN,
    coldBuildLoad: Number.NaN,
  };
  try {
    console.error('[bench] media container: base images from scratch');
    builds.baseImagesSeconds = (await timed(() => makeNodeBaseImages(`${scratchTag}-base`))) / 1000;
    builds.layerCachedBuildSeconds = await buildMediaImage(`${scratchTag}-cached`, baseImage);
    builds.codeChangeBuildSeconds = await buildWithCodeChange(`${scratchTag}-change`, baseImage);
    if (cold) {
      console.error('[bench] media container: cold build (no cache; many minutes)');
      const load: number[] = [];
      const sampler = setInterval(() => load.push(loadavg()[0] ?? 0), 10_000);
      try {
        const noCache = ['--no-cache', '--layers=false'];
        builds.coldBuildSeconds = await buildMediaImage(`${scratchTag}-cold`, baseImage, noCache);
      } finally {
        clearInterval(sampler);
      }
      builds.coldBuildLoad = load.reduce((sum, value) => sum + value, 0) / load.length;
    }
  } finally {
    // Only these tags: the cached images keep their own.
    for (const suffix of ['cached', 'change', 'cold', 'base', 'base-slim'])
      podmanSucceeds(['rmi', `${scratchTag}-${suffix}`]);
  }
  return builds;
}

/** Fresh containers: `podman run` to the first passing health check, then `podman stop`. */
async function startAndStop(image: string, runs: number) {
  const answering: number[] = [];
  const healthy: number[] = [];
  const stops: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const { container, url } = await startMediaContainer(image, 1);
    try {
      await waitFor(
        async () => ((await fetch(`${url}/health`).catch(() => undefined))?.ok ? true : undefined),
        60_000,
        '/health',
      );
      answering.push(performance.now() - started);
      await container.untilHealthy();
      healthy.push(performance.now() - started);
      stops.push((await container.stop(10)).elapsedMs);
    } finally {
      container.remove();
    }
  }
  return { answering, healthy, stops };
}

/** A party through the container; each run restarts it and times the listener's way back to sound. */
async function restartMidParty(image: string, runs: number) {
  const musicDir = mkdtempSync(join(tmpdir(), 'dmp-container-bench-'));
  let media: RunningMediaNode | undefined;
  let stack: PartyStack | undefined;
  let browser: Browser | undefined;
  const times = {
    heard: [] as number[],
    podman: [] as number[],
    healthy: [] as number[],
    transport: [] as number[],
  };
  try {
    // Long enough to outlast every restart (a track that ends would silence the party).
    writeToneLibrary(musicDir, [TONE], { seconds: 600, sampleRate: 16_000 });
    // As deployed: the node tells the edge at once when it (re)starts (`EDGE_EVENTS_URL`).
    const edgePort = await freeTcpPort();
    media = await startMediaContainer(image, 1, { EDGE_EVENTS_URL: edgeEventsUrl(edgePort) });
    await media.container.untilHealthy();
    stack = await startPartyStack({
      musicDir,
      workerBinary: await ensureWorkerBinary(),
      mediaNode: { url: media.url, secret: media.secret },
      edgePort,
      quiet: true,
    });
    browser = await launchChromium();
    const host = await openPage(browser, 'host');
    const inviteUrl = await startHostParty(host, stack.host.url);
    await playTrack(host, TONE.title);
    const listener: Page = await openPage(browser, 'listener');
    await installOnsetProbe(listener, { source: 'party-audio' });
    await listener.goto(inviteUrl);
    await untilAudible(listener, TONE);
    for (let run = 0; run < runs; run++) {
      console.error(`[bench] media container: restart ${run + 1}/${runs}`);
      const restartAt = Date.now();
      const { container } = media;
      times.podman.push(await timed(() => container.restart(10)));
      await container.untilHealthy();
      times.healthy.push(Date.now() - restartAt);
      // Sound can only come back over a new receive transport: onsets before it would be glitches.
      const transportAt = await waitFor(
        async () => (await peerConnectionTimes(listener)).find((time) => time > restartAt),
        90_000,
        'the listener to make a new receive transport',
      );
      times.transport.push(transportAt - restartAt);
      const heardAt = await waitFor(
        async () => (await readOnsetsAfter(listener, transportAt))[0],
        30_000,
        'the listener to hear the host again',
      );
      times.heard.push(heardAt - restartAt);
      // Let the party settle, and the next restart fall at a different point of the edge's check cycle.
      await new Promise((resolve) => setTimeout(resolve, 3000 + run * 1700));
    }
  } finally {
    await browser?.close();
    await stack?.stop();
    media?.container.remove();
    rmSync(musicDir, { recursive: true, force: true });
  }
  return times;
}

export async function runMediaContainerBench(options: MediaContainerOptions): Promise<MediaContainerResult> {
  const image = await ensureMediaImage();
  const imageMb = Number(podman(['image', 'inspect', '--format', '{{.Size}}', image.tag])) / 1e6;

  console.error('[bench] media container: cache check and layer-cached build');
  const cacheChecks: number[] = [];
  for (let run = 0; run < 5; run++) cacheChecks.push(await timed(() => ensureMediaImage()));
  const builds = await measureBuilds(nodeImageName(), options.coldBuild);
  console.error('[bench] media container: start to healthy');
  const { answering, healthy, stops } = await startAndStop(image.tag, options.startRuns);
  const restarts = await restartMidParty(image.tag, options.restartRuns);
  return {
    imageMb,
    ...builds,
    cacheCheckMs: summarize(cacheChecks),
    startToAnsweringMs: summarize(answering),
    startToHealthyMs: summarize(healthy),
    stopMs: summarize(stops),
    restart: {
      heardAgainMs: summarize(restarts.heard),
      podmanRestartMs: summarize(restarts.podman),
      healthyMs: summarize(restarts.healthy),
      newTransportMs: summarize(restarts.transport),
    },
  };
}
