import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppServer, startHostAndListener, type TwoRoles } from '@dmp-party/harness/app-server';
import { writeTestAlbum } from '@dmp-party/harness/music-fixtures';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const musicDir = mkdtempSync(join(tmpdir(), 'dmp-roles-'));
let roles: TwoRoles;
let database: pg.Client;
let host: AppServer;
let listener: AppServer;
let trackId: string;
let releaseId: string;

beforeAll(async () => {
  writeTestAlbum(musicDir, 'Roles Artist', 'Roles Album', ['First Song', 'Second Song']);
  roles = await startHostAndListener(musicDir);
  ({ database, host, listener } = roles);
  const rows = await database.query('select id, release_id from tracks order by file_path limit 1');
  trackId = rows.rows[0].id;
  releaseId = rows.rows[0].release_id;
}, 180_000);

afterAll(async () => {
  await roles?.stop();
  rmSync(musicDir, { recursive: true, force: true });
});

const count = async (table: string) =>
  Number((await database.query(`select count(*) from ${table}`)).rows[0].count);

/** A form post as the browser sends it (SvelteKit checks Origin on form submissions). */
const post = (server: AppServer, path: string, fields: Record<string, string>) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: {
      origin: server.url,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });

describe('host and listener roles on the built app', () => {
  it('shows the same catalog to both, with play and favorite controls for the host only', async () => {
    const hostPage = await (await fetch(`${host.url}/releases/${releaseId}`)).text();
    const listenerPage = await (await fetch(`${listener.url}/releases/${releaseId}`)).text();
    for (const page of [hostPage, listenerPage]) {
      expect(page).toContain('Roles Album');
      expect(page).toContain('First Song');
    }
    expect(hostPage).toContain('aria-label="Play First Song"');
    expect(hostPage).toContain('Add to favorites');
    expect(hostPage).toContain('aria-label="Player"');
    expect(listenerPage).not.toContain('aria-label="Play');
    expect(listenerPage).not.toContain('favorites');
    expect(listenerPage).not.toContain('aria-label="Player"');
    expect(listenerPage).not.toContain('href="/playlists"');
  });

  it('refuses every listener write with 403 and leaves the database unchanged', async () => {
    const before = [await count('favorites'), await count('playlists'), await count('playlist_items')];
    const attempts = [
      await post(listener, '/favorites?/toggle', { trackId, favorite: '1' }),
      await post(listener, '/playlists?/create', { name: 'Sneaky' }),
      await post(listener, '/playlists/1?/add', { trackId }),
      await fetch(`${listener.url}/releases/${releaseId}`, { method: 'DELETE' }),
    ];
    for (const response of attempts) {
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    }
    expect([await count('favorites'), await count('playlists'), await count('playlist_items')]).toEqual(
      before,
    );
    expect((await fetch(`${listener.url}/favorites`)).status).toBe(403);
  });

  it('never serves audio files to listeners, and serves ranges to the host', async () => {
    expect((await fetch(`${listener.url}/audio/${trackId}`)).status).toBe(403);
    const ranged = await fetch(`${host.url}/audio/${trackId}`, { headers: { range: 'bytes=0-43' } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-type')).toBe('audio/wav');
    expect(
      Buffer.from(await ranged.arrayBuffer())
        .subarray(0, 4)
        .toString('ascii'),
    ).toBe('RIFF');
    expect((await fetch(`${host.url}/audio/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
  });

  it('lets the host favorite and build playlists', async () => {
    expect(await (await post(host, '/favorites?/toggle', { trackId, favorite: '1' })).json()).toMatchObject({
      type: 'success',
    });
    expect(await count('favorites')).toBe(1);
    const created = await post(host, '/playlists?/create', { name: 'Host mix' });
    expect([200, 303]).toContain(created.status);
    expect(await count('playlists')).toBe(1);
    const playlistId = (await database.query('select id from playlists')).rows[0].id;
    expect((await post(host, `/playlists/${playlistId}?/add`, { trackId })).status).toBe(200);
    expect(await count('playlist_items')).toBe(1);
    // SvelteKit answers enhanced form posts with 200 and the action's outcome in the body.
    const refused = await post(host, '/playlists?/create', { name: '' });
    expect(await refused.json()).toMatchObject({ type: 'failure', status: 400 });
    expect(await count('playlists')).toBe(1);
  });
});
