/**
 * The scan's batched writer: artists, releases, covers and tracks queued together land in the
 * catalog in one flush, a release keeps the cover it already had, and a row the catalog refuses
 * costs its own file only.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenCatalog, openCatalog } from '../db/connect';
import { artists, releases, tracks } from '../db/schema';
import { coverFromBytes } from './cover-art';
import { newScanMemo, ScanWriter, storeCover, type TrackRow } from './scan-writes';

let catalog: OpenCatalog;

beforeAll(async () => {
  catalog = await openCatalog({ dataDir: 'memory://' });
});

afterAll(async () => {
  await catalog.close();
});

const track = (n: number, title: string, releaseId: string, artistId: string): TrackRow => ({
  id: `track-${n}`,
  filePath: `Writer/Album/${n}.mp3`,
  releaseId,
  artistId,
  title,
  discNumber: 1,
  trackNumber: n,
  durationMs: 1000 + n,
  codec: 'MPEG 1 Layer 3',
  bitrate: 128_000,
  sampleRate: 44_100,
  channels: 2,
  fileSize: 100 * n,
  fileMtimeMs: 1_700_000_000_000 + n,
  updatedAt: new Date(),
});

describe('the scan writer', () => {
  it('writes queued rows on flush, once each, and reports only the refused track', async () => {
    const failed: [string, string][] = [];
    const memo = newScanMemo();
    const writer = new ScanWriter(catalog.db, memo, (path, message) => failed.push([path, message]));
    const first = await storeCover(catalog.db, coverFromBytes(Buffer.from('first cover'), 'image/png'), memo);
    const second = await storeCover(
      catalog.db,
      coverFromBytes(Buffer.from('other cover'), 'image/png'),
      memo,
    );
    const artistId = writer.artist('Writer Artist');
    expect(writer.artist('Writer Artist')).toBe(artistId);
    for (let n = 1; n <= 4; n++) writer.release({ id: 'writer-release', title: 'Writer Album', artistId });
    writer.releaseCover('writer-release', first ?? '');
    for (let n = 1; n <= 3; n++) await writer.track(track(n, `Song ${n}`, 'writer-release', artistId));
    // PostgreSQL refuses a NUL character in text: this row alone must fail.
    await writer.track(track(4, 'Bad\u0000Title', 'writer-release', artistId));
    expect(await catalog.db.select().from(tracks)).toHaveLength(0);
    await writer.flush();

    expect(failed.map(([path]) => path)).toEqual(['Writer/Album/4.mp3']);
    const written = await catalog.db.select().from(tracks).where(eq(tracks.releaseId, 'writer-release'));
    expect(written.map((row) => row.title).sort()).toEqual(['Song 1', 'Song 2', 'Song 3']);
    expect(written.find((row) => row.id === 'track-2')).toMatchObject({
      durationMs: 1002,
      fileSize: 200,
      fileMtimeMs: 1_700_000_000_002,
      discNumber: 1,
      filePath: 'Writer/Album/2.mp3',
    });
    expect(await catalog.db.select().from(artists).where(eq(artists.id, artistId))).toHaveLength(1);
    const [release] = await catalog.db.select().from(releases).where(eq(releases.id, 'writer-release'));
    expect(release?.coverArtId).toBe(first);

    // A later scan: the tracks are updated in place and the release keeps its first cover.
    const again = new ScanWriter(catalog.db, newScanMemo(), (path, message) => failed.push([path, message]));
    again.release({ id: 'writer-release', title: 'Renamed Album', artistId: again.artist('Writer Artist') });
    again.releaseCover('writer-release', second ?? '');
    await again.track({ ...track(2, 'Song 2, retagged', 'writer-release', artistId), durationMs: 2222 });
    await again.flush();
    const [kept] = await catalog.db.select().from(releases).where(eq(releases.id, 'writer-release'));
    expect(kept).toMatchObject({ title: 'Writer Album', coverArtId: first });
    const [retagged] = await catalog.db.select().from(tracks).where(eq(tracks.id, 'track-2'));
    expect(retagged).toMatchObject({
      title: 'Song 2, retagged',
      durationMs: 2222,
      addedAt: written[1]?.addedAt,
    });
    expect(failed).toHaveLength(1);
  });
});
