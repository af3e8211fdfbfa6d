import { appContext } from '$lib/server/catalog-instance';
import { libraryTotals, recentlyAddedReleases, topArtists } from '$lib/server/db/queries';
import type { PageServerLoad } from './$types';

export const load = (async () => {
  const { catalog } = await appContext();
  const [totals, recent, artists] = await Promise.all([
    libraryTotals(catalog.db),
    recentlyAddedReleases(catalog.db, 8),
    topArtists(catalog.db, 8),
  ]);
  return { totals, recent, artists };
}) satisfies PageServerLoad;
