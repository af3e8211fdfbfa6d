/**
 * A requested track as the host's player plays it (issue 14): the host accepted a listener's
 * request, and its page looks the track up in its own catalog (a listener names only an id; a
 * forged title never reaches the player). Host role only.
 */
import { errorBody } from '@dmp-party/protocol';
import { json } from '@sveltejs/kit';
import { appContext } from '$lib/server/catalog-instance';
import { assertHostRole } from '$lib/server/config';
import { getTrack } from '$lib/server/db/queries';
import type { RequestHandler } from './$types';

export const GET = (async ({ params }) => {
  const { catalog, config } = await appContext();
  assertHostRole(config, 'queueing a request');
  const track = await getTrack(catalog.db, params.trackId);
  if (!track) return json(errorBody('NOT_FOUND', 'no such track'), { status: 404 });
  return json({
    id: track.id,
    title: track.title,
    artistName: track.artistName,
    releaseTitle: track.releaseTitle,
    coverArtId: track.coverArtId,
    durationMs: track.durationMs,
  });
}) satisfies RequestHandler;
