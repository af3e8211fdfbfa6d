import { SessionIdSchema } from '@dmp-party/protocol';
import { error } from '@sveltejs/kit';
import { browser } from '$app/environment';
import { joinParty } from '$lib/party/listener-party.svelte';
import type { PageLoad } from './$types';

export const load = (async ({ params, parent }) => {
  const sessionId = SessionIdSchema.safeParse(params.id);
  if (!sessionId.success) error(404, { message: 'No such party', code: 'NOT_FOUND' });
  // Joining here, in the browser, starts the party connection while the page is still hydrating:
  // the first sound comes one render sooner than from the component's onMount.
  if (browser) {
    const { party } = await parent();
    if (party.enabled) joinParty(party.wsUrl, sessionId.data);
  }
  return { sessionId: sessionId.data };
}) satisfies PageLoad;
