import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type NeonProxy, startNeonProxy } from '@dmp-party/harness/neon-proxy';
import { type PostgresServer, startPostgres } from '@dmp-party/harness/postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stableId } from '../library/ids';
import { scanLibrary } from '../library/scan';
import { synthWav } from '../library/synth-audio';
import { type DriverName, type OpenCatalog, openCatalog } from './connect';
import * as q from './queries';

const musicDir = mkdtempSync(join(tmpdir(), 'dmp-queries-'));
let postgres: PostgresServer;
let proxy: NeonProxy;

function put(relativePath: string, title: string, artist: string, album: string, track: number) {
  const path = join(musicDir, relativePath);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(
    path,
    synthWav({
      seconds: 0.3,
      leftHz: 300,
      rightHz: 500,
      id3: { title, artist, album, trackNumber: String(track) },
    }),
  );
}

beforeAll(async () => {
  put('Alpha/First/01 - One.wav', 'One', 'Alpha', 'First', 1);
  put('Alpha/First/02 - Two.wav', 'Two 100%_sure', 'Alpha', 'First', 2);
  put('Beta/Second/01 - Three.wav', 'Three', 'Beta', 'Second', 1);
  put('Mix/Mixtape/01 - Alpha Guest.wav', 'Guest Spot', 'Alpha', 'Mixtape', 1);
  put('Mix/Mixtape/02 - Beta Guest.wav', 'Another Spot', 'Beta', 'Mixtape', 2);
  postgres = await startPostgres();
  proxy = await startNeonProxy();
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  await admin.query('CREATE DATABASE neon_driver');
  await admin.query('CREATE DATABASE pg_driver');
  await admin.end();
});

afterAll(async () => {
  await proxy?.close();
  postgres?.stop();
  rmSync(musicDir, { recursive: true, force: true });
});

const databaseUrl = (driver: DriverName) =>
  driver === 'pglite'
    ? undefined
    : driver === 'neon'
      ? `${postgres.url.replace('/postgres', '/neon_driver')}?neon=1`
      : postgres.url.replace('/postgres', '/pg_driver');

describe.each(['pglite', 'neon', 'postgres'] as const)('catalog queries on %s', (driver) => {
  let catalog: OpenCatalog;
  beforeAll(async () => {
    catalog = await openCatalog({
      databaseUrl: databaseUrl(driver),
      dataDir: 'memory://',
      neonWsProxy: driver === 'neon' ? proxy.address : undefined,
    });
    await scanLibrary(catalog.db, musicDir);
  });
  afterAll(() => catalog.close());

  it('uses the driver DATABASE_URL selects', () => {
    expect(catalog.driver).toBe(driver);
  });

  it('lists artists, releases and tracks in order, with the same ids on every driver', async () => {
    const artists = await q.listArtists(catalog.db, { limit: 10, offset: 0 });
    // Various Artists owns the compilation: its tracks count for it, so no artist shows 0 tracks.
    expect(artists.map((a) => [a.name, a.trackCount, a.releaseCount])).toEqual([
      ['Alpha', 3, 1],
      ['Beta', 2, 1],
      ['Various Artists', 2, 1],
    ]);
    expect(artists.every((a) => a.coverArtId === null)).toBe(true);
    expect((await q.topArtists(catalog.db, 2)).map((a) => a.name)).toEqual(['Alpha', 'Beta']);
    expect(await q.libraryTotals(catalog.db)).toEqual({
      tracks: 5,
      durationMs: 1500,
      releases: 3,
      artists: 3,
    });
    const releases = await q.listReleases(catalog.db, { limit: 10, offset: 0 });
    expect(releases.map((r) => r.title)).toEqual(['First', 'Second', 'Mixtape']);
    const tracks = await q.listTracks(catalog.db, { limit: 2, offset: 1 });
    expect(tracks.map((t) => t.title)).toEqual(['Two 100%_sure', 'Guest Spot']);
    // Ids come from the relative path, so every driver (and every machine) agrees on them.
    expect(tracks[0]?.id).toBe(stableId('track', join('Alpha', 'First', '02 - Two.wav')));
  });

  it('opens a release with its tracks, and an artist with releases and appearances', async () => {
    const [first] = await q.listReleases(catalog.db, { limit: 1, offset: 0 });
    const release = await q.getRelease(catalog.db, first?.id ?? '');
    expect(release?.tracks.map((t) => [t.trackNumber, t.title])).toEqual([
      [1, 'One'],
      [2, 'Two 100%_sure'],
    ]);
    const alpha = await q.getArtist(catalog.db, release?.artistId ?? '');
    expect(alpha?.releases.map((r) => r.title)).toEqual(['First']);
    expect(alpha?.appearsOn.map((r) => r.title)).toEqual(['Mixtape']);
    expect(await q.getRelease(catalog.db, 'no-such-release')).toBeUndefined();
  });

  it('searches across artists, releases and tracks, treating % and _ literally', async () => {
    const found = await q.search(catalog.db, 'spot');
    expect(found.tracks.map((t) => t.title).sort()).toEqual(['Another Spot', 'Guest Spot']);
    expect((await q.search(catalog.db, 'beta')).artists.map((a) => a.name)).toEqual(['Beta']);
    expect((await q.search(catalog.db, 'mixt')).releases.map((r) => r.title)).toEqual(['Mixtape']);
    expect((await q.search(catalog.db, '100%_')).tracks.map((t) => t.title)).toEqual(['Two 100%_sure']);
    expect((await q.search(catalog.db, '%')).tracks.map((t) => t.title)).toEqual(['Two 100%_sure']);
  });

  it('keeps favorites and ordered playlists', async () => {
    const [one, two] = await q.listTracks(catalog.db, { limit: 2, offset: 0 });
    await q.setFavorite(catalog.db, one?.id ?? '', true);
    await q.setFavorite(catalog.db, one?.id ?? '', true);
    expect((await q.listFavorites(catalog.db)).map((t) => t.title)).toEqual([one?.title]);
    await q.setFavorite(catalog.db, one?.id ?? '', false);
    expect(await q.listFavorites(catalog.db)).toEqual([]);

    const playlist = await q.createPlaylist(catalog.db, 'Road trip');
    await q.addToPlaylist(catalog.db, playlist.id, two?.id ?? '');
    await q.addToPlaylist(catalog.db, playlist.id, one?.id ?? '');
    await q.addToPlaylist(catalog.db, playlist.id, two?.id ?? '');
    const loaded = await q.getPlaylist(catalog.db, playlist.id);
    expect(loaded?.tracks.map((t) => t.title)).toEqual([two?.title, one?.title, two?.title]);
    expect((await q.listPlaylists(catalog.db)).map((p) => [p.name, p.trackCount])).toEqual([
      ['Road trip', 3],
    ]);
    await q.deletePlaylist(catalog.db, playlist.id);
    expect(await q.listPlaylists(catalog.db)).toEqual([]);
  });

  it('resolves a track file only for catalog ids', async () => {
    const [track] = await q.listTracks(catalog.db, { limit: 1, offset: 0 });
    expect((await q.trackFile(catalog.db, track?.id ?? ''))?.filePath).toBe(
      join('Alpha', 'First', '01 - One.wav'),
    );
    expect(await q.trackFile(catalog.db, '../../etc/passwd')).toBeUndefined();
  });
});
