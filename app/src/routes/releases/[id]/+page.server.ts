import { error } from '@sveltejs/kit';
import { appContext } from '$lib/server/catalog-instance';
import { getRelease, listFavorites } from '$lib/server/db/queries';
import type { PageServerLoad } from './$types';

export const load = (async ({ params, locals }) => {
  const { catalog } = await appContext();
  const release = await getRelease(catalog.db, params.id);
  if (!release) error(404, 'No such release');
  const favoriteIds =
    locals.role === 'host' ? (await listFavorites(catalog.db)).map((track) => track.id) : [];
  return { release, favoriteIds };
}) satisfies PageServerLoad;
