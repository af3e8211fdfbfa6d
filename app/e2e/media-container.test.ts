/**
 * The media node as production runs it: the image built from Dockerfile.media by a real container
 * engine (podman), on the host network, as the image's non-root user, with a read-only root
 * filesystem, carrying a party that a listener in Chromium hears. Then the container is restarted
 * mid-party (the edge's media check notices the lost session and rebuilds the media path, and the
 * listener hears again by itself) and finally stopped with SIGTERM.
 */

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeListenerAudio, untilAudible } from '@dmp-party/harness/audio-probe';
import { launchChromium } from '@dmp-party/harness/chromium';
import {
  ensureMediaImage,
  podman,
  type RunningMediaNode,
  startMediaContainer,
} from '@dmp-party/harness/container';
import {
  liveDtlsStates,
  openPage,
  playTrack,
  startHostParty,
  writeToneLibrary,
} from '@dmp-party/harness/party-pages';
import { edgeEventsUrl, type PartyStack, startPartyStack } from '@dmp-party/harness/party-stack';
import { freeTcpPort } from '@dmp-party/harness/ports';
import { MediaApiClient } from '@dmp-party/protocol';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const TRACK = { title: 'Container Tone', leftHz: 520, rightHz: 1560 };
const musicDir = mkdtempSync(join(tmpdir(), 'dmp-container-e2e-'));
let media: RunningMediaNode;
let stack: PartyStack;
let browser: Browser;
let host: Page;
let listener: Page;
let inviteUrl: string;

/** Host-side uids of a process (real, effective, saved, filesystem), from /proc. */
function uidsOf(pid: number): number[] {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^Uid:\s+(.*)$/m)?.[1] ?? '';
  return line.split(/\s+/).map(Number);
}

/** The mediasoup worker processes: the container's main process's children. */
function childPids(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map(Number);
}

const sessionId = () => inviteUrl.split('/').at(-1) as string;

beforeAll(async () => {
  writeToneLibrary(musicDir, [TRACK]);
  // A cold build compiles the mediasoup worker inside the image: minutes, once per machine.
  const image = await ensureMediaImage();
  // As deployed: the node tells the edge at once when it (re)starts.
  const edgePort = await freeTcpPort();
  media = await startMediaContainer(image.tag, 1, { EDGE_EVENTS_URL: edgeEventsUrl(edgePort) });
  await media.container.untilHealthy();
  stack = await startPartyStack({
    musicDir,
    workerBinary: inject('workerBinary'),
    mediaNode: { url: media.url, secret: media.secret },
    edgePort,
  });
  browser = await launchChromium();
  host = await openPage(browser, 'host');
  inviteUrl = await startHostParty(host, stack.host.url);
  await playTrack(host, TRACK.title);
}, 1_800_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  media?.container.remove();
  rmSync(musicDir, { recursive: true, force: true });
});

describe('the media node container', () => {
  it('runs as the image’s non-root user, on the host network, with a read-only root filesystem', () => {
    const { container } = media;
    expect(container.inspect('{{.Config.User}}')).toBe('node');
    expect(container.inspect('{{.HostConfig.NetworkMode}}')).toBe('host');
    expect(container.inspect('{{.HostConfig.ReadonlyRootfs}}')).toBe('true');
    // As the host sees them: the node process and each mediasoup worker run as uid 1000.
    const main = container.hostPid();
    const workers = childPids(main);
    expect(workers.length).toBeGreaterThan(0);
    for (const pid of [main, ...workers]) expect(uidsOf(pid)).toEqual([1000, 1000, 1000, 1000]);
    expect(() => podman(['exec', container.id, 'touch', '/app/written-at-run-time'])).toThrow(
      /Read-only file system/,
    );
  });

  it('reports healthy through the image’s own health check', async () => {
    expect(media.container.inspect('{{json .Config.Healthcheck.Test}}')).toContain('/health');
    // One check is a `node -e` under a 3 s timeout: on a busy machine a single one can miss it.
    await expect
      .poll(() => media.container.checkHealth(), { timeout: 30_000, interval: 1_000 })
      .toBe('healthy');
  });

  it('carries the party: a Chromium listener hears the host in stereo through it', async () => {
    listener = await openPage(browser, 'listener');
    await listener.goto(inviteUrl);
    const heard = await untilAudible(listener, TRACK);
    expect(heard.channels).toBe(2);
    const levels = await probeListenerAudio(listener, TRACK, 1500);
    expect(levels.left.atLeftHzDb - levels.left.atRightHzDb).toBeGreaterThan(30);
    expect(levels.right.atRightHzDb - levels.right.atLeftHzDb).toBeGreaterThan(30);
    // The audio went through the container: its session holds the host's producer and the consumer.
    const stats = await new MediaApiClient(media.url, media.secret).sessionStats(sessionId());
    expect(stats.producers).toBe(1);
    expect(stats.consumers).toBeGreaterThanOrEqual(1);
    expect(stats.bytesSent).toBeGreaterThan(0);
  });

  it('after `podman restart` mid-party, the listener hears the host again by itself', async () => {
    const pidBefore = media.container.hostPid();
    const restarting = media.container.restart(10);
    // The old media path is gone: the listener hears silence first...
    await expect
      .poll(async () => (await probeListenerAudio(listener, TRACK, 300)).left.rms, { timeout: 15_000 })
      .toBeLessThan(0.01);
    await restarting;
    expect(media.container.hostPid()).not.toBe(pidBefore);
    await media.container.untilHealthy();
    // ...until the edge's media check finds the session gone and the media path is rebuilt.
    await untilAudible(listener, TRACK, 60_000);
    expect(await listener.getByTestId('listener-bar').getAttribute('data-phase')).toBe('live');
    const stats = await new MediaApiClient(media.url, media.secret).sessionStats(sessionId());
    expect(stats.consumers).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('on SIGTERM tells every peer it is closing and exits by itself within the 10 s stop timeout; a listener asking for media is told it is down', async () => {
    expect(await liveDtlsStates(listener)).toContain('connected');
    expect(await liveDtlsStates(host)).toContain('connected');
    const outcome = await media.container.stop(10);
    console.log(`podman stop took ${outcome.elapsedMs.toFixed(0)} ms`);
    // 0: the node drained and exited; podman would have killed it at 10 s (exit code 137).
    expect(outcome.exitCode).toBe(0);
    expect(media.container.logs()).toContain('draining');
    // Each session was closed on the node, so host and listener got DTLS close alerts at once
    // (a node that just vanished would leave them "connected" until ICE timed out).
    await expect.poll(() => liveDtlsStates(listener), { timeout: 5_000 }).toContain('closed');
    await expect.poll(() => liveDtlsStates(host), { timeout: 5_000 }).toContain('closed');
    // While the node is down a join still gets the party's state (the object's own), and asking for
    // media says the node is down: MEDIA_NODE_UNAVAILABLE, not an internal error.
    const reply = await listener.evaluate(
      async ({ edge, sessionId }) => {
        const socket = new WebSocket(`${edge.replace(/^http/, 'ws')}/party/${sessionId}/ws`);
        const answer = new Promise<{ type: string; code?: string }>((resolve) =>
          socket.addEventListener('message', (event) => {
            const message = JSON.parse(event.data);
            if (message.reqId === 2) resolve(message);
          }),
        );
        await new Promise((resolve) => socket.addEventListener('open', resolve, { once: true }));
        socket.send(JSON.stringify({ type: 'join', reqId: 1 }));
        socket.send(JSON.stringify({ type: 'createRecvTransport', reqId: 2 }));
        const message = await answer;
        socket.close();
        return message;
      },
      { edge: stack.edgeUrl, sessionId: sessionId() },
    );
    expect(reply).toMatchObject({ type: 'error', code: 'MEDIA_NODE_UNAVAILABLE' });
  });
});
