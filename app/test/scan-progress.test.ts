/**
 * The host's background scan seen from outside: the built app serves pages while the scan runs,
 * `GET /api/library/scan` reports its progress and completion, and the layout's banner shows it
 * in real Chromium, then disappears and the new tracks appear without a reload.
 *
 * To hold the scan mid-way without touching the app, the test takes a SHARE lock on the `tracks`
 * table in the same PostgreSQL: reads go on, so pages render, but the scan's first track insert
 * waits until the test commits.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AppServer,
  buildApp,
  scanStatus,
  startAppServer,
  waitForScan,
} from '@dmp-party/harness/app-server';
import { launchChromium } from '@dmp-party/harness/chromium';
import { type PostgresServer, startPostgres } from '@dmp-party/harness/postgres';
import pg from 'pg';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCAN_STATUS_PATH } from '../src/lib/scan-status-schema';
import { openCatalog } from '../src/lib/server/db/connect';
import { synthWav } from '../src/lib/server/library/synth-audio';

const artifacts = fileURLToPath(new URL('../../test-artifacts/app', import.meta.url));
const musicDir = mkdtempSync(join(tmpdir(), 'dmp-scan-progress-'));
const titles = ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo', 'Foxtrot'];
let postgres: PostgresServer;
let locker: pg.Client;
let host: AppServer;
let listener: AppServer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  const album = join(musicDir, 'Progress Artist', 'Progress Album');
  mkdirSync(album, { recursive: true });
  for (const [i, title] of titles.entries()) {
    writeFileSync(
      join(album, `0${i + 1} - ${title}.wav`),
      synthWav({ seconds: 0.2, leftHz: 300, rightHz: 450, id3: { title, artist: 'Progress Artist' } }),
    );
  }
  writeFileSync(join(album, '07 - Broken.mp3'), 'not audio');

  postgres = await startPostgres();
  // Migrate first, so the table to lock exists before the app starts.
  await (await openCatalog({ databaseUrl: postgres.url })).close();
  locker = new pg.Client({ connectionString: postgres.url });
  await locker.connect();
  await locker.query('begin');
  await locker.query('lock table tracks in share mode');

  buildApp();
  host = await startAppServer({ PARTY_ROLE: 'host', DATABASE_URL: postgres.url, MUSIC_DIR: musicDir });
  listener = await startAppServer({ PARTY_ROLE: 'listener', DATABASE_URL: postgres.url });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await locker?.query('rollback').catch(() => undefined);
  await locker?.end();
  await host?.stop();
  await listener?.stop();
  postgres?.stop();
  rmSync(musicDir, { recursive: true, force: true });
});

/** The scan's connection waiting for the test's lock: the scan is running and held. */
const scanIsHeld = async () =>
  Number(
    (await locker.query("select count(*) from pg_stat_activity where wait_event_type = 'Lock'")).rows[0]
      .count,
  ) > 0;

describe('the background library scan on the built app', () => {
  it('serves pages and reports progress while the scan runs, then completion', async () => {
    await expect.poll(scanIsHeld, { timeout: 30_000 }).toBe(true);
    const running = await scanStatus(host);
    // The scan reads ahead of its (batched) writes: files may be read, none is written yet.
    expect(running).toMatchObject({ state: 'running', phase: 'reading', total: 7, lastReport: null });
    expect(running.done).toBeLessThan(7);
    expect(running.current).toMatch(/^Progress Artist\/Progress Album\/0\d - \w+\.(wav|mp3)$/);

    // Pages are served meanwhile, with the banner already in the server-rendered HTML.
    const page = await fetch(`${host.url}/tracks`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('data-testid="scan-progress"');
    expect(html).toMatch(/Scanning library: [0-6] \/ 7 files/);

    const tab = await browser.newPage();
    await tab.goto(`${host.url}/tracks`);
    await expect.poll(() => tab.getByTestId('scan-progress').isVisible()).toBe(true);
    expect(await tab.locator('main').textContent()).not.toContain('Alpha');
    await tab.screenshot({ path: join(artifacts, 'scan-in-progress.png') });

    await locker.query('commit');
    const done = await waitForScan(host, 30_000);
    expect(done).toMatchObject({ state: 'done', phase: null, done: 7, total: 7, current: null, errors: 1 });
    expect(done.lastReport).toEqual({ added: 6, updated: 0, unchanged: 0, removed: 0, errors: 1 });

    // The banner goes away and the page reloads its data: the new tracks appear in place.
    await expect.poll(() => tab.getByTestId('scan-progress').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => tab.locator('main').textContent(), { timeout: 10_000 }).toContain('Foxtrot');
    await tab.screenshot({ path: join(artifacts, 'scan-done.png') });
    expect(await (await fetch(`${host.url}/tracks`)).text()).not.toContain('data-testid="scan-progress"');
  });

  it('reports idle in the listener role, which never scans, and refuses writes to it', async () => {
    expect(await scanStatus(listener)).toMatchObject({ state: 'idle', done: 0, total: 0, lastReport: null });
    const write = await fetch(`${listener.url}${SCAN_STATUS_PATH}`, {
      method: 'POST',
      headers: { origin: listener.url },
    });
    expect(write.status).toBe(403);
    // The host's catalog is there for listeners to browse all the same.
    expect(await (await fetch(`${listener.url}/tracks`)).text()).toContain('Foxtrot');
  });
});
