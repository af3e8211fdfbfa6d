/**
 * Cover thumbnails: the scan stores each cover in these widths (square, WebP) next to the original,
 * so a page fetches an image the size it shows rather than the full picture. Shared by the server
 * (which makes and serves them) and the pages (which pick one per `srcset`).
 */
export const THUMBNAIL_SIZES = [96, 192, 320, 480, 640] as const;
export type ThumbnailSize = (typeof THUMBNAIL_SIZES)[number];

export function isThumbnailSize(value: number): value is ThumbnailSize {
  return (THUMBNAIL_SIZES as readonly number[]).includes(value);
}

/** The URL of a cover's thumbnail of `size` pixels. */
export function thumbnailUrl(coverId: string, size: ThumbnailSize): string {
  return `/cover/${encodeURIComponent(coverId)}/${size}`;
}

/** The smallest thumbnail at least `pixels` wide (the largest when none is). */
export function thumbnailFor(pixels: number): ThumbnailSize {
  return THUMBNAIL_SIZES.find((size) => size >= pixels) ?? 640;
}

/** `srcset` listing every thumbnail of a cover, so the browser picks one for the screen's density. */
export function thumbnailSrcset(coverId: string): string {
  return THUMBNAIL_SIZES.map((size) => `${thumbnailUrl(coverId, size)} ${size}w`).join(', ');
}

/**
 * The cover id inside a `nowPlaying.coverUrl` the host sent (`/cover/<id>`), so listener pages can
 * ask for a thumbnail too; null for any other URL.
 */
export function coverIdFromUrl(url: string | undefined): string | null {
  const match = url ? /^\/cover\/([A-Za-z0-9_-]+)$/.exec(url) : null;
  return match?.[1] ?? null;
}
