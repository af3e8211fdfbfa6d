/**
 * The production worker (root wrangler.toml) under `wrangler dev`: the edge and the listener-role
 * app in one workerd, reading the catalog that the host's app scanned into PostgreSQL through Neon's
 * driver (a WebSocket, here through the test harness's WebSocket-to-TCP proxy). This is the only
 * place the catalog's Neon path runs inside Workers rather than Node.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ScannedHost, startScannedHost } from '@dmp-party/harness/app-server';
import { writeTestAlbum } from '@dmp-party/harness/music-fixtures';
import { type NeonProxy, startNeonProxy } from '@dmp-party/harness/neon-proxy';
import { WranglerDev } from '@dmp-party/harness/wrangler-dev';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthCoverPng } from '../src/lib/server/library/synth-image';

const musicDir = mkdtempSync(join(tmpdir(), 'dmp-worker-site-'));
let scanned: ScannedHost;
let proxy: NeonProxy;
let site: WranglerDev;
let releaseId: string;
let trackId: string;

beforeAll(async () => {
  writeTestAlbum(musicDir, 'Worker Artist', 'Édition Spéciale', ['Cloud Song', 'Edge Song']);
  writeFileSync(
    join(musicDir, 'Worker Artist', 'Édition Spéciale', 'cover.png'),
    synthCoverPng(400, [30, 60, 90], [200, 160, 40]),
  );
  // The host's app migrates and scans; the worker only ever reads.
  scanned = await startScannedHost(musicDir);
  ({ id: trackId, release_id: releaseId } = (
    await scanned.database.query('select id, release_id from tracks order by file_path limit 1')
  ).rows[0]);
  proxy = await startNeonProxy();
  site = await WranglerDev.start(
    {
      DATABASE_URL: scanned.postgres.url,
      NEON_WS_PROXY: proxy.address,
      PARTY_HOST_SECRET: randomBytes(32).toString('hex'),
      MEDIA_NODE_SECRET: randomBytes(32).toString('hex'),
      // Nothing here creates media; the edge only needs a well-formed URL.
      MEDIA_NODE_URL: 'http://127.0.0.1:9',
      PUBLIC_URL: 'http://127.0.0.1',
      ALLOWED_ORIGINS: scanned.host.url,
    },
    // The root config builds the listener app (adapter-cloudflare) before workerd starts.
    { config: 'wrangler.toml', startTimeoutMs: 240_000 },
  );
}, 300_000);

afterAll(async () => {
  await site?.stop();
  await proxy?.close();
  await scanned?.stop();
  rmSync(musicDir, { recursive: true, force: true });
});

const count = async (table: string) =>
  Number((await scanned.database.query(`select count(*) from ${table}`)).rows[0].count);

describe('the production worker: edge and listener app on one origin', () => {
  it('renders catalog pages from PostgreSQL through Neon, read-only', async () => {
    const home = await fetch(`${site.url}/`);
    expect(home.status).toBe(200);
    const release = await (await fetch(`${site.url}/releases/${releaseId}`)).text();
    expect(release).toContain('Édition Spéciale');
    expect(release).toContain('Cloud Song');
    expect(release).toContain('Edge Song');
    expect(release).not.toContain('aria-label="Play');
    expect(release).not.toContain('aria-label="Player"');
    const search = await (await fetch(`${site.url}/search?q=edge`)).text();
    expect(search).toContain('Edge Song');
  });

  it('serves the app’s static files and the edge’s API from the same worker', async () => {
    const version = await fetch(`${site.url}/_app/version.json`);
    expect(version.status).toBe(200);
    expect(await version.json()).toHaveProperty('version');
    const status = await fetch(`${site.url}/api/party/status`);
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ live: false });
    const settings = await (await fetch(`${site.url}/party-status`)).text();
    expect(settings).toContain('listener');
  });

  it('refuses writes and audio files with 403 and leaves the database unchanged', async () => {
    const before = [await count('favorites'), await count('playlists')];
    const attempts = [
      await fetch(`${site.url}/favorites?/toggle`, {
        method: 'POST',
        headers: {
          origin: site.url,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({ trackId, favorite: '1' }),
      }),
      await fetch(`${site.url}/playlists?/create`, {
        method: 'POST',
        headers: {
          origin: site.url,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({ name: 'Sneaky' }),
      }),
      await fetch(`${site.url}/audio/${trackId}`),
    ];
    for (const response of attempts) expect(response.status).toBe(403);
    expect([await count('favorites'), await count('playlists')]).toEqual(before);
  });

  it('answers a catalog miss with the app’s 404, not an edge error', async () => {
    const missing = await fetch(`${site.url}/releases/no-such-release`);
    expect(missing.status).toBe(404);
  });

  it('serves the thumbnails the host scanned, from the database, and the web app manifest', async () => {
    const { cover_art_id: coverId } = (
      await scanned.database.query('select cover_art_id from releases where id = $1', [releaseId])
    ).rows[0];
    const thumbnail = await fetch(`${site.url}/cover/${coverId}/320`);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('content-type')).toBe('image/webp');
    expect(thumbnail.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const stored = (
      await scanned.database.query('select data from cover_thumbnails where cover_id = $1 and size = 320', [
        coverId,
      ])
    ).rows[0].data as Buffer;
    expect(Buffer.from(await thumbnail.arrayBuffer()).equals(stored)).toBe(true);
    const manifest = await (await fetch(`${site.url}/manifest.webmanifest`)).json();
    expect(manifest.name).toBe('DMP Party');
    for (const icon of manifest.icons) {
      const response = await fetch(`${site.url}${icon.src}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
    }
  });
});
