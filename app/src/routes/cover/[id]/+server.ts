import { error } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { appContext } from '$lib/server/catalog-instance';
import { coverArt } from '$lib/server/db/schema';
import type { RequestHandler } from './$types';

/** Cover images by content hash: immutable, so cached for a long time. */
export const GET: RequestHandler = async ({ params }) => {
  const { catalog } = await appContext();
  const [cover] = await catalog.db.select().from(coverArt).where(eq(coverArt.id, params.id));
  if (!cover) error(404, 'no such cover');
  return new Response(Buffer.from(cover.data), {
    headers: { 'content-type': cover.mimeType, 'cache-control': 'public, max-age=31536000, immutable' },
  });
};
