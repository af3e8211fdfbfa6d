import { appContext } from '$lib/server/catalog-instance';
import { search } from '$lib/server/db/queries';
import type { PageServerLoad } from './$types';

export const load = (async ({ url }) => {
  const query = (url.searchParams.get('q') ?? '').trim().slice(0, 200);
  if (!query) return { query, results: null };
  const { catalog } = await appContext();
  return { query, results: await search(catalog.db, query) };
}) satisfies PageServerLoad;
