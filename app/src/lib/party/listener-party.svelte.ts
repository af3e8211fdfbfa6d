/**
 * The listener's party for the page's components: one `ListenerSession` per page (made on first
 * use, in the browser), whose state lives in the reactive `listenerParty` object, and thin
 * functions over it.
 */
import type { types } from 'mediasoup-client';
import { browserListenerDeps } from './listener-browser';
import { initialListenerState, ListenerSession, livePositionMs as positionAt } from './listener-session';

export { partyAudioElement, partyTrackFlowing } from './listener-browser';
export type { ListenerPhase } from './listener-session';

export const listenerParty = $state(initialListenerState());

let session: ListenerSession<types.Transport, types.Consumer> | undefined;

function listener(): ListenerSession<types.Transport, types.Consumer> {
  session ??= new ListenerSession(listenerParty, browserListenerDeps());
  return session;
}

/** The media objects of the current socket, for the debug page. */
export function listenerMedia(): { transport?: types.Transport; consumer?: types.Consumer } {
  return session?.media ?? {};
}

/** Where this page's position display should be now, from the host's last report. */
export const livePositionMs = (now = Date.now()): number => positionAt(listenerParty, now);

/** Joins `sessionId` (idempotent for the same id). `wsBase` is the edge's ws(s):// base URL. */
export const joinParty = (wsBase: string, sessionId: string): void => listener().join(wsBase, sessionId);

/** Settles once the first join has its receive path set up, or has nothing to receive. */
export const listenerFirstStart = (): Promise<void> => listener().firstStart;

export const leaveParty = (): void => listener().leave();

/** Local pause: the party goes on; resuming jumps back to live (a live stream has no backlog). */
export const toggleLocalPause = (): void => listener().toggleLocalPause();

export const setListenerVolume = (volume: number): void => listener().setVolume(volume);

/** The "Tap to listen" button: a user gesture the autoplay policy accepts. */
export const tapToListen = (): Promise<void> => listener().tapToListen();
