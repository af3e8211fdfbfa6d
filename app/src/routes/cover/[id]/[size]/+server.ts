import { error } from '@sveltejs/kit';
import { and, eq } from 'drizzle-orm';
import { isThumbnailSize } from '$lib/cover-urls';
import { appContext } from '$lib/server/catalog-instance';
import { coverResponse } from '$lib/server/cover-response';
import { coverArt, coverThumbnails } from '$lib/server/db/schema';
import type { RequestHandler } from './$types';

/**
 * A cover's thumbnail of one of the sizes pages use. A cover the scan could not shrink (an image
 * sharp cannot decode) is served as it is, so the page still shows it.
 */
export const GET: RequestHandler = async ({ params }) => {
  const size = Number(params.size);
  if (!isThumbnailSize(size)) error(404, 'no such cover size');
  const { catalog } = await appContext();
  const [thumbnail] = await catalog.db
    .select({ mimeType: coverThumbnails.mimeType, data: coverThumbnails.data })
    .from(coverThumbnails)
    .where(and(eq(coverThumbnails.coverId, params.id), eq(coverThumbnails.size, size)));
  if (thumbnail) return coverResponse(thumbnail);
  const [original] = await catalog.db
    .select({ mimeType: coverArt.mimeType, data: coverArt.data })
    .from(coverArt)
    .where(eq(coverArt.id, params.id));
  if (!original) error(404, 'no such cover');
  return coverResponse(original);
};
