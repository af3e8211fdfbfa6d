/**
 * Listeners take part (issue 14), in real Chromium through the real edge and media node: two
 * listeners pick names and the host sees both; one requests a track, the host accepts, both see
 * "requested by" and the track plays next (heard by its own tones); a reaction reaches everyone;
 * a removed listener cannot come back from the same browser; the setlist saved at the end is a
 * playlist with the tracks in order; and the listener site refuses the catalog write it uses.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { untilAudible } from '@dmp-party/harness/audio-probe';
import { launchChromium } from '@dmp-party/harness/chromium';
import { openPage, PARTY_ALBUM, startHostParty, writeToneLibrary } from '@dmp-party/harness/party-pages';
import { type PartyStack, startPartyStack } from '@dmp-party/harness/party-stack';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const OPENING = { title: 'Opening Song', leftHz: 440, rightHz: 660 };
const WISHED = { title: 'Wished Song', leftHz: 550, rightHz: 825 };
const FILLER = { title: 'Filler Song', leftHz: 350, rightHz: 700 };
const POLL = { timeout: 30_000 };

const musicDir = mkdtempSync(join(tmpdir(), 'dmp-party-audience-'));
let stack: PartyStack;
let browser: Browser;

const texts = (page: Page, testId: string) => page.getByTestId(testId).allTextContents();

beforeAll(async () => {
  writeToneLibrary(musicDir, [OPENING, FILLER, WISHED], { seconds: 90, sampleRate: 24_000 });
  stack = await startPartyStack({ musicDir, workerBinary: inject('workerBinary') });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await Promise.all([browser?.close(), stack?.stop()]);
  rmSync(musicDir, { recursive: true, force: true });
});

describe('listeners take part', () => {
  it('names, a request played next, reactions, a removal, and the setlist saved as a playlist', async () => {
    const host = await openPage(browser, 'host');
    // Clicked until the hydrated page reacts: one click before hydration found no handler and
    // waited out the test's time.
    const invite = await startHostParty(host, stack.host.url);
    await host.getByRole('link', { name: 'Releases' }).click();
    await host.getByRole('link', { name: PARTY_ALBUM.title }).click();
    await host.getByRole('button', { name: `Play ${OPENING.title}` }).click();

    const ada = await openPage(browser, 'ada');
    const bo = await openPage(browser, 'bo');
    for (const [page, name] of [
      [ada, 'Ada'],
      [bo, 'Bo <b>'],
    ] as const) {
      await page.goto(invite);
      await expect.poll(() => page.getByTestId('party-title').textContent(), POLL).toBe(OPENING.title);
      await page.getByTestId('listener-name').fill(name);
      await page.getByTestId('save-name').click();
    }

    // The host's party page (reached in-app: the player keeps playing) lists both, names as text.
    await host.locator('a[href="/party"]').first().click();
    await expect.poll(async () => (await texts(host, 'member-name')).sort(), POLL).toEqual(['Ada', 'Bo <b>']);
    expect(await host.getByTestId('audience-list').locator('b').count()).toBe(0);

    // Ada browses to the album and requests the last track; the host accepts it.
    await ada.getByRole('link', { name: 'Releases' }).click();
    await ada.getByRole('link', { name: PARTY_ALBUM.title, exact: true }).click();
    await ada.getByRole('button', { name: `Request ${WISHED.title}` }).click();
    await expect.poll(() => ada.getByTestId('request-status').first().textContent(), POLL).toBe('Requested');
    await ada.locator('a[href="/party"]').first().click();
    await expect
      .poll(() => texts(host, 'inbox-entry'), POLL)
      .toEqual([expect.stringContaining(WISHED.title)]);
    await host.getByRole('button', { name: `Accept ${WISHED.title}` }).click();
    for (const page of [ada, bo])
      await expect.poll(() => texts(page, 'requested-by'), POLL).toEqual(['requested by Ada']);

    // It plays next: the host skips on, and listeners hear the requested track's own tones.
    await host.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => bo.getByTestId('party-title').textContent(), POLL).toBe(WISHED.title);
    await untilAudible(bo, WISHED, 30_000);

    // A reaction reaches everyone, and counts on the setlist's entry for the track playing.
    await bo.getByTestId('react-🔥').click();
    for (const page of [ada, bo]) await expect.poll(() => texts(page, 'burst'), POLL).toContain('🔥');
    await expect.poll(() => host.getByTestId('setlist').textContent(), POLL).toContain('🔥 1');

    // The host removes Bo: Bo's page says so, and reloading the invite does not get Bo back in.
    await host.getByRole('button', { name: 'Remove Bo <b>' }).click();
    await expect.poll(() => bo.getByTestId('removed').count(), POLL).toBe(1);
    await bo.goto(invite);
    await expect.poll(() => bo.getByTestId('removed').count(), POLL).toBe(1);
    await expect.poll(() => texts(host, 'member-name'), POLL).toEqual(['Ada']);

    // The listener site refuses catalog writes (the one this feature uses included).
    const write = await fetch(`${stack.listener.url}/party/setlist`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: stack.listener.url },
      body: JSON.stringify({ name: 'Sneaky', trackIds: ['x'] }),
    });
    expect(write.status).toBe(403);

    // End Session, then save the night's setlist: a playlist with the tracks in the order played.
    await host.getByTestId('end-session').click();
    await host.getByTestId('save-setlist').click();
    await host.getByTestId('setlist-saved').getByRole('link').click();
    await expect
      .poll(() => host.locator('ol.tracks li .title').allTextContents(), POLL)
      .toEqual([OPENING.title, WISHED.title]);
  });
});
