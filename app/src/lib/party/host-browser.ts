/**
 * The host session's dependencies in the browser: the app's player, host tickets from the app's
 * own server (`host-ticket.ts`), the live party it remembers (`/party/live`), sessionStorage,
 * timers, partysocket and mediasoup-client.
 */
import type { NowPlaying } from '@dmp-party/protocol';
import type { types } from 'mediasoup-client';
import { currentTrack, getAudioElement, player } from '$lib/player/player.svelte';
import { hostAudienceHooks } from './audience/host-audience.svelte';
import type { HostPlayer } from './host-metadata';
import type { HostSessionDeps, RememberedParty } from './host-session';
import { ticketFor } from './host-ticket';
import { browserHostMedia } from './mediasoup-media';
import { connectPartySocket } from './party-socket';

/** Tells the app's own server which party is live (best effort: the party goes on regardless). */
function tellServer(method: 'PUT' | 'DELETE', sessionId: string): void {
  fetch('/party/live', {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sessionId }),
    keepalive: true,
  }).catch((error: unknown) => console.warn('[party] the app could not note the live party', error));
}

const rememberedOnServer: RememberedParty = {
  remember: (sessionId) => tellServer('PUT', sessionId),
  forget: (sessionId) => tellServer('DELETE', sessionId),
};

/** The app's one `<audio>` element and its queue, as the party sees them. */
const appPlayer: HostPlayer = {
  get playing() {
    return !getAudioElement().paused;
  },
  positionMs: () => Math.round(getAudioElement().currentTime * 1000),
  nowPlaying(): NowPlaying | null {
    const track = currentTrack();
    if (!track) return null;
    const durationMs = Math.round(player.durationMs || (track.durationMs ?? 0));
    return {
      trackId: track.id,
      title: track.title,
      artist: track.artistName,
      release: track.releaseTitle,
      ...(track.coverArtId ? { coverUrl: `/cover/${track.coverArtId}` } : {}),
      ...(durationMs > 0 ? { durationMs } : {}),
    };
  },
  subscribe(events) {
    const element = getAudioElement();
    element.addEventListener('playing', events.playing);
    element.addEventListener('pause', () => {
      if (!element.ended) events.paused();
    });
    element.addEventListener('seeked', events.seeked);
    element.addEventListener('durationchange', events.durationChanged);
  },
};

export function browserHostDeps(): HostSessionDeps<types.Transport, types.Producer> {
  return {
    connect: connectPartySocket,
    media: browserHostMedia,
    player: appPlayer,
    ticket: ticketFor,
    storage: sessionStorage,
    remembered: rememberedOnServer,
    every: (ms, task) => {
      const timer = setInterval(task, ms);
      return () => clearInterval(timer);
    },
    audience: hostAudienceHooks(),
  };
}
