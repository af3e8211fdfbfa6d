import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenCatalog, openCatalog } from '../db/connect';
import { artists, coverArt, releases, tracks } from '../db/schema';
import { ensureDemoLibrary } from './demo-library';
import { type ScanProgress, scanLibrary, VARIOUS_ARTISTS } from './scan';
import { synthWav } from './synth-audio';
import { synthCoverPng } from './synth-image';

const musicDir = mkdtempSync(join(tmpdir(), 'dmp-scan-'));
let catalog: OpenCatalog;

function put(relativePath: string, wav: Buffer) {
  const path = join(musicDir, relativePath);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, wav);
}
const tone = { seconds: 0.5, leftHz: 440, rightHz: 660 };

beforeAll(async () => {
  catalog = await openCatalog({ dataDir: 'memory://' });
  // Unicode everywhere, tags in ID3.
  put(
    'Björk Ωmega/Ñandú 東京/01 - Ça va.wav',
    synthWav({
      ...tone,
      id3: { title: 'Ça va — 東京', artist: 'Björk Ωmega', album: 'Ñandú 東京', trackNumber: '1' },
    }),
  );
  // No tags at all: artist, album, number and title from the path.
  put('Folder Artist/Folder Album/03 - Untagged Song.wav', synthWav(tone));
  // RIFF INFO tags only.
  put(
    'Info Artist/Info Album/track.wav',
    synthWav({ ...tone, info: { INAM: 'Info Title', IART: 'Info Artist', IPRD: 'Info Album', ITRK: '7' } }),
  );
  // Multi-disc: disc from the tag on one disc, from the "CD2" folder on the other.
  put(
    'Multi/Big Album/CD1/01 - Opening.wav',
    synthWav({
      ...tone,
      id3: { title: 'Opening', artist: 'Multi', album: 'Big Album', partOfSet: '1/2', trackNumber: '1' },
    }),
  );
  put(
    'Multi/Big Album/CD2/01 - Encore.wav',
    synthWav({ ...tone, id3: { title: 'Encore', artist: 'Multi', album: 'Big Album', trackNumber: '1' } }),
  );
  // A compilation tagged the usual way (album artist "Various Artists") and an untagged one (different artists, one folder, no album artist).
  for (const [i, artist] of ['Ann', 'Bob'].entries()) {
    put(
      `Comps/Tagged Comp/0${i + 1} - Song ${i}.wav`,
      synthWav({
        ...tone,
        id3: { title: `Song ${i}`, artist, album: 'Tagged Comp', performerInfo: 'Various Artists' },
      }),
    );
    put(
      `Comps/Loose Comp/0${i + 1} - Tune ${i}.wav`,
      synthWav({ ...tone, id3: { title: `Tune ${i}`, artist: `${artist} Loose`, album: 'Loose Comp' } }),
    );
  }
  // Folder cover art.
  writeFileSync(
    join(musicDir, 'Folder Artist/Folder Album/cover.png'),
    synthCoverPng(8, [0, 0, 0], [255, 0, 0]),
  );
  // A corrupt file.
  put('Broken/Bad/01 - Noise.mp3', Buffer.from('this is not audio at all, just text pretending'));
});

afterAll(async () => {
  await catalog.close();
  rmSync(musicDir, { recursive: true, force: true });
});

const trackByPath = async (path: string) =>
  (await catalog.db.select().from(tracks).where(eq(tracks.filePath, path)))[0];
const releaseOf = async (releaseId: string) =>
  (await catalog.db.select().from(releases).where(eq(releases.id, releaseId)))[0];
const artistName = async (artistId: string) =>
  (await catalog.db.select().from(artists).where(eq(artists.id, artistId)))[0]?.name;

describe('scanning a library with hard cases', () => {
  it('indexes every readable file, reports the corrupt one, and reports progress', async () => {
    const progress: ScanProgress[] = [];
    const report = await scanLibrary(catalog.db, musicDir, { onProgress: (p) => progress.push(p) });
    expect(report.added).toBe(9);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]?.path).toBe(join('Broken', 'Bad', '01 - Noise.mp3'));
    expect(progress.at(-1)).toMatchObject({ done: 10, total: 10 });
    expect(await catalog.db.select().from(tracks)).toHaveLength(9);
  });

  it('keeps unicode titles, artists and releases intact', async () => {
    const track = await trackByPath(join('Björk Ωmega', 'Ñandú 東京', '01 - Ça va.wav'));
    expect(track).toMatchObject({ title: 'Ça va — 東京', trackNumber: 1, codec: 'PCM', channels: 2 });
    expect(track?.durationMs).toBeGreaterThanOrEqual(490);
    expect(await artistName(track?.artistId ?? '')).toBe('Björk Ωmega');
    expect((await releaseOf(track?.releaseId ?? ''))?.title).toBe('Ñandú 東京');
  });

  it('falls back to folder and file names when tags are missing, and finds folder cover art', async () => {
    const track = await trackByPath(join('Folder Artist', 'Folder Album', '03 - Untagged Song.wav'));
    expect(track).toMatchObject({ title: 'Untagged Song', trackNumber: 3, discNumber: 1 });
    expect(await artistName(track?.artistId ?? '')).toBe('Folder Artist');
    const release = await releaseOf(track?.releaseId ?? '');
    expect(release?.title).toBe('Folder Album');
    const [cover] = await catalog.db
      .select()
      .from(coverArt)
      .where(eq(coverArt.id, release?.coverArtId ?? ''));
    expect(cover?.mimeType).toBe('image/png');
  });

  it('reads RIFF INFO tags', async () => {
    const track = await trackByPath(join('Info Artist', 'Info Album', 'track.wav'));
    expect(track).toMatchObject({ title: 'Info Title', trackNumber: 7 });
  });

  it('groups a multi-disc release with its disc numbers', async () => {
    const opening = await trackByPath(join('Multi', 'Big Album', 'CD1', '01 - Opening.wav'));
    const encore = await trackByPath(join('Multi', 'Big Album', 'CD2', '01 - Encore.wav'));
    expect(opening?.discNumber).toBe(1);
    expect(encore?.discNumber).toBe(2);
    expect(opening?.releaseId).toBe(encore?.releaseId);
  });

  it('files compilations under Various Artists, tagged or inferred', async () => {
    for (const album of ['Tagged Comp', 'Loose Comp']) {
      const rows = await catalog.db.select().from(releases).where(eq(releases.title, album));
      expect(rows).toHaveLength(1);
      expect(rows[0]?.isCompilation).toBe(true);
      expect(await artistName(rows[0]?.artistId ?? '')).toBe(VARIOUS_ARTISTS);
      const members = await catalog.db
        .select()
        .from(tracks)
        .where(eq(tracks.releaseId, rows[0]?.id ?? ''));
      expect(members).toHaveLength(2);
    }
  });

  it('rescans incrementally: unchanged skipped, changed re-read, removed deleted with orphans', async () => {
    const untouched = await scanLibrary(catalog.db, musicDir);
    expect(untouched).toMatchObject({ added: 0, updated: 0, unchanged: 9, removed: 0 });

    const changed = join(musicDir, 'Info Artist/Info Album/track.wav');
    writeFileSync(
      changed,
      synthWav({ ...tone, info: { INAM: 'Renamed', IART: 'Info Artist', IPRD: 'Info Album' } }),
    );
    utimesSync(changed, new Date(), new Date(Date.now() + 5_000));
    rmSync(join(musicDir, 'Björk Ωmega'), { recursive: true });
    const report = await scanLibrary(catalog.db, musicDir);
    expect(report).toMatchObject({ added: 0, updated: 1, unchanged: 7, removed: 1 });
    expect((await trackByPath(join('Info Artist', 'Info Album', 'track.wav')))?.title).toBe('Renamed');
    expect(await catalog.db.select().from(artists).where(eq(artists.name, 'Björk Ωmega'))).toHaveLength(0);
    expect(await catalog.db.select().from(releases).where(eq(releases.title, 'Ñandú 東京'))).toHaveLength(0);
  });
});

describe('the demo library', () => {
  it('scans into a real catalog with covers and a compilation', async () => {
    const demoDir = mkdtempSync(join(tmpdir(), 'dmp-demo-'));
    const demo = await openCatalog({ dataDir: 'memory://' });
    try {
      ensureDemoLibrary(demoDir, 1);
      const report = await scanLibrary(demo.db, demoDir);
      expect(report).toMatchObject({ added: 11, errors: [] });
      const rows = await demo.db.select().from(releases).orderBy(asc(releases.title));
      expect(rows.map((row) => row.title)).toEqual([
        'Friends of DMP, Vol. 1',
        'Harbour Lights',
        'Low Orbit',
        'Tiny Rooms',
      ]);
      expect(rows.every((row) => row.coverArtId)).toBe(true);
      expect(rows.find((row) => row.isCompilation)?.title).toBe('Friends of DMP, Vol. 1');
    } finally {
      await demo.close();
      rmSync(demoDir, { recursive: true, force: true });
    }
  });
});
