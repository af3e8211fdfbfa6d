/**
 * The scanner on real codecs: MP3, FLAC, Ogg Opus, Ogg Vorbis and AAC in M4A, encoded at test time
 * by Debian's ffmpeg with full tags and embedded cover art, scanned into a catalog and served back
 * through the audio route's handler.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EncodedFormat, encodeAudio, ensureEncoder, FORMATS } from '@dmp-party/harness/encoded-audio';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveTrackAudio } from '../audio/serve-track';
import { type OpenCatalog, openCatalog } from '../db/connect';
import { artists, coverArt, releases, tracks } from '../db/schema';
import { type ScanReport, scanLibrary, VARIOUS_ARTISTS } from './scan';
import { synthCoverPng } from './synth-image';

/** What each format must come back as: music-metadata's codec name, bitrate range, content type. */
const EXPECTED: Record<
  EncodedFormat,
  { codec: string; sampleRate: number; bitrate: [number, number]; contentType: string }
> = {
  mp3: {
    codec: 'MPEG 1 Layer 3',
    sampleRate: 44_100,
    bitrate: [128_000, 128_000],
    contentType: 'audio/mpeg',
  },
  // Lossless: somewhere between a good lossy rate and raw 16-bit stereo PCM (1,411.2 kbps).
  flac: { codec: 'FLAC', sampleRate: 44_100, bitrate: [100_000, 1_411_200], contentType: 'audio/flac' },
  // 96 kbps CBR plus the Ogg framing of 50 pages a second.
  opus: {
    codec: 'Opus',
    sampleRate: 48_000,
    bitrate: [90_000, 125_000],
    contentType: 'audio/ogg; codecs=opus',
  },
  // Vorbis reports the nominal bitrate of its header.
  vorbis: { codec: 'Vorbis I', sampleRate: 44_100, bitrate: [128_000, 128_000], contentType: 'audio/ogg' },
  aac: { codec: 'MPEG-4/AAC', sampleRate: 44_100, bitrate: [110_000, 140_000], contentType: 'audio/mp4' },
};

const formats = Object.keys(FORMATS) as EncodedFormat[];
const musicDir = mkdtempSync(join(tmpdir(), 'dmp-codecs-'));
const covers = new Map<EncodedFormat, Buffer>();
let catalog: OpenCatalog;
let report: ScanReport;

const albumPath = (format: EncodedFormat) =>
  join('Codec Artist', `${format} Album`, `03 - ${format} Song${FORMATS[format].extension}`);
const compilationPath = (format: EncodedFormat) =>
  join('Codec Comps', `${format} Comp`, `01 - ${format} Guest Song${FORMATS[format].extension}`);

beforeAll(async () => {
  ensureEncoder();
  for (const [i, format] of formats.entries()) {
    // A cover per format, so the one stored can only have come from that file.
    covers.set(format, synthCoverPng(16, [40 * i, 20, 90], [250 - 40 * i, 180, 30]));
    for (const path of [albumPath(format), compilationPath(format)]) {
      mkdirSync(join(musicDir, path, '..'), { recursive: true });
    }
    encodeAudio(
      join(musicDir, albumPath(format)),
      format,
      {
        title: `${format} Sóng`,
        artist: `${format} Artist`,
        album: `${format} Album`,
        albumArtist: `${format} Band`,
        track: '3/10',
        disc: '2/2',
        year: 2000 + i,
      },
      { seconds: 1, cover: covers.get(format) },
    );
    encodeAudio(
      join(musicDir, compilationPath(format)),
      format,
      {
        title: `${format} Guest Song`,
        artist: `${format} Guest`,
        album: `${format} Comp`,
        track: '1',
        compilation: true,
      },
      { seconds: 1 },
    );
  }
  catalog = await openCatalog({ dataDir: 'memory://' });
  report = await scanLibrary(catalog.db, musicDir);
}, 600_000);

afterAll(async () => {
  await catalog?.close();
  rmSync(musicDir, { recursive: true, force: true });
});

const trackAt = async (path: string) => {
  const [track] = await catalog.db.select().from(tracks).where(eq(tracks.filePath, path));
  if (!track) throw new Error(`no catalog row for ${path}`);
  return track;
};
const releaseOf = async (releaseId: string) =>
  (await catalog.db.select().from(releases).where(eq(releases.id, releaseId)))[0];
const artistName = async (artistId: string) =>
  (await catalog.db.select().from(artists).where(eq(artists.id, artistId)))[0]?.name;

describe('scanning real codecs', () => {
  it('indexes every file of every format without errors', () => {
    expect(report).toMatchObject({ added: 2 * formats.length, errors: [] });
  });

  describe.each(formats)('%s', (format) => {
    const expected = EXPECTED[format];

    it('reads codec, duration, bitrate, sample rate and channels', async () => {
      const track = await trackAt(albumPath(format));
      expect(track).toMatchObject({ codec: expected.codec, sampleRate: expected.sampleRate, channels: 2 });
      // One second of audio; lossy encoders add up to a frame or two of padding.
      expect(Math.abs((track.durationMs ?? 0) - 1000)).toBeLessThanOrEqual(60);
      expect(track.bitrate).toBeGreaterThanOrEqual(expected.bitrate[0]);
      expect(track.bitrate).toBeLessThanOrEqual(expected.bitrate[1]);
    });

    it('reads title, artist, album, album artist, track and disc numbers and year', async () => {
      const track = await trackAt(albumPath(format));
      expect(track).toMatchObject({ title: `${format} Sóng`, trackNumber: 3, discNumber: 2 });
      expect(await artistName(track.artistId)).toBe(`${format} Artist`);
      const release = await releaseOf(track.releaseId);
      expect(release).toMatchObject({
        title: `${format} Album`,
        year: 2000 + formats.indexOf(format),
        isCompilation: false,
      });
      expect(await artistName(release?.artistId ?? '')).toBe(`${format} Band`);
    });

    it('stores the embedded cover art on the release', async () => {
      const release = await releaseOf((await trackAt(albumPath(format))).releaseId);
      const [cover] = await catalog.db
        .select()
        .from(coverArt)
        .where(eq(coverArt.id, release?.coverArtId ?? ''));
      expect(cover?.mimeType).toBe('image/png');
      expect(Buffer.from(cover?.data ?? []).equals(covers.get(format) ?? Buffer.alloc(0))).toBe(true);
    });

    it('files a track flagged as a compilation under Various Artists', async () => {
      const track = await trackAt(compilationPath(format));
      expect(await artistName(track.artistId)).toBe(`${format} Guest`);
      const release = await releaseOf(track.releaseId);
      expect(release).toMatchObject({ title: `${format} Comp`, isCompilation: true, coverArtId: null });
      expect(await artistName(release?.artistId ?? '')).toBe(VARIOUS_ARTISTS);
    });

    it('is served by the audio route with its content type, whole and by range', async () => {
      const track = await trackAt(albumPath(format));
      const bytes = readFileSync(join(musicDir, albumPath(format)));
      const whole = await serveTrackAudio(catalog.db, musicDir, track.id, new Request('http://app/audio'));
      expect(whole.status).toBe(200);
      expect(whole.headers.get('content-type')).toBe(expected.contentType);
      expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);
      const ranged = await serveTrackAudio(
        catalog.db,
        musicDir,
        track.id,
        new Request('http://app/audio', { headers: { range: 'bytes=100-' } }),
      );
      expect(ranged.status).toBe(206);
      expect(ranged.headers.get('content-type')).toBe(expected.contentType);
      expect(Buffer.from(await ranged.arrayBuffer()).equals(bytes.subarray(100))).toBe(true);
    });
  });
});
