/**
 * The invite page's listener starts as soon as the app's first script runs: the head script
 * (`early-socket.ts`) has joined already, and the app adopts that socket and its answer without
 * waiting for the route's components to load (the route's own load joins too, idempotently).
 * Every other page loads nothing more here.
 */
import type { ClientInit } from '@sveltejs/kit';

export const init: ClientInit = () => {
  const early = window.__partyEarlySocket;
  if (!early) return;
  void import('$lib/party/listener-party.svelte').then(({ joinParty }) =>
    joinParty(early.wsBase, early.sessionId),
  );
};
