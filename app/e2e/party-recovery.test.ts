/**
 * Faults under a live party, measured by what listeners hear: two listener pages in real Chromium
 * must hear the host again (a new stream with energy, without reloading) after a mediasoup worker
 * is SIGKILLed and after the media node process is killed and started again; and a flooding
 * listener is closed with 1008 while the others keep hearing and getting metadata.
 *
 * The edge's periodic media check is set to an hour here, so a recovery within the test's
 * timeouts can only come from the media node's events (EDGE_EVENTS_URL). Only processes this file
 * started are killed, by pid.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { partyStreamId, untilAudible } from '@dmp-party/harness/audio-probe';
import { launchChromium } from '@dmp-party/harness/chromium';
import { TEST_ALBUM_TONES, writeTestAlbum } from '@dmp-party/harness/music-fixtures';
import { startHostParty } from '@dmp-party/harness/party-pages';
import { type PartyStack, startPartyStack } from '@dmp-party/harness/party-stack';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';

const musicDir = mkdtempSync(join(tmpdir(), 'dmp-party-recovery-'));
let stack: PartyStack;
let browser: Browser;
let host: Page;
let sessionId: string;
const listeners: Page[] = [];

const phase = (page: Page) => page.getByTestId('listener-bar').getAttribute('data-phase');

/** Every listener hears the party again on a new stream, in the same page (no reload). */
async function everyListenerHearsAgain(streamsBefore: (string | null)[]): Promise<void> {
  for (const [i, page] of listeners.entries()) {
    const heard = await untilAudible(page, TEST_ALBUM_TONES, 30_000, { otherThan: streamsBefore[i] });
    expect(heard.channels).toBe(2);
    expect(await page.evaluate(() => (window as { unreloaded?: boolean }).unreloaded)).toBe(true);
  }
}

beforeAll(async () => {
  writeTestAlbum(musicDir, 'Recovery Artist', 'Long Night', ['Steady One', 'Steady Two'], 150);
  stack = await startPartyStack({
    musicDir,
    workerBinary: inject('workerBinary'),
    mediasoupWorkers: 2,
    mediaNodeProcess: true,
    edgeVars: { MEDIA_CHECK_SECONDS: '3600' },
  });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await Promise.all([browser?.close(), stack?.stop()]);
  rmSync(musicDir, { recursive: true, force: true });
});

describe('a live party through faults', () => {
  it('a host plays; two listeners hear it', async () => {
    host = await (await browser.newContext()).newPage();
    const inviteUrl = await startHostParty(host, stack.host.url);
    sessionId = inviteUrl.split('/').at(-1) as string;
    await host.getByRole('link', { name: 'Releases' }).click();
    await host.getByRole('link', { name: 'Long Night' }).click();
    await host.getByRole('button', { name: 'Play Steady One' }).click();
    for (let i = 0; i < 2; i++) {
      const page = await (await browser.newContext()).newPage();
      await page.goto(inviteUrl);
      await page.evaluate(() => Object.assign(window, { unreloaded: true }));
      listeners.push(page);
    }
    for (const page of listeners) await untilAudible(page, TEST_ALBUM_TONES);
  });

  it('a mediasoup worker SIGKILLed: both listeners hear the host again', async () => {
    const before = await stack.media.sessionStats(sessionId);
    const { workers } = await stack.media.workers();
    const victim = workers.find((worker) => worker.index === before.workers[0]);
    expect(victim?.alive).toBe(true);
    const streams = await Promise.all(listeners.map(partyStreamId));
    process.kill(victim?.pid as number, 'SIGKILL');

    await everyListenerHearsAgain(streams);
    const after = await stack.media.sessionStats(sessionId);
    expect(after.generation).toBe(before.generation + 1);
    expect(after).toMatchObject({ needsRebuild: false, producers: 1, consumers: 2 });
  });

  it('the media node killed and started again: listeners hear again without reloading', async () => {
    const media = stack.mediaProcess;
    if (!media) throw new Error('the stack runs its media node in-process');
    const streams = await Promise.all(listeners.map(partyStreamId));
    await media.kill();
    await media.restart();

    await everyListenerHearsAgain(streams);
    expect(await stack.media.sessionStats(sessionId)).toMatchObject({ producers: 1, consumers: 2 });
    for (const page of listeners) expect(await phase(page)).toBe('live');
  });

  it('a flooding listener is closed with 1008 and kept out; the others hear and follow the host', async () => {
    const streams = await Promise.all(listeners.map(partyStreamId));
    const headers = { origin: stack.listener.url, 'cf-connecting-ip': '198.51.100.23' };
    const wsUrl = `${stack.edgeUrl.replace(/^http/, 'ws')}/party/${sessionId}/ws`;
    const flooder = new WebSocket(wsUrl, { headers });
    await new Promise((resolve, reject) => flooder.once('open', resolve).once('error', reject));
    const closed = new Promise<number>((resolve) => flooder.once('close', (code) => resolve(code)));
    const frame = JSON.stringify({ type: 'join', reqId: 1 });
    // Well past the refusals that close it; a longer flood only queues more for the edge to drop.
    for (let i = 0; i < 1_000; i++) flooder.send(frame);
    expect(await closed).toBe(1008);

    // Straight back in: refused before any socket is opened, with how long to wait.
    const refusal = await new Promise<{ status?: number; retryAfter?: string }>((resolve) => {
      const again = new WebSocket(wsUrl, { headers });
      again.once('unexpected-response', (_request, response) =>
        resolve({ status: response.statusCode, retryAfter: response.headers['retry-after'] }),
      );
      again.once('open', () => resolve({}));
    });
    expect(refusal.status).toBe(429);
    expect(Number(refusal.retryAfter)).toBeGreaterThan(0);

    // The listeners noticed nothing: same stream, still loud, and the host's seek reaches them.
    for (const [i, page] of listeners.entries()) {
      const levels = await untilAudible(page, TEST_ALBUM_TONES, 5_000);
      expect(levels.streamId).toBe(streams[i]);
    }
    await host.getByTestId('seek').fill('100000');
    for (const page of listeners)
      await expect.poll(() => page.getByTestId('listener-position').textContent()).toMatch(/^1:4\d$/);
  });
});
