import { appContext } from '$lib/server/catalog-instance';
import { edgeStillRuns, livePartyFile } from '$lib/server/party/live-party';
import { partyClientConfig } from '$lib/server/party-client-config';
import type { PageServerLoad } from './$types';

/**
 * The host's /party page offers the party this machine is hosting, so a new tab or a restarted
 * browser resumes it. One the edge no longer runs (it ended while the host was away) is forgotten.
 */
export const load = (async ({ url }) => {
  const { config } = await appContext();
  if (config.PARTY_ROLE !== 'host' || !config.PARTY_ENABLED) return { liveParty: null };
  const file = livePartyFile(config);
  const remembered = file.read();
  if (!remembered) return { liveParty: null };
  const edgeUrl = partyClientConfig(config, url.origin).edgeUrl;
  if ((await edgeStillRuns(edgeUrl, remembered.sessionId)) === false) {
    file.forget(remembered.sessionId);
    return { liveParty: null };
  }
  return { liveParty: remembered.sessionId };
}) satisfies PageServerLoad;
