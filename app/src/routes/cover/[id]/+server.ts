import { error } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { appContext } from '$lib/server/catalog-instance';
import { coverResponse } from '$lib/server/cover-response';
import { coverArt } from '$lib/server/db/schema';
import type { RequestHandler } from './$types';

/** The original cover image (pages use the thumbnails under /cover/:id/:size). */
export const GET: RequestHandler = async ({ params }) => {
  const { catalog } = await appContext();
  const [cover] = await catalog.db.select().from(coverArt).where(eq(coverArt.id, params.id));
  if (!cover) error(404, 'no such cover');
  return coverResponse(cover);
};
