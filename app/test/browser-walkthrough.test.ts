import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AppServer, startHostAndListener, type TwoRoles } from '@dmp-party/harness/app-server';
import { launchChromium } from '@dmp-party/harness/chromium';
import type pg from 'pg';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthWav } from '../src/lib/server/library/synth-audio';
import { synthCoverPng } from '../src/lib/server/library/synth-image';

const artifacts = fileURLToPath(new URL('../../test-artifacts/app', import.meta.url));
const musicDir = mkdtempSync(join(tmpdir(), 'dmp-browser-'));
let roles: TwoRoles;
let database: pg.Client;
let host: AppServer;
let listener: AppServer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  const album = join(musicDir, 'Walk Artist', 'Walk Album');
  mkdirSync(album, { recursive: true });
  writeFileSync(join(album, 'cover.png'), synthCoverPng(128, [40, 60, 160], [240, 160, 60]));
  for (const [i, title] of ['Morning Walk', 'Evening Walk'].entries()) {
    writeFileSync(
      join(album, `0${i + 1} - ${title}.wav`),
      synthWav({
        seconds: 12,
        leftHz: 330,
        rightHz: 550,
        id3: { title, artist: 'Walk Artist', album: 'Walk Album', trackNumber: String(i + 1) },
      }),
    );
  }
  roles = await startHostAndListener(musicDir);
  ({ database, host, listener } = roles);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await roles?.stop();
  rmSync(musicDir, { recursive: true, force: true });
});

describe('the library app in real Chromium', () => {
  it('host: browse, play, seek, favorite, and build a playlist', async () => {
    const page = await browser.newPage();
    await page.goto(host.url);
    await page.getByRole('link', { name: 'Walk Album' }).click();
    await page.waitForURL(/\/releases\//);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Walk Album');
    await page.screenshot({ path: join(artifacts, 'host-release.png') });

    await page.getByRole('button', { name: 'Play Morning Walk' }).click();
    await expect.poll(() => page.getByTestId('now-title').textContent()).toBe('Morning Walk');
    await expect.poll(() => page.getByTestId('play-pause').getAttribute('aria-label')).toBe('Pause');
    // The audio element really advances through the file served from /audio.
    await expect
      .poll(async () => Number(await page.getByTestId('seek').inputValue()), { timeout: 10_000 })
      .toBeGreaterThan(500);

    await page.getByTestId('seek').fill('8000');
    await expect
      .poll(async () => Number(await page.getByTestId('seek').inputValue()))
      .toBeGreaterThanOrEqual(8000);
    await page.screenshot({ path: join(artifacts, 'host-playing.png') });

    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => page.getByTestId('play-pause').getAttribute('aria-label')).toBe('Play');

    await page.getByRole('button', { name: 'Add to favorites' }).first().click();
    await expect
      .poll(async () => Number((await database.query('select count(*) from favorites')).rows[0].count))
      .toBe(1);
    await page.getByRole('link', { name: 'Favorites' }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain('Morning Walk');

    await page.getByRole('link', { name: 'Playlists' }).click();
    await page.getByLabel('New playlist name').fill('Walks');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/playlists\/\d+/);
    await page.getByLabel('Track to add').selectOption({ label: 'Evening Walk — Walk Artist' });
    await page.getByRole('button', { name: 'Add to playlist' }).click();
    await expect.poll(() => page.locator('ol.tracks').textContent()).toContain('Evening Walk');
    await page.screenshot({ path: join(artifacts, 'host-playlist.png') });
    await page.close();
  });

  it('listener: the same catalog with no play, favorite or playlist controls', async () => {
    const page = await browser.newPage();
    await page.goto(listener.url);
    await page.getByRole('link', { name: 'Walk Album' }).click();
    await page.waitForURL(/\/releases\//);
    await expect.poll(() => page.locator('main').textContent()).toContain('Morning Walk');
    expect(await page.getByRole('button', { name: /^Play/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /favorites/ }).count()).toBe(0);
    expect(await page.getByRole('contentinfo', { name: 'Player' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Playlists' }).count()).toBe(0);
    await page.screenshot({ path: join(artifacts, 'listener-release.png') });
    await page.close();
  });
});
