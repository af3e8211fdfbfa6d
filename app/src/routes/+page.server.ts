import { appContext } from '$lib/server/catalog-instance';
import { recentlyAddedReleases } from '$lib/server/db/queries';
import type { PageServerLoad } from './$types';

export const load = (async () => {
  const { catalog } = await appContext();
  return { recent: await recentlyAddedReleases(catalog.db, 12) };
}) satisfies PageServerLoad;
