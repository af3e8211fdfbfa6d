import { appContext } from '$lib/server/catalog-instance';
import { listArtists } from '$lib/server/db/queries';
import { pageFromUrl } from '$lib/server/page-params';
import type { PageServerLoad } from './$types';

export const load = (async ({ url }) => {
  const { catalog } = await appContext();
  const page = pageFromUrl(url);
  return { artists: await listArtists(catalog.db, page), page: page.number };
}) satisfies PageServerLoad;
