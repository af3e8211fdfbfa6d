/**
 * Party mode end to end, driven through the pages as people would: a host in real Chromium starts
 * a party and plays a stereo track; listener pages (their own browser contexts) hear it through
 * the real edge (workerd) and the real media node (mediasoup), with left and right kept apart.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { partyStreamId, probeListenerAudio, untilAudible } from '@dmp-party/harness/audio-probe';
import { launchChromium } from '@dmp-party/harness/chromium';
import { clickUntil } from '@dmp-party/harness/click-until';
import { openPage } from '@dmp-party/harness/party-pages';
import { type PartyStack, startPartyStack } from '@dmp-party/harness/party-stack';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { synthWav } from '../src/lib/server/library/synth-audio';
import { synthCoverPng } from '../src/lib/server/library/synth-image';
import { auditHostPartyAtPhoneWidth, auditPhoneListener } from './phone-party';

const artifacts = fileURLToPath(new URL('../../test-artifacts/party', import.meta.url));
const musicDir = mkdtempSync(join(tmpdir(), 'dmp-party-e2e-'));
const FIRST = { title: 'Left Low Right High', leftHz: 440, rightHz: 1320 };
// Its right channel sits at 13 kHz: Opus must stay fullband (no 8 or 12 kHz low-pass) for it to arrive.
const SECOND = { title: 'Second Song', leftHz: 660, rightHz: 13_000 };

let stack: PartyStack;
let browser: Browser;
let hostPage: Page;
let inviteUrl: string;
const listeners: { context: BrowserContext; page: Page }[] = [];

async function newListener(url: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  forwardConsole(page, `listener ${listeners.length + 1}`);
  await page.goto(url);
  const listener = { context, page };
  listeners.push(listener);
  return listener;
}

/** Page warnings and errors go to the test log: they explain a failure better than a timeout. */
function forwardConsole(page: Page, name: string): void {
  page.on('console', (message) => {
    if (['warning', 'error'].includes(message.type()))
      console.log(`[${name}] ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => console.log(`[${name}] page error: ${error.message}`));
}

const listenerPhase = (page: Page) => page.getByTestId('listener-bar').getAttribute('data-phase');

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  const album = join(musicDir, 'Party Artist', 'Stereo Album');
  mkdirSync(album, { recursive: true });
  writeFileSync(join(album, 'cover.png'), synthCoverPng(128, [200, 120, 30], [40, 40, 90]));
  for (const [index, track] of [FIRST, SECOND].entries()) {
    writeFileSync(
      join(album, `0${index + 1} - ${track.title}.wav`),
      synthWav({
        seconds: 60,
        sampleRate: 48_000,
        leftHz: track.leftHz,
        rightHz: track.rightHz,
        id3: {
          title: track.title,
          artist: 'Party Artist',
          album: 'Stereo Album',
          trackNumber: `${index + 1}`,
        },
      }),
    );
  }
  stack = await startPartyStack({ musicDir, workerBinary: inject('workerBinary') });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  rmSync(musicDir, { recursive: true, force: true });
});

describe('party mode in real Chromium', () => {
  it('a host starts a party and plays; two listeners hear it in stereo at about 128 kbps', async () => {
    hostPage = await (await browser.newContext()).newPage();
    forwardConsole(hostPage, 'host');
    await hostPage.goto(`${stack.host.url}/party`);
    // A click before the page hydrated finds no handler: click until the page starts the party.
    const start = hostPage.getByTestId('start-session');
    await clickUntil(start, async () => (await start.count()) === 0 || (await start.isDisabled()));
    await expect
      .poll(() => hostPage.getByTestId('invite-url').inputValue(), { timeout: 15_000 })
      .toMatch(new RegExp(`^${stack.listener.url}/party/[A-Za-z0-9_-]+$`));
    inviteUrl = await hostPage.getByTestId('invite-url').inputValue();
    await expect.poll(() => hostPage.getByTestId('invite-qr').locator('svg').count()).toBe(1);
    await hostPage.screenshot({ path: join(artifacts, 'host-party-live.png') });

    // One listener follows the invite link; the other just opens the site root.
    const [first, second] = [await newListener(inviteUrl), await newListener(stack.listener.url)];
    for (const { page } of [first, second])
      await expect.poll(() => listenerPhase(page), { timeout: 15_000 }).toBe('live');
    await expect.poll(() => hostPage.getByTestId('listener-count').textContent()).toBe('2');
    // The invite page opened its socket from the HTML head, and the app adopted it (a second
    // socket would count as a third listener above).
    expect(await first.page.evaluate(() => performance.getEntriesByName('party:early-open').length)).toBe(1);

    // The host browses the library and plays; the party button is amber (live) in the player.
    await hostPage.getByRole('link', { name: 'Releases' }).click();
    await hostPage.getByRole('link', { name: 'Stereo Album' }).click();
    await hostPage.getByRole('button', { name: `Play ${FIRST.title}` }).click();
    await expect.poll(() => hostPage.getByTestId('now-title').textContent()).toBe(FIRST.title);
    expect(await hostPage.getByTestId('party-button').getAttribute('class')).toContain('live');

    for (const { page } of [first, second]) {
      await expect
        .poll(() => page.getByTestId('listener-title').textContent(), { timeout: 15_000 })
        .toBe(FIRST.title);
      const levels = await untilAudible(page, FIRST);
      const settled = await probeListenerAudio(page, FIRST, 1500);
      expect(levels.channels).toBe(2);
      // Each channel is loud at its own tone and at least 30 dB quieter at the other one.
      expect(settled.left.rms).toBeGreaterThan(0.05);
      expect(settled.right.rms).toBeGreaterThan(0.05);
      expect(settled.left.atLeftHzDb - settled.left.atRightHzDb).toBeGreaterThan(30);
      expect(settled.right.atRightHzDb - settled.right.atLeftHzDb).toBeGreaterThan(30);
    }
    await first.page.screenshot({ path: join(artifacts, 'listener-invite.png') });
    await second.page.screenshot({ path: join(artifacts, 'listener-root.png') });

    // The debug page (reached in-app, so the connection stays) shows stereo Opus near 128 kbps.
    await first.page.getByRole('link', { name: 'Connection details' }).click();
    await first.page.waitForURL(/\/party-debug$/);
    await expect
      .poll(async () => Number(await first.page.getByTestId('debug-bitrate').textContent()), {
        timeout: 15_000,
      })
      .toBeGreaterThan(0);
    await first.page.waitForTimeout(4000);
    const bitrate = Number(await first.page.getByTestId('debug-bitrate').textContent());
    expect(bitrate).toBeGreaterThan(100);
    expect(bitrate).toBeLessThan(170);
    const codec = await first.page.getByTestId('debug-codec').textContent();
    expect(codec).toMatch(/audio\/opus 2ch/);
    expect(codec).toMatch(/stereo=1/);
    expect(await first.page.getByTestId('debug-transport').textContent()).toBe('connected');
    await first.page.screenshot({ path: join(artifacts, 'listener-debug.png') });
    await first.page.goBack();
  });

  it('a listener opening the link mid-track hears it from the page head, and the app takes that path over without a gap', async () => {
    const page = await openPage(browser, 'listener from the head');
    // Counts the streams the party's <audio> element is given: a second one would restart it.
    await page.addInitScript({
      content: `{
        const given = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'srcObject');
        Object.defineProperty(HTMLMediaElement.prototype, 'srcObject', {
          ...given,
          set(value) {
            if (this.id === 'party-audio' && value) window.__partyStreamsGiven = (window.__partyStreamsGiven || 0) + 1;
            given.set.call(this, value);
          },
        });
      }`,
    });
    await page.goto(inviteUrl);
    await expect.poll(() => listenerPhase(page), { timeout: 15_000 }).toBe('live');
    expect((await untilAudible(page, FIRST)).channels).toBe(2);
    const settled = await probeListenerAudio(page, FIRST, 1500);
    expect(settled.left.atLeftHzDb - settled.left.atRightHzDb).toBeGreaterThan(30);
    expect(settled.right.atRightHzDb - settled.right.atLeftHzDb).toBeGreaterThan(30);
    const marks = await page.evaluate(() =>
      ['party:early-receive', 'party:early-playing', 'party:consumer-created'].map(
        (name) => performance.getEntriesByName(name, 'mark').length,
      ),
    );
    // The head script received and played; the app then made its consumer on that same path.
    expect(marks).toEqual([1, 1, 1]);
    expect(await page.evaluate(() => (window as { __partyStreamsGiven?: number }).__partyStreamsGiven)).toBe(
      1,
    );
    // mediasoup-client follows the connection it took over: the debug page reads its state.
    await page.getByRole('link', { name: 'Connection details' }).click();
    await expect
      .poll(() => page.getByTestId('debug-transport').textContent(), { timeout: 15_000 })
      .toBe('connected');
    // The phone test counts two listeners again once this one has gone.
    await page.context().close();
  });

  it('a listener on a phone gets the live party screen and the listener bar, laid out for 390 px', async () => {
    const phones = fileURLToPath(new URL('../../test-artifacts/phones', import.meta.url));
    mkdirSync(phones, { recursive: true });
    // Back to the start of the 60 s track, so it still plays when the next test pauses it.
    await hostPage.getByTestId('seek').fill('0');
    const phone = await auditPhoneListener(browser, inviteUrl, FIRST.title, phones);
    expect(phone.problems).toEqual([]);
    expect(phone.heardControls).toEqual(['Mute locally']);
    await hostPage.getByTestId('party-button').click();
    await hostPage.getByTestId('invite-qr').waitFor();
    expect(await auditHostPartyAtPhoneWidth(hostPage, phones)).toEqual([]);
    // The phone left: the host counts the two listeners the next tests use.
    await expect.poll(() => hostPage.getByTestId('listener-count').textContent()).toBe('2');
    // A whole phone session (join, hear, layout audit of every page): about 40 s alone, more when
    // the machine is busy.
  }, 180_000);

  it('pause, resume, seek and the next track reach the listeners', async () => {
    const pages = listeners.map(({ page }) => page);
    await hostPage.getByTestId('play-pause').click();
    for (const page of pages)
      await expect.poll(() => page.getByTestId('listener-status').textContent()).toBe('Paused by the host');
    // Paused means silence on the wire, not the last note held.
    await expect
      .poll(async () => (await probeListenerAudio(pages[0] as Page, FIRST, 500)).left.rms)
      .toBeLessThan(0.01);

    await hostPage.getByTestId('play-pause').click();
    for (const page of pages) await expect.poll(() => page.getByTestId('listener-status').count()).toBe(0);

    await hostPage.getByTestId('seek').fill('40000');
    for (const page of pages)
      await expect.poll(() => page.getByTestId('listener-position').textContent()).toMatch(/^0:4\d$/);

    await hostPage.getByRole('button', { name: 'Next' }).click();
    for (const page of pages) {
      await expect.poll(() => page.getByTestId('listener-title').textContent()).toBe(SECOND.title);
      await untilAudible(page, SECOND);
      const levels = await probeListenerAudio(page, SECOND, 1500);
      expect(levels.left.atLeftHzDb - levels.left.atRightHzDb).toBeGreaterThan(20);
      // Fullband: the 13 kHz tone comes through loud on the right and stays off the left.
      expect(levels.right.rms).toBeGreaterThan(0.05);
      expect(levels.right.atRightHzDb - levels.right.atLeftHzDb).toBeGreaterThan(20);
      expect(levels.right.atRightHzDb - levels.left.atRightHzDb).toBeGreaterThan(20);
    }
  });

  it('the host count follows leaves, a host refresh resumes, and after every socket drops the host keeps its producer and the listener reconnects', async () => {
    const leaving = listeners.pop();
    await leaving?.context.close();
    await expect.poll(() => hostPage.getByTestId('party-button').textContent()).toContain('1');

    const sessionBefore = inviteUrl.split('/').at(-1);
    const stayed = listeners[0]?.page as Page;
    const streamBeforeRefresh = await partyStreamId(stayed);
    await hostPage.reload();
    await hostPage.getByTestId('party-button').click();
    await expect
      .poll(() => hostPage.getByTestId('session-id').textContent(), { timeout: 15_000 })
      .toBe(sessionBefore);
    // Heard again, on the new producer, without the listener reloading.
    await untilAudible(stayed, SECOND, 15_000, { otherThan: streamBeforeRefresh });
    await expect.poll(() => listenerPhase(stayed)).toBe('live');

    // The host's producer as its debug page shows it (reached in-app, so the socket stays).
    await hostPage.getByRole('link', { name: 'Connection details' }).click();
    await hostPage.waitForURL(/\/party-debug$/);
    const hostMedia = () => hostPage.getByTestId('debug-media').textContent();
    await expect.poll(hostMedia, { timeout: 10_000 }).toMatch(/^producer \S+ active$/);
    const producerBefore = await hostMedia();

    // Every socket drops when the edge restarts (as on a deploy): the listener reconnects and
    // hears the party again by itself, and the host's count is right afterwards.
    const streamBeforeRestart = await partyStreamId(stayed);
    await stack.edge.restart();
    await expect.poll(() => listenerPhase(stayed), { timeout: 20_000 }).toBe('live');
    // Heard on the path the listener rebuilt after its socket dropped, not the old one's last notes.
    await untilAudible(stayed, SECOND, 20_000, { otherThan: streamBeforeRestart });
    // The host resumed rather than rebuilt: the edge kept its producer, and so did the page.
    await expect
      .poll(() => hostPage.getByTestId('debug-connection').textContent(), { timeout: 10_000 })
      .toBe('connected');
    expect(await hostMedia()).toBe(producerBefore);
    expect(await hostPage.getByTestId('debug-transport').textContent()).toBe('connected');
    await hostPage.goBack();
    await expect
      .poll(() => hostPage.getByTestId('listener-count').textContent(), { timeout: 10_000 })
      .toBe('1');
  });

  it('listeners get no controls, and a host message forged from a listener page is refused', async () => {
    const page = listeners[0]?.page as Page;
    await page.getByRole('link', { name: 'Releases' }).click();
    // Exact: the listener bar's link (to the party screen) names the playing release too.
    await page.getByRole('link', { name: 'Stereo Album', exact: true }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain(FIRST.title);
    expect(await page.getByRole('button', { name: /^Play/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /favorites/i }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Playlists' }).count()).toBe(0);
    expect(await page.getByRole('contentinfo', { name: 'Player' }).count()).toBe(0);
    // Browsing did not stop the music.
    await untilAudible(page, SECOND, 5_000);
    await page.screenshot({ path: join(artifacts, 'listener-browsing.png') });

    const sessionId = inviteUrl.split('/').at(-1) as string;
    const forged = await page.evaluate(
      async ({ edge, sessionId }) => {
        const url = `${edge.replace(/^http/, 'ws')}/party/${sessionId}/ws`;
        const replies: { type: string; code?: string }[] = [];
        const socket = new WebSocket(url);
        await new Promise((resolve) => socket.addEventListener('open', resolve, { once: true }));
        socket.addEventListener('message', (event) => replies.push(JSON.parse(event.data)));
        for (const [reqId, message] of [
          { type: 'pause', positionMs: 0 },
          { type: 'endSession' },
          { type: 'nowPlaying', track: { trackId: 'x', title: 'Forged', artist: 'Nobody' }, positionMs: 0 },
        ].entries())
          socket.send(JSON.stringify({ ...message, reqId: reqId + 1 }));
        await new Promise((resolve) => setTimeout(resolve, 1500));
        socket.close();
        const withToken = new WebSocket(`${url}?token=v1.forged.token`);
        const tokenOutcome = await new Promise((resolve) => {
          withToken.addEventListener('open', () => resolve('opened'));
          withToken.addEventListener('error', () => resolve('refused'));
        });
        return { replies, tokenOutcome };
      },
      { edge: stack.edgeUrl, sessionId },
    );
    expect(forged.replies.filter((reply) => reply.type === 'error').map((reply) => reply.code)).toEqual([
      'NOT_HOST',
      'NOT_HOST',
      'NOT_HOST',
    ]);
    expect(forged.tokenOutcome).toBe('refused');
    await expect.poll(() => page.getByTestId('listener-title').textContent()).toBe(SECOND.title);
    expect(await page.getByTestId('listener-status').count()).toBe(0);

    const tokenRequest = await fetch(`${stack.listener.url}/party/token`, { method: 'POST', body: '{}' });
    expect(tokenRequest.status).toBe(403);
  });

  it('ending the session tells every listener', async () => {
    await hostPage.getByTestId('end-session').click();
    await expect.poll(() => hostPage.getByTestId('start-session').count()).toBe(1);
    for (const { page } of listeners)
      await expect.poll(() => listenerPhase(page), { timeout: 10_000 }).toBe('ended');
    const status = await (await fetch(`${stack.edgeUrl}/api/party/status`)).json();
    expect(status).toMatchObject({ live: false });
  });
});
