import { appContext } from '$lib/server/catalog-instance';
import { partyClientSettings } from '$lib/server/party-settings';
import type { LayoutServerLoad } from './$types';

export const load = (async ({ locals, url }) => {
  const { config } = await appContext();
  return { role: locals.role, party: partyClientSettings(config, url.origin) };
}) satisfies LayoutServerLoad;
