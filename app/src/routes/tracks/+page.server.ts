import { appContext } from '$lib/server/catalog-instance';
import { listTracks } from '$lib/server/db/queries';
import { pageFromUrl } from '$lib/server/page-params';
import type { PageServerLoad } from './$types';

export const load = (async ({ url }) => {
  const { catalog } = await appContext();
  const page = pageFromUrl(url);
  return { tracks: await listTracks(catalog.db, page), page: page.number };
}) satisfies PageServerLoad;
