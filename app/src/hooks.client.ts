/**
 * The invite page's listener starts as soon as the app's first script runs: the head script
 * (`early-socket.ts`) has joined already, and may be playing already (`early-receive.ts`); the app
 * lets that finish starting, then adopts the socket and its answer without waiting for the route's
 * components to load (the route's own load joins too, idempotently).
 * Hydration waits until the listener's first packets flow (its consumer attached and its track
 * unmuted), at most `RECEIVE_FIRST_MS`: on a phone's few cores the two would share the main
 * thread, and the sound is what the invite link is for (the server-rendered page shows
 * meanwhile). Every other page loads nothing more here, except a refreshed host's ticket.
 */
import type { ClientInit } from '@sveltejs/kit';
import { prefetchSavedTicket } from '$lib/party/host-ticket';

/** The longest hydration waits for the listener (an edge that does not answer, say). */
const RECEIVE_FIRST_MS = 1_500;

/** The longest the party code waits for the head script's own receive path to start its sound. */
const HEAD_RECEIVE_MS = 1_000;

/** Settles with `promise`, or after `ms` at the latest. */
function atMost(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise.then(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export const init: ClientInit = async () => {
  // A refreshed host's ticket, asked for while the page hydrates (see `host-ticket.ts`).
  try {
    prefetchSavedTicket(sessionStorage);
  } catch {
    // No storage (a browser's privacy mode): the party code asks when it starts.
  }
  const early = window.__partyEarlySocket;
  if (!early) return;
  performance.mark('party:app-init');
  // The head script may be starting the sound itself (`early-receive.ts`): its few steps wait for
  // the main thread, which parsing the party code (mediasoup-client, the schemas) would hold.
  await atMost(early.settled, HEAD_RECEIVE_MS);
  performance.mark('party:head-receive-settled');
  const party = await import('$lib/party/listener-party.svelte');
  party.joinParty(early.wsBase, early.sessionId);
  await atMost(party.listenerFirstStart().then(party.partyTrackFlowing), RECEIVE_FIRST_MS);
  performance.mark('party:hydration-released');
};
