/**
 * Every page of both roles on three phones (touch) and a laptop, in real Chromium: no sideways
 * scrolling, every control on screen (and at least 44 px on a phone), no serious or critical axe
 * finding in light and dark; screenshots of each page at 390 px under test-artifacts/phones.
 * Also what phones download (cover thumbnails), the host's keyboard shortcuts and the web app
 * manifest. The listener's live party screen is checked at phone size in e2e/party.test.ts.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AppServer, startHostAndListener, type TwoRoles } from '@dmp-party/harness/app-server';
import { launchChromium } from '@dmp-party/harness/chromium';
import {
  auditLayout,
  contextOptions,
  LAPTOP,
  PHONE_390,
  seriousAccessibilityProblems,
  VIEWPORTS,
} from '@dmp-party/harness/layout-audit';
import { BIG_COVER_ALBUM, writePhoneLibrary } from '@dmp-party/harness/phone-library';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const artifacts = fileURLToPath(new URL('../../test-artifacts/phones', import.meta.url));
const musicDir = mkdtempSync(join(tmpdir(), 'dmp-phones-'));
let roles: TwoRoles;
let browser: Browser;
let pages: Record<'host' | 'listener', Record<string, string>>;
let bigCover: { releaseId: string; coverId: string };

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  await writePhoneLibrary(musicDir);
  roles = await startHostAndListener(musicDir);
  const query = async (sql: string) => (await roles.database.query(sql)).rows[0];
  const compilation = await query(`select id from releases where title = 'Friends of DMP'`);
  const artist = await query(`select id from artists where name like 'Mira%'`);
  const big = await query(`select id, cover_art_id from releases where title = '${BIG_COVER_ALBUM}'`);
  bigCover = { releaseId: big.id, coverId: big.cover_art_id };
  const playlist = await query(`insert into playlists (name) values ('Road trip') returning id`);
  await roles.database.query(
    `insert into playlist_items (playlist_id, position, track_id) select $1, row_number() over (), id from tracks`,
    [playlist.id],
  );
  const catalog = {
    home: '/',
    artists: '/artists',
    artist: `/artists/${artist.id}`,
    releases: '/releases',
    release: `/releases/${big.id}`,
    compilation: `/releases/${compilation.id}`,
    tracks: '/tracks',
    search: '/search?q=aurora',
    party: '/party',
    'party-debug': '/party-debug',
    'party-status': '/party-status',
    'not-found': '/no-such-page',
  };
  pages = {
    host: {
      ...catalog,
      favorites: '/favorites',
      playlists: '/playlists',
      playlist: `/playlists/${playlist.id}`,
    },
    // No edge runs here: the invite page shows the listener waiting to join.
    listener: { ...catalog, invite: '/party/no-such-party' },
  };
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await roles?.stop();
  rmSync(musicDir, { recursive: true, force: true });
});

const serverOf = (role: 'host' | 'listener'): AppServer => (role === 'host' ? roles.host : roles.listener);

/** Loads a page and waits for what the browser adds after hydration (player, volume, party state). */
async function open(page: Page, url: string, role: 'host' | 'listener'): Promise<void> {
  await page.goto(url);
  // The invite page keeps trying to reach a party (no edge runs here): its network never idles.
  await page.waitForLoadState('networkidle', { timeout: 2_000 }).catch(() => undefined);
  if (role === 'host') await page.getByTestId('now-title').waitFor();
}

/** The host plays a track first, so every page is checked with the player bar full. */
async function startPlaying(page: Page): Promise<void> {
  await page.goto(`${roles.host.url}/releases/${bigCover.releaseId}`);
  await page
    .getByRole('button', { name: /^Play / })
    .first()
    .click();
  await page.getByTestId('now-title').waitFor();
}

describe.each(['host', 'listener'] as const)('%s pages', (role) => {
  it.each(VIEWPORTS.map((viewport) => [viewport.name, viewport] as const))(
    'at %s: no sideways scroll, every control on screen (44 px or more on a phone)',
    async (_name, viewport) => {
      const problems: string[] = [];
      const context = await browser.newContext(contextOptions(viewport));
      const page = await context.newPage();
      if (role === 'host') await startPlaying(page);
      const check = async (name: string) => {
        for (const problem of await auditLayout(page, viewport)) problems.push(`${role} ${name}: ${problem}`);
        if (viewport === PHONE_390)
          await page.screenshot({ path: join(artifacts, `${role}-${name}.png`), fullPage: true });
      };
      for (const [name, path] of Object.entries(pages[role])) {
        await open(page, `${serverOf(role).url}${path}`, role);
        await check(name);
      }
      if (viewport.touch) {
        // The folded navigation: every link reachable and on screen once the menu opens.
        await open(page, serverOf(role).url, role);
        await page.getByTestId('menu-toggle').click();
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tracks' }).waitFor();
        await check('menu');
      }
      await context.close();
      expect(problems).toEqual([]);
    },
    120_000,
  );

  it.each([
    ['phone-390, light', PHONE_390, 'light'],
    ['laptop-1280, dark', LAPTOP, 'dark'],
  ] as const)(
    'axe-core finds no serious or critical violation (%s)',
    async (_label, viewport, colorScheme) => {
      const problems: string[] = [];
      const context = await browser.newContext({ ...contextOptions(viewport), colorScheme });
      const page = await context.newPage();
      if (role === 'host') await startPlaying(page);
      for (const [name, path] of Object.entries(pages[role])) {
        await open(page, `${serverOf(role).url}${path}`, role);
        for (const problem of await seriousAccessibilityProblems(page))
          problems.push(`${role} ${name}: ${problem}`);
      }
      await context.close();
      expect(problems).toEqual([]);
    },
    180_000,
  );
});

describe('what a phone downloads', () => {
  it('covers come from cached thumbnails sized for the screen, with width and height, lazy below the fold', async () => {
    const context = await browser.newContext(contextOptions(PHONE_390));
    const page = await context.newPage();
    await open(page, `${roles.listener.url}/releases/${bigCover.releaseId}`, 'listener');
    const cover = page.getByRole('img', { name: `Cover of ${BIG_COVER_ALBUM}` });
    const shown = await cover.evaluate((img: HTMLImageElement) => ({
      src: img.currentSrc,
      naturalWidth: img.naturalWidth,
      width: img.getAttribute('width'),
      height: img.getAttribute('height'),
    }));
    expect(shown.src).toMatch(new RegExp(`/cover/${bigCover.coverId}/(320|480|640)$`));
    expect(shown.naturalWidth).toBeLessThanOrEqual(640);
    expect([shown.width, shown.height]).toEqual(['240', '240']);

    const thumbnail = await fetch(shown.src);
    const original = await fetch(`${roles.listener.url}/cover/${bigCover.coverId}`);
    expect(thumbnail.headers.get('content-type')).toBe('image/webp');
    expect(thumbnail.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const [thumbnailBytes, originalBytes] = [
      (await thumbnail.arrayBuffer()).byteLength,
      (await original.arrayBuffer()).byteLength,
    ];
    // The 1200 px JPEG the scan found is what every page downloaded before thumbnails.
    expect(thumbnailBytes * 5).toBeLessThan(originalBytes);
    expect((await fetch(`${roles.listener.url}/cover/${bigCover.coverId}/123`)).status).toBe(404);

    await open(page, `${roles.listener.url}/releases`, 'listener');
    const images = await page.locator('img.cover').evaluateAll((imgs) =>
      (imgs as HTMLImageElement[]).map((img) => ({
        sized: img.hasAttribute('width') && img.hasAttribute('height'),
        belowFold: img.getBoundingClientRect().top >= window.innerHeight,
        loading: img.loading,
      })),
    );
    expect(images.length).toBeGreaterThan(8);
    expect(images.every((image) => image.sized)).toBe(true);
    const below = images.filter((image) => image.belowFold);
    expect(below.length).toBeGreaterThan(0);
    expect(below.every((image) => image.loading === 'lazy')).toBe(true);
    await context.close();
  });

  it('the web app manifest names icons that exist at their sizes, on both roles', async () => {
    for (const server of [roles.host, roles.listener]) {
      const html = await (await fetch(server.url)).text();
      expect(html).toContain('<link rel="manifest" href="/manifest.webmanifest"');
      const manifest = await (await fetch(`${server.url}/manifest.webmanifest`)).json();
      expect(manifest).toMatchObject({ name: 'DMP Party', start_url: '/', display: 'standalone' });
      const purposes = new Set<string>();
      for (const icon of [...manifest.icons, { src: '/icons/apple-touch-icon.png', sizes: '180x180' }]) {
        const response = await fetch(`${server.url}${icon.src}`);
        expect(response.status).toBe(200);
        const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
        expect(`${meta.width}x${meta.height}`).toBe(icon.sizes);
        expect(meta.format).toBe('png');
        if (icon.purpose) purposes.add(icon.purpose);
      }
      expect([...purposes].sort()).toEqual(['any', 'maskable']);
    }
  });
});

/** The audio element answers play(), pause() and seeks in its own time, slower on a busy machine. */
const PLAYER_WAIT = { timeout: 10_000 };

describe('the host player from the keyboard', () => {
  it('Space, arrows and Shift+arrows play, seek and set the volume; ? opens the help, Escape closes it', async () => {
    const context = await browser.newContext(contextOptions(LAPTOP));
    const page = await context.newPage();
    await startPlaying(page);
    const playPause = page.getByTestId('play-pause');
    await expect.poll(() => playPause.getAttribute('aria-label'), PLAYER_WAIT).toBe('Pause');
    // The click left focus on the track's play button, where Space would press that button.
    await page.locator('h1').click();
    await page.keyboard.press('Space');
    await expect.poll(() => playPause.getAttribute('aria-label'), PLAYER_WAIT).toBe('Play');

    const position = async () => Number(await page.getByTestId('seek').inputValue());
    const before = await position();
    await page.keyboard.press('ArrowRight');
    await expect.poll(position, PLAYER_WAIT).toBeGreaterThanOrEqual(before + 4_900);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(position, PLAYER_WAIT).toBeLessThan(before + 1_000);

    const volume = page.getByRole('slider', { name: 'Volume' });
    await page.keyboard.press('ArrowDown');
    expect(await volume.inputValue()).toBe('1');
    await page.keyboard.press('Shift+ArrowDown');
    await expect.poll(() => volume.inputValue()).toBe('0.9');
    await page.keyboard.press('Shift+ArrowUp');
    await expect.poll(() => volume.inputValue()).toBe('1');

    // Typing in the search field is typing: no shortcut fires.
    await page.getByRole('searchbox', { name: 'Search' }).pressSequentially('n p');
    expect(await playPause.getAttribute('aria-label')).toBe('Play');

    await page.locator('h1').click();
    await page.keyboard.press('Shift+Slash');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    expect(await help.textContent()).toContain('Play or pause');
    await page.screenshot({ path: join(artifacts, 'host-shortcuts-help.png') });
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
    await page.keyboard.press('Space');
    await expect.poll(() => playPause.getAttribute('aria-label'), PLAYER_WAIT).toBe('Pause');
    await context.close();
  });
});
