import { appContext } from '$lib/server/catalog-instance';
import { getScanStatus } from '$lib/server/library/scan-status';
import { partyClientConfig } from '$lib/server/party-client-config';
import type { LayoutServerLoad } from './$types';

/** The scan status rides along so the first render already shows a running scan's banner. */
export const load = (async ({ locals, url }) => {
  const { config } = await appContext();
  return { role: locals.role, party: partyClientConfig(config, url.origin), scan: getScanStatus() };
}) satisfies LayoutServerLoad;
