/**
 * The listener session's dependencies in the browser: the page's own `<audio id="party-audio">`
 * (in the DOM, so the page and tests can find it; never the library player), the performance
 * timeline, MediaSession, partysocket and mediasoup-client.
 */
import type { PlaybackState } from '@dmp-party/protocol';
import type { types } from 'mediasoup-client';
import { listenerAudienceHooks } from './audience/listener-audience.svelte';
import type { ListenerSessionDeps } from './listener-session';
import { browserListenerMedia } from './mediasoup-media';
import { PARTY_AUDIO_ID } from './party-audio-id';
import { connectPartySocket } from './party-socket';
import type { AudioOutput } from './session-media';

let audio: HTMLAudioElement | undefined;

/** The element the party plays through: the head script's (`early-receive.ts`), else made on first use. */
export function partyAudioElement(): HTMLAudioElement {
  audio ??= (document.getElementById(PARTY_AUDIO_ID) as HTMLAudioElement | null) ?? undefined;
  if (!audio) {
    audio = document.createElement('audio');
    audio.id = PARTY_AUDIO_ID;
    audio.autoplay = true;
    audio.hidden = true;
    document.body.append(audio);
  }
  return audio;
}

/** Whether the element plays `track` already (the head script attached it before the app loaded). */
function plays(element: HTMLAudioElement, track: MediaStreamTrack): boolean {
  const source = element.srcObject;
  return source instanceof MediaStream && source.getTracks().length === 1 && source.getTracks()[0] === track;
}

/**
 * Settles once packets flow on the party element's track (a received WebRTC track is muted until
 * its first packets arrive), or at once when there is no track or it is not muted.
 */
export function partyTrackFlowing(): Promise<void> {
  const source = audio?.srcObject;
  const track = source instanceof MediaStream ? source.getAudioTracks()[0] : undefined;
  if (!track?.muted) return Promise.resolve();
  return new Promise((resolve) => {
    track.addEventListener('unmute', () => resolve(), { once: true });
    track.addEventListener('ended', () => resolve(), { once: true });
  });
}

const elementOutput: AudioOutput = {
  attach(track) {
    const element = partyAudioElement();
    // A new stream for the same track would restart the element: a gap in what is playing.
    if (track && plays(element, track)) return;
    element.srcObject = track ? new MediaStream([track]) : null;
  },
  async play() {
    try {
      await partyAudioElement().play();
      return true;
    } catch (error) {
      // NotAllowedError: the autoplay policy wants a gesture first. Anything else is not ours to fix.
      return (error as DOMException).name !== 'NotAllowedError';
    }
  },
  pause: () => partyAudioElement().pause(),
  setVolume(volume) {
    partyAudioElement().volume = volume;
  },
  onceAudible(listener) {
    const element = partyAudioElement();
    // Still playing the stream the head script started: its time is on the timeline. After a new
    // consumer the element plays another stream, and its own `playing` says when.
    const early = performance.getEntriesByName('party:early-playing', 'mark')[0] as
      | PerformanceMark
      | undefined;
    const stream = element.srcObject;
    if (early && stream instanceof MediaStream && early.detail === stream.id && !element.paused)
      listener(early.startTime);
    else element.addEventListener('playing', () => listener(performance.now()), { once: true });
  },
};

function showInMediaSession(state: PlaybackState): void {
  if (!('mediaSession' in navigator) || !state.nowPlaying) return;
  const { title, artist, release, coverUrl } = state.nowPlaying;
  navigator.mediaSession.metadata = new MediaMetadata({
    title,
    artist,
    album: release ?? '',
    artwork: coverUrl ? [{ src: coverUrl, sizes: '256x256', type: 'image/png' }] : [],
  });
  navigator.mediaSession.playbackState = state.paused ? 'paused' : 'playing';
}

export function browserListenerDeps(): ListenerSessionDeps<types.Transport, types.Consumer> {
  return {
    connect: connectPartySocket,
    media: browserListenerMedia,
    output: elementOutput,
    now: () => Date.now(),
    mark: (name) => performance.mark(name),
    showPlayback: showInMediaSession,
    audience: listenerAudienceHooks(),
  };
}
