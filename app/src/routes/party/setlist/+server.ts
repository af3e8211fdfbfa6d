/**
 * End of a party (issue 14): the host saves the night's setlist as a playlist. Only the host app's
 * own server writes the catalog, in host role; listeners' requests never come here (they go
 * through the party socket, and the listener site refuses catalog writes).
 */
import { errorBody } from '@dmp-party/protocol';
import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { appContext } from '$lib/server/catalog-instance';
import { assertHostRole } from '$lib/server/config';
import { addToPlaylist, createPlaylist, getTrack } from '$lib/server/db/queries';
import type { RequestHandler } from './$types';

const SaveSetlistSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  trackIds: z.array(z.string().min(1).max(128)).min(1).max(200),
});

export const POST = (async ({ request }) => {
  const { catalog, config } = await appContext();
  assertHostRole(config, 'saving a setlist');
  const parsed = SaveSetlistSchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success)
    return json(errorBody('VALIDATION_FAILED', 'expected {"name": string, "trackIds": string[]}'), {
      status: 400,
    });
  // Tracks no longer in the catalog (or never in it) are left out; the order is the night's.
  const known = [];
  for (const trackId of parsed.data.trackIds) if (await getTrack(catalog.db, trackId)) known.push(trackId);
  if (known.length === 0)
    return json(errorBody('NOT_FOUND', 'none of these tracks is in the catalog'), { status: 404 });
  const playlist = await createPlaylist(catalog.db, parsed.data.name);
  for (const trackId of known) await addToPlaylist(catalog.db, playlist.id, trackId);
  return json({ playlistId: playlist.id, trackCount: known.length });
}) satisfies RequestHandler;
