import { appContext } from '$lib/server/catalog-instance';
import { listReleases } from '$lib/server/db/queries';
import { pageFromUrl } from '$lib/server/page-params';
import type { PageServerLoad } from './$types';

export const load = (async ({ url }) => {
  const { catalog } = await appContext();
  const page = pageFromUrl(url);
  return { releases: await listReleases(catalog.db, page), page: page.number };
}) satisfies PageServerLoad;
