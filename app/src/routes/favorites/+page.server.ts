import { error, fail } from '@sveltejs/kit';
import { appContext } from '$lib/server/catalog-instance';
import { assertHostRole } from '$lib/server/config';
import { getTrack, listFavorites, setFavorite } from '$lib/server/db/queries';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals }) => {
  if (locals.role !== 'host') error(403, 'Favorites belong to the host');
  const { catalog } = await appContext();
  const favorites = await listFavorites(catalog.db);
  return { favorites, favoriteIds: favorites.map((track) => track.id) };
}) satisfies PageServerLoad;

export const actions = {
  toggle: async ({ request }) => {
    const { catalog, config } = await appContext();
    assertHostRole(config, 'changing favorites');
    const form = await request.formData();
    const trackId = String(form.get('trackId') ?? '');
    if (!(await getTrack(catalog.db, trackId))) return fail(400, { message: 'unknown track' });
    await setFavorite(catalog.db, trackId, form.get('favorite') === '1');
    return { ok: true };
  },
} satisfies Actions;
