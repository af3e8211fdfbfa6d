import { error, fail, redirect } from '@sveltejs/kit';
import { appContext } from '$lib/server/catalog-instance';
import { assertHostRole } from '$lib/server/config';
import { createPlaylist, listPlaylists } from '$lib/server/db/queries';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals }) => {
  if (locals.role !== 'host') error(403, 'Playlists belong to the host');
  const { catalog } = await appContext();
  return { playlists: await listPlaylists(catalog.db) };
}) satisfies PageServerLoad;

export const actions = {
  create: async ({ request }) => {
    const { catalog, config } = await appContext();
    assertHostRole(config, 'creating playlists');
    const name = String((await request.formData()).get('name') ?? '').trim();
    if (!name || name.length > 200)
      return fail(400, { message: 'a playlist needs a name of 1-200 characters' });
    const playlist = await createPlaylist(catalog.db, name);
    redirect(303, `/playlists/${playlist.id}`);
  },
} satisfies Actions;
