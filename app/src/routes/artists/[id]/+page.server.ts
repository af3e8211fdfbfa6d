import { error } from '@sveltejs/kit';
import { appContext } from '$lib/server/catalog-instance';
import { getArtist } from '$lib/server/db/queries';
import type { PageServerLoad } from './$types';

export const load = (async ({ params }) => {
  const { catalog } = await appContext();
  const artist = await getArtist(catalog.db, params.id);
  if (!artist) error(404, 'No such artist');
  return { artist };
}) satisfies PageServerLoad;
