/**
 * One party over three media node processes (the edge's `MEDIA_NODE_URLS`): the host's producer on
 * one node, listeners spread over all three (a Chromium page on a node other than the host's,
 * real WebRTC listeners in Node on the others), fed through SRTP pipes between nodes. Killing a
 * node (SIGKILL) moves its listeners, who hear again; a node stopped with SIGTERM hands its
 * listeners over and then exits by itself.
 *
 * The edge checks a spread party's nodes every 3 s (its default). A drained node would wait two
 * minutes for the edge (MEDIA_NODE_DRAIN_SECONDS), so its exit within the test's time shows the
 * edge moved everything off it. Only processes this file started are stopped, by pid.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { partyStreamId, untilAudible } from '@dmp-party/harness/audio-probe';
import { launchChromium } from '@dmp-party/harness/chromium';
import type { MediaNodeProcess } from '@dmp-party/harness/media-node-process';
import { TEST_ALBUM_TONES, writeTestAlbum } from '@dmp-party/harness/music-fixtures';
import { type PartyStack, startPartyStack } from '@dmp-party/harness/party-stack';
import { WebRtcListener } from '@dmp-party/harness/webrtc-listener';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const musicDir = mkdtempSync(join(tmpdir(), 'dmp-party-cascade-'));
let stack: PartyStack;
let browser: Browser;
let page: Page;
let sessionId: string;
let origin: MediaNodeProcess;
let pageNode: MediaNodeProcess;
const listeners: WebRtcListener[] = [];

const listenersOn = async (node: MediaNodeProcess) => (await node.client.load()).listeners;

/** Every node of the stack but those given. */
const others = (...not: MediaNodeProcess[]) => stack.mediaProcesses.filter((node) => !not.includes(node));

/**
 * The listeners of a node that went (`moved` of them: the page's stream or a Node listener's track
 * is new) hear the host again, and everyone else goes on hearing it.
 */
async function everyoneHearsAgain(tracksBefore: number[], streamBefore: string | null, moved: number) {
  const movedNow = async () =>
    ((await partyStreamId(page)) !== streamBefore ? 1 : 0) +
    listeners.filter((listener, i) => listener.meter.trackNumber > (tracksBefore[i] as number)).length;
  await expect.poll(movedNow, { timeout: 30_000 }).toBe(moved);
  expect((await untilAudible(page, TEST_ALBUM_TONES, 30_000)).channels).toBe(2);
  for (const listener of listeners) await listener.hears(30_000, listener.meter.trackNumber - 1);
}

beforeAll(async () => {
  writeTestAlbum(musicDir, 'Cascade Artist', 'Three Rooms', ['Far One', 'Far Two'], 150);
  stack = await startPartyStack({
    musicDir,
    workerBinary: inject('workerBinary'),
    mediaNodeProcess: true,
    mediaNodeCount: 3,
    mediaNodeEnv: { MEDIA_NODE_DRAIN_SECONDS: '120' },
  });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  for (const listener of listeners) listener.leave();
  await Promise.all([browser?.close(), stack?.stop()]);
  rmSync(musicDir, { recursive: true, force: true });
});

describe('a party over three media nodes', () => {
  it('puts the host on one node and a Chromium listener on another, fed by a pipe', async () => {
    const host = await (await browser.newContext()).newPage();
    await host.goto(`${stack.host.url}/party`);
    // Clicked until it reacts (the button goes): a click before hydration finds no handler yet.
    const start = host.getByTestId('start-session');
    const clicked = async () => {
      if ((await start.count()) > 0) await start.click({ timeout: 1_000 }).catch(() => undefined);
      return start.count();
    };
    await expect.poll(clicked, { timeout: 30_000 }).toBe(0);
    await expect
      .poll(() => host.getByTestId('invite-url').inputValue(), { timeout: 30_000 })
      .toMatch(/^http/);
    const inviteUrl = await host.getByTestId('invite-url').inputValue();
    sessionId = inviteUrl.split('/').at(-1) as string;
    await host.getByRole('link', { name: 'Releases' }).click();
    await host.getByRole('link', { name: 'Three Rooms' }).click();
    await host.getByRole('button', { name: 'Play Far One' }).click();
    // Before any listener, only the origin knows the session.
    const holding = [];
    for (const node of stack.mediaProcesses)
      if ((await node.client.listSessions()).sessions.length > 0) holding.push(node);
    expect(holding).toHaveLength(1);
    origin = holding[0] as MediaNodeProcess;

    page = await (await browser.newContext()).newPage();
    await page.goto(inviteUrl);
    await untilAudible(page, TEST_ALBUM_TONES, 30_000);
    const placed = [];
    for (const node of stack.mediaProcesses) if ((await listenersOn(node)) === 1) placed.push(node);
    expect(placed).toHaveLength(1);
    pageNode = placed[0] as MediaNodeProcess;
    expect(pageNode).not.toBe(origin);
  }, 120_000);

  it('spreads real WebRTC listeners over all three nodes, and every one hears the host', async () => {
    const wsBase = stack.edgeUrl.replace(/^http/, 'ws');
    for (let i = 0; i < 5; i++)
      listeners.push(new WebRtcListener({ wsBase, sessionId, origin: stack.listener.url }));
    for (const listener of listeners) {
      await listener.hears(30_000);
      expect(listener.meter.channels).toBe(2);
    }
    const perNode = await Promise.all(stack.mediaProcesses.map(listenersOn));
    expect(perNode.reduce((sum, count) => sum + count, 0)).toBe(6);
    for (const count of perNode) expect(count).toBeGreaterThan(0);
  });

  it('a node killed: its listeners move to the others and hear again', async () => {
    const moved = await listenersOn(pageNode);
    const tracks = listeners.map((listener) => listener.meter.trackNumber);
    const stream = await partyStreamId(page);
    await pageNode.kill();

    await everyoneHearsAgain(tracks, stream, moved);
    const left = await Promise.all(others(pageNode).map(listenersOn));
    expect(left.reduce((sum, count) => sum + count, 0)).toBe(6);
  });

  it('a node drained with SIGTERM hands its listeners over, then exits by itself', async () => {
    const [draining] = others(pageNode, origin) as [MediaNodeProcess];
    const moved = await listenersOn(draining);
    expect(moved).toBeGreaterThan(0);
    const tracks = listeners.map((listener) => listener.meter.trackNumber);
    const stream = await partyStreamId(page);

    expect(await draining.drain()).toBe(0);
    await everyoneHearsAgain(tracks, stream, moved);
    expect(await listenersOn(origin)).toBe(6);
  });
});
