/**
 * Makes the cover thumbnails pages use (THUMBNAIL_SIZES, square WebP) with sharp, at scan time, so
 * serving one is a lookup. Covers stored before thumbnails existed (or before a size was added), or
 * whose thumbnails were interrupted, are caught up by the next scan.
 */
import { count, eq, lt } from 'drizzle-orm';
import { THUMBNAIL_SIZES } from '../../cover-urls';
import type { Catalog } from '../db/connect';
import { coverArt, coverThumbnails } from '../db/schema';

const WEBP_QUALITY = 78;

/**
 * sharp loads libvips, about 28 MB of the app's memory for as long as it runs: loaded the first
 * time a cover needs thumbnails, so a listener site or a host whose covers are done never pays it.
 */
let sharpModule: Promise<typeof import('sharp')> | undefined;
async function loadSharp() {
  sharpModule ??= import('sharp');
  return (await sharpModule).default;
}

export interface Thumbnail {
  size: number;
  mimeType: string;
  data: Uint8Array;
}

/** Every thumbnail of one image: centre-cropped squares, never enlarged past the original. */
export async function makeThumbnails(image: Uint8Array): Promise<Thumbnail[]> {
  const sharp = await loadSharp();
  // One decode, then a resize per size from the decoded pixels.
  const source = sharp(image, { failOn: 'error' }).rotate();
  const { width = 0, height = 0 } = await source.metadata();
  const largestSquare = Math.min(width, height);
  return Promise.all(
    THUMBNAIL_SIZES.map(async (size) => ({
      size,
      mimeType: 'image/webp',
      data: await source
        .clone()
        .resize(Math.min(size, largestSquare), Math.min(size, largestSquare), { fit: 'cover' })
        .webp({ quality: WEBP_QUALITY })
        .toBuffer(),
    })),
  );
}

/**
 * Covers without every thumbnail size get them (a new size added to THUMBNAIL_SIZES included); one
 * cover in memory at a time. Returns how many covers got thumbnails and how many could not.
 */
export async function addMissingThumbnails(db: Catalog): Promise<{ made: number; failed: number }> {
  const missing = await db
    .select({ id: coverArt.id })
    .from(coverArt)
    .leftJoin(coverThumbnails, eq(coverThumbnails.coverId, coverArt.id))
    .groupBy(coverArt.id)
    .having(lt(count(coverThumbnails.size), THUMBNAIL_SIZES.length));
  let made = 0;
  let failed = 0;
  for (const { id } of missing) {
    const [cover] = await db.select({ data: coverArt.data }).from(coverArt).where(eq(coverArt.id, id));
    if (!cover) continue;
    try {
      const thumbnails = await makeThumbnails(cover.data);
      await db
        .insert(coverThumbnails)
        .values(thumbnails.map((thumbnail) => ({ coverId: id, ...thumbnail })))
        .onConflictDoNothing();
      made++;
    } catch {
      // An image sharp cannot decode: pages fall back to the original (see the cover route).
      failed++;
    }
  }
  return { made, failed };
}
