import { appContext } from '$lib/server/catalog-instance';
import { partyClientConfig } from '$lib/server/party-client-config';
import type { PageServerLoad } from './$types';

/** The role and party configuration of this site: never a secret, only whether one is set. */
export const load = (async ({ url }) => {
  const { config, catalog } = await appContext();
  const party = partyClientConfig(config, url.origin);
  return {
    status: {
      role: config.PARTY_ROLE,
      partyEnabled: party.enabled,
      edgeUrl: party.edgeUrl,
      edgeIsThisSite: config.PARTY_URL === undefined,
      hostSecretConfigured: config.PARTY_HOST_SECRET !== undefined,
      database: catalog.driver,
    },
  };
}) satisfies PageServerLoad;
