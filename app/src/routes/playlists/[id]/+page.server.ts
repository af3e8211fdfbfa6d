import { error, fail } from '@sveltejs/kit';
import { appContext } from '$lib/server/catalog-instance';
import { assertHostRole } from '$lib/server/config';
import { addToPlaylist, getPlaylist, getTrack, listTracks } from '$lib/server/db/queries';
import type { Actions, PageServerLoad } from './$types';

const playlistId = (raw: string) => {
  const id = Number.parseInt(raw, 10);
  if (!Number.isSafeInteger(id) || String(id) !== raw) error(404, 'No such playlist');
  return id;
};

export const load = (async ({ params, locals }) => {
  if (locals.role !== 'host') error(403, 'Playlists belong to the host');
  const { catalog } = await appContext();
  const playlist = await getPlaylist(catalog.db, playlistId(params.id));
  if (!playlist) error(404, 'No such playlist');
  return { playlist, candidates: await listTracks(catalog.db, { limit: 200, offset: 0 }) };
}) satisfies PageServerLoad;

export const actions = {
  add: async ({ params, request }) => {
    const { catalog, config } = await appContext();
    assertHostRole(config, 'editing playlists');
    const trackId = String((await request.formData()).get('trackId') ?? '');
    if (!(await getTrack(catalog.db, trackId))) return fail(400, { message: 'unknown track' });
    await addToPlaylist(catalog.db, playlistId(params.id), trackId);
    return { ok: true };
  },
} satisfies Actions;
