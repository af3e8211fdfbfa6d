/**
 * The invite page's listener starts as soon as the app's first script runs: the head script
 * (`early-socket.ts`) has joined already, and the app adopts that socket and its answer without
 * waiting for the route's components to load (the route's own load joins too, idempotently).
 * Hydration waits until the listener's first packets flow (its consumer attached and its track
 * unmuted), at most `RECEIVE_FIRST_MS`: on a phone's few cores the two would share the main
 * thread, and the sound is what the invite link is for (the server-rendered page shows
 * meanwhile). Every other page loads nothing more here.
 */
import type { ClientInit } from '@sveltejs/kit';

/** The longest hydration waits for the listener (an edge that does not answer, say). */
const RECEIVE_FIRST_MS = 1_500;

export const init: ClientInit = async () => {
  const early = window.__partyEarlySocket;
  if (!early) return;
  performance.mark('party:app-init');
  const party = await import('$lib/party/listener-party.svelte');
  party.joinParty(early.wsBase, early.sessionId);
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    party.listenerFirstStart().then(party.partyTrackFlowing),
    new Promise((resolve) => {
      timer = setTimeout(resolve, RECEIVE_FIRST_MS);
    }),
  ]);
  clearTimeout(timer);
  performance.mark('party:hydration-released');
};
