import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { THUMBNAIL_SIZES } from '../../cover-urls';
import { type OpenCatalog, openCatalog } from '../db/connect';
import { coverThumbnails, releases } from '../db/schema';
import { makeThumbnails } from './cover-thumbnails';
import { scanLibrary } from './scan';
import { synthWav } from './synth-audio';
import { synthCoverPng } from './synth-image';

const musicDir = mkdtempSync(join(tmpdir(), 'dmp-thumbs-'));
let catalog: OpenCatalog;

function album(folder: string, cover: { name: string; bytes: Buffer }) {
  mkdirSync(join(musicDir, folder), { recursive: true });
  writeFileSync(join(musicDir, folder, cover.name), cover.bytes);
  writeFileSync(
    join(musicDir, folder, '01 - Song.wav'),
    synthWav({ seconds: 0.2, leftHz: 300, rightHz: 500, id3: { title: `${folder} song` } }),
  );
}

beforeAll(async () => {
  catalog = await openCatalog({ dataDir: 'memory://' });
  album('Big/Wide', {
    name: 'cover.jpg',
    bytes: await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#3366cc' } })
      .jpeg()
      .toBuffer(),
  });
  album('Small/Tiny', { name: 'cover.png', bytes: synthCoverPng(128, [10, 20, 30], [200, 100, 50]) });
  album('Broken/Cover', { name: 'cover.jpg', bytes: Buffer.from('not a jpeg at all') });
});

afterAll(async () => {
  await catalog.close();
  rmSync(musicDir, { recursive: true, force: true });
});

const dimensions = async (data: Uint8Array) => {
  const meta = await sharp(data).metadata();
  return [meta.format, meta.width, meta.height];
};

const thumbnailsOf = async (folder: string) => {
  const [release] = await catalog.db
    .select({ coverArtId: releases.coverArtId })
    .from(releases)
    .where(eq(releases.title, folder.split('/')[1] ?? ''));
  return catalog.db
    .select()
    .from(coverThumbnails)
    .where(eq(coverThumbnails.coverId, release?.coverArtId ?? ''))
    .orderBy(coverThumbnails.size);
};

describe('cover thumbnails', () => {
  it('makes square WebP thumbnails in every size pages use, cropping and never enlarging', async () => {
    const wide = await sharp({ create: { width: 900, height: 500, channels: 3, background: '#808080' } })
      .png()
      .toBuffer();
    const made = await makeThumbnails(wide);
    expect(made.map((thumbnail) => thumbnail.size)).toEqual([...THUMBNAIL_SIZES]);
    expect(await Promise.all(made.map((thumbnail) => dimensions(thumbnail.data)))).toEqual([
      ['webp', 96, 96],
      ['webp', 192, 192],
      ['webp', 320, 320],
      ['webp', 480, 480],
      // 500 px tall: the 640 square would need enlarging, so it stops at the original's height.
      ['webp', 500, 500],
    ]);
    expect(made.every((thumbnail) => thumbnail.mimeType === 'image/webp')).toBe(true);
  });

  it('stores thumbnails in the catalog when the scan finds a cover, and skips an undecodable one', async () => {
    const report = await scanLibrary(catalog.db, musicDir);
    expect(report.errors).toEqual([]);
    const big = await thumbnailsOf('Big/Wide');
    expect(big.map((row) => row.size)).toEqual([...THUMBNAIL_SIZES]);
    expect(await dimensions(big.at(-1)?.data ?? new Uint8Array())).toEqual(['webp', 640, 640]);
    // The 1200×800 JPEG is far larger than the thumbnail a phone's grid loads.
    expect(big.find((row) => row.size === 320)?.data.byteLength).toBeLessThan(5_000);
    const small = await thumbnailsOf('Small/Tiny');
    expect(await dimensions(small.at(-1)?.data ?? new Uint8Array())).toEqual(['webp', 128, 128]);
    expect(await thumbnailsOf('Broken/Cover')).toEqual([]);
  });

  it('catches up covers missing some or all thumbnails on the next scan', async () => {
    await catalog.db.delete(coverThumbnails).where(eq(coverThumbnails.size, 192));
    const [small] = await catalog.db
      .select({ coverArtId: releases.coverArtId })
      .from(releases)
      .where(eq(releases.title, 'Tiny'));
    await catalog.db.delete(coverThumbnails).where(eq(coverThumbnails.coverId, small?.coverArtId ?? ''));
    const report = await scanLibrary(catalog.db, musicDir);
    expect(report.unchanged).toBe(3);
    expect((await thumbnailsOf('Big/Wide')).map((row) => row.size)).toEqual([...THUMBNAIL_SIZES]);
    expect((await thumbnailsOf('Small/Tiny')).map((row) => row.size)).toEqual([...THUMBNAIL_SIZES]);
  });
});
