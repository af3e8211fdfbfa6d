import { serveTrackAudio } from '$lib/server/audio/serve-track';
import { appContext } from '$lib/server/catalog-instance';
import type { RequestHandler } from './$types';

/** Host only (the hook refuses listeners): the track's file, with Range support. */
export const GET: RequestHandler = async ({ params, request }) => {
  const { catalog, musicDir } = await appContext();
  return serveTrackAudio(catalog.db, musicDir, params.id, request);
};
