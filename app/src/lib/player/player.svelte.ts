/**
 * The app's one player. A single `<audio>` element serves the whole app, created once in the
 * browser and exposed through `getAudioElement()`, because party mode captures it with Web Audio
 * (`createMediaElementSource` may be called only once per element).
 */
import { THUMBNAIL_SIZES, thumbnailUrl } from '$lib/cover-urls';
import type { PlayableTrack } from './types';

let audio: HTMLAudioElement | undefined;

/** The app's audio element (created on first use, in the browser only). */
export function getAudioElement(): HTMLAudioElement {
  if (!audio) {
    audio = new Audio();
    audio.preload = 'auto';
    audio.crossOrigin = 'anonymous';
    audio.addEventListener('timeupdate', () => {
      player.positionMs = Math.round((audio?.currentTime ?? 0) * 1000);
    });
    audio.addEventListener('durationchange', () => {
      const seconds = audio?.duration ?? 0;
      player.durationMs = Number.isFinite(seconds) ? Math.round(seconds * 1000) : 0;
    });
    audio.addEventListener('play', () => {
      player.playing = true;
    });
    audio.addEventListener('pause', () => {
      player.playing = false;
    });
    audio.addEventListener('ended', () => next());
  }
  return audio;
}

export const player = $state({
  queue: [] as PlayableTrack[],
  index: -1,
  playing: false,
  positionMs: 0,
  durationMs: 0,
  volume: 1,
});

export function currentTrack(): PlayableTrack | undefined {
  return player.queue[player.index];
}

function updateMediaSession(track: PlayableTrack): void {
  if (!('mediaSession' in navigator)) return;
  const coverId = track.coverArtId;
  navigator.mediaSession.metadata = new MediaMetadata({
    title: track.title,
    artist: track.artistName,
    album: track.releaseTitle,
    artwork: coverId
      ? THUMBNAIL_SIZES.map((size) => ({
          src: thumbnailUrl(coverId, size),
          sizes: `${size}x${size}`,
          type: 'image/webp',
        }))
      : [],
  });
  navigator.mediaSession.setActionHandler('play', () => resume());
  navigator.mediaSession.setActionHandler('pause', () => pause());
  navigator.mediaSession.setActionHandler('nexttrack', () => next());
  navigator.mediaSession.setActionHandler('previoustrack', () => previous());
  navigator.mediaSession.setActionHandler('seekto', (details) => seek((details.seekTime ?? 0) * 1000));
}

async function load(index: number, startMs = 0, autoplay = true): Promise<void> {
  const track = player.queue[index];
  if (!track) return;
  player.index = index;
  const element = getAudioElement();
  element.src = startMs > 0 ? `/audio/${track.id}#t=${startMs / 1000}` : `/audio/${track.id}`;
  updateMediaSession(track);
  if (autoplay) await element.play().catch(() => undefined);
}

/**
 * Restores a queue and position saved before a page refresh. Returns false when the browser's
 * autoplay policy refused to start playing, so the UI can ask for a click.
 */
export async function restoreQueue(
  queue: PlayableTrack[],
  index: number,
  positionMs: number,
  playing: boolean,
): Promise<boolean> {
  player.queue = queue;
  await load(index, positionMs, false);
  player.positionMs = positionMs;
  if (!playing) return true;
  return getAudioElement()
    .play()
    .then(() => true)
    .catch(() => false);
}

/** Plays `queue` starting at `startIndex`. */
export function playQueue(queue: PlayableTrack[], startIndex = 0): Promise<void> {
  player.queue = queue;
  return load(startIndex);
}

export function pause(): void {
  getAudioElement().pause();
}

export function resume(): Promise<void> {
  return getAudioElement().play();
}

export function togglePlay(): void {
  if (player.playing) pause();
  else if (currentTrack()) void resume();
}

export function seek(positionMs: number): void {
  getAudioElement().currentTime = Math.max(0, positionMs / 1000);
}

export function next(): void {
  if (player.index + 1 < player.queue.length) void load(player.index + 1);
  else player.playing = false;
}

/** Back to the start of the track if past 3 s, else the previous track. */
export function previous(): void {
  if (player.positionMs > 3000 || player.index === 0) seek(0);
  else void load(player.index - 1);
}

/** Where the host's volume is applied: the element, until party mode routes it through Web Audio. */
let applyVolume = (volume: number) => {
  getAudioElement().volume = volume;
};

/**
 * Party mode captures the element before its volume would apply, so the host's volume must move
 * to a gain node that only the host's speakers hear: listeners' level never follows the host's.
 */
export function routeVolumeTo(apply: (volume: number) => void): void {
  applyVolume = apply;
  getAudioElement().volume = 1;
  apply(player.volume);
}

export function setVolume(volume: number): void {
  player.volume = Math.min(1, Math.max(0, volume));
  applyVolume(player.volume);
}
