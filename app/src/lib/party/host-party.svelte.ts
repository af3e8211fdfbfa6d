/**
 * The host's party for the page's components: one `HostSession` per page (made on first use, in
 * the browser), whose state lives in the reactive `hostParty` object, and thin functions over it.
 */
import type { types } from 'mediasoup-client';
import { browserHostDeps } from './host-browser';
import { HostSession, initialHostState } from './host-session';

export type { HostPhase } from './host-session';

export const hostParty = $state(initialHostState());

let session: HostSession<types.Transport, types.Producer> | undefined;

function host(): HostSession<types.Transport, types.Producer> {
  session ??= new HostSession(hostParty, browserHostDeps());
  return session;
}

/** The media objects of the current socket, for the debug page. */
export function hostMedia(): { transport?: types.Transport; producer?: types.Producer } {
  return session?.media ?? {};
}

/** Starts a new party (Start Session). */
export const startParty = (): Promise<void> => host().start();

/**
 * Resumes the party this tab was hosting before a refresh or navigation, or else `remembered` (the
 * party this machine's app server says is live: a new tab, a restarted browser).
 */
export const resumeSavedParty = (remembered?: string | null): void => host().resumeSaved(remembered);

/** Start a new party: ends the one this page runs first (an explicit choice). */
export const startNewParty = (): Promise<void> => host().startNew();

/** End Session. */
export const endParty = (): Promise<void> => host().end();
